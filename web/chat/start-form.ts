/**
 * Before the chat: who the visitor is (unless the vendor's app vouches for them), how urgent it is
 * (in the policy's words), and what it is about. When no agent is online the visitor is told so
 * before writing, and the form leaves a ticket instead.
 */
import { MAX_MESSAGE, type Widget } from './context';
import { h } from './dom';
import { TokenError, errorText } from './errors';
import { articleSuggestions } from './suggestions';
import type { Priority, StartChatBody, StartChatResult } from './types';

const PRIORITIES: Priority[] = ['P0', 'P1', 'P2', 'P3'];

/** Shows the form; returns what repaints it when the desk's availability is known or changes. */
export function formView(w: Widget): () => void {
  const { t, tokenUrl, picker, frame } = w;
  frame.title.textContent = t.title;
  frame.endButton.hidden = true;
  const name = h('input', { name: 'name', autocomplete: 'name', required: true, maxlength: '200' });
  const email = h('input', {
    name: 'email',
    type: 'email',
    autocomplete: 'email',
    required: true,
    maxlength: '254',
  });
  const options = PRIORITIES.map((p) => h('option', { value: p, selected: p === 'P2' }, p));
  const priority = h('select', { name: 'priority' }, ...options);
  const mailLink = h('a');
  const mailLine = h('p', { hidden: true }, `${t.writeTo} `, mailLink, '.');
  const notice = h(
    'div',
    { class: 'notice', role: 'status', hidden: true },
    h('p', {}, h('strong', {}, t.noAgent), ' ', t.noAgentForm),
    mailLine,
  );
  const message = h('textarea', {
    name: 'message',
    rows: '4',
    required: true,
    maxlength: String(MAX_MESSAGE),
  });
  const suggestions = articleSuggestions(w, message);
  // Bots fill every field; people never see this one.
  const honeypot = h('input', { name: 'website', tabindex: '-1', autocomplete: 'off' });
  const alert = h('p', { class: 'alert', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t.start);
  const form = h(
    'form',
    {},
    h('p', { class: 'muted' }, tokenUrl ? t.signedIn : t.intro),
    !tokenUrl && h('label', {}, t.name, name),
    !tokenUrl && h('label', {}, t.email, email),
    picker && h('label', {}, t.urgency, priority),
    h('label', {}, t.message, message),
    suggestions.box,
    h('div', { class: 'hp', 'aria-hidden': 'true' }, h('label', {}, t.honeypot, honeypot)),
    alert,
    submit,
  );

  /** Nobody online: the visitor learns it now, and the message becomes a ticket. */
  const offline = () => w.availability?.agentsOnline === 0;
  const render = () => {
    const names = w.availability?.priorities;
    for (const option of options) {
      const name = names?.find((p) => p.id === option.value)?.name;
      option.textContent = name ? `${option.value} — ${name}` : option.value;
    }
    const email = w.availability?.email ?? '';
    if (mailLink.textContent !== email) {
      mailLink.textContent = email;
      mailLink.href = `mailto:${email}`;
    }
    mailLine.hidden = !email;
    notice.hidden = !offline();
    if (!submit.disabled) submit.textContent = offline() ? t.sendTicket : t.start;
  };

  const start = async () => {
    suggestions.stop();
    alert.textContent = '';
    submit.disabled = true;
    submit.textContent = t.starting;
    try {
      const text = message.value.trim().slice(0, MAX_MESSAGE);
      const request: StartChatBody = { locale: w.locale, website: honeypot.value };
      if (text) request.message = text;
      if (picker) request.priority = priority.value as Priority;
      const page = pageUrl();
      if (page) request.page = page;
      if (tokenUrl) request.embedToken = await embedToken(tokenUrl);
      else {
        request.name = name.value.trim();
        request.email = email.value.trim();
      }
      const ticket = offline();
      started(w, await w.api<StartChatResult>('POST', '/chat/conversations', request));
      if (ticket) w.chat?.leaveTicket();
    } catch (error) {
      alert.textContent = errorText(t, error);
      submit.disabled = false;
      render();
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void start();
  });

  frame.show(notice, form);
  w.focusTarget = () => (tokenUrl ? (picker ? priority : message) : name);
  render();
  return render;
}

/** The desk took the chat: it is saved for this tab and shown. */
function started(w: Widget, r: StartChatResult) {
  w.expected = r.availability.expectedResponse;
  w.availability = { ...w.availability, ...r.availability };
  w.updateLauncher();
  w.saved = { conversationId: r.conversation.id, visitorToken: r.visitorToken, expectedResponse: w.expected };
  w.remember();
  w.showChat(w.saved, r.conversation);
  w.focusTarget()?.focus();
}

/** The page the visitor starts from, when it is a web page and its address not absurdly long. */
function pageUrl(): string | undefined {
  if (!/^https?:$/.test(location.protocol)) return undefined;
  const href = location.href.length <= 2000 ? location.href : location.origin + location.pathname;
  return href.length <= 2000 ? href : undefined;
}

/** The signed-in user's embed token, from the vendor's own app. */
async function embedToken(url: string): Promise<string> {
  try {
    const response = await fetch(new URL(url, location.href).href, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    const data = (await response.json()) as { token?: unknown };
    if (response.ok && typeof data.token === 'string') return data.token;
  } catch {
    // Reported below.
  }
  throw new TokenError();
}
