/*
 * Accord live chat button: one script tag on any website adds a "Chat with us" button that talks to
 * the desk the script came from.
 *
 *   <script src="https://desk.example.com/chat.js" async data-locale="fr"></script>
 *
 * data-locale           "en" or "fr" (default: the page's lang, else English).
 * data-token-url        The vendor's own app only: a same-origin URL answering GET with {"token": "…"},
 *                       the signed-in user's embed token. The visitor is then known and not asked who
 *                       they are.
 * data-priority-picker  Ask the visitor how urgent it is (P0…P3), else the desk's default applies.
 * data-position         "left" puts the button bottom-left instead of bottom-right.
 *
 * Everything lives in a shadow root, styled from inside it; the only global is window.AccordChat.
 */
import { ChatClient, ChatError, PENDING_KEY, chatRequest, type PendingMessage } from './client';
import { ICONS, h, icon } from './dom';
import { STRINGS } from './i18n';
import { CSS } from './styles';
import type {
  ChatAttachment,
  ChatConversation,
  ChatLocale,
  ChatMessage,
  ExpectedResponse,
  Priority,
  PublicAvailability,
  StartChatBody,
  StartChatResult,
} from './types';

declare global {
  interface Window {
    AccordChat?: { open(): void; close(): void };
  }
}

/** What survives a reload or a move to another page of the same site, for this tab only. */
interface Saved {
  conversationId: string;
  visitorToken: string;
  expectedResponse?: ExpectedResponse | null;
  open?: boolean;
}

interface Suggestion {
  articleId: string;
  title: string;
  url: string;
}

/** What the rest of the button asks of the open chat. */
interface ChatView {
  renderNotice(): void;
  scheduleReceipt(): void;
}

type Delivery = 'sending' | 'sent' | 'delivered' | 'seen' | 'failed';

const STORE = 'accord.chat';
const MAX = 4000;
const PRIORITIES: Priority[] = ['P0', 'P1', 'P2', 'P3'];
// Opened in a tab only when the browser shows them inertly; anything else is downloaded, since a blob
// URL runs in the host page's origin.
const INLINE_TYPES = /^(image\/(png|jpeg|gif|webp)|application\/pdf|text\/plain)$/;

class TokenError extends Error {}

const session = (() => {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
})();

function load(): Saved | null {
  try {
    const saved = JSON.parse(session?.getItem(STORE) ?? 'null') as Partial<Saved> | null;
    return typeof saved?.conversationId === 'string' && typeof saved.visitorToken === 'string'
      ? (saved as Saved)
      : null;
  } catch {
    return null;
  }
}

function store(saved: Saved | null): void {
  try {
    if (saved) session?.setItem(STORE, JSON.stringify(saved));
    else {
      session?.removeItem(STORE);
      session?.removeItem(PENDING_KEY);
    }
  } catch {
    // Without storage the chat simply does not survive a reload.
  }
}

function mount(script: HTMLScriptElement): { open(): void; close(): void } {
  const DESK = new URL(script.src, location.href).origin;
  const attr = (name: string) => script.getAttribute(name);
  const locale: ChatLocale = (attr('data-locale') || document.documentElement.lang || '')
    .toLowerCase()
    .startsWith('fr')
    ? 'fr'
    : 'en';
  const t = STRINGS[locale];
  const tokenUrl = attr('data-token-url');
  const picker = script.hasAttribute('data-priority-picker') && attr('data-priority-picker') !== 'false';
  const api = <T>(method: string, path: string, body?: unknown) => chatRequest<T>(DESK, method, path, body);

  // --- the frame: launcher and panel ---------------------------------------------------------------

  const host = document.createElement('accord-chat');
  const shadow = host.attachShadow({ mode: 'open' });
  const root = h('div', { class: attr('data-position') === 'left' ? 'root left' : 'root' });
  shadow.append(h('style', {}, CSS), root);

  const dot = h('span', { class: 'dot', hidden: true });
  const badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: true });
  const launcher = h(
    'button',
    { type: 'button', class: 'launcher', 'aria-haspopup': 'dialog', 'aria-expanded': 'false' },
    icon(ICONS.chat),
    dot,
    badge,
  );
  const title = h('h2', { id: 'ac-title' }, t.title);
  const endButton = h('button', { type: 'button', class: 'hbtn', hidden: true }, t.end);
  const closeButton = h('button', { type: 'button', class: 'hbtn', 'aria-label': t.close, title: t.close });
  closeButton.append(icon(ICONS.close));
  const banner = h('div', { class: 'banner', role: 'status', hidden: true });
  const body = h('div', { class: 'body' });
  const panel = h(
    'section',
    { class: 'panel', id: 'ac-panel', role: 'dialog', 'aria-labelledby': 'ac-title', hidden: true },
    h('div', { class: 'head' }, title, endButton, closeButton),
    banner,
    body,
  );
  launcher.setAttribute('aria-controls', 'ac-panel');
  root.append(launcher, panel);
  document.body.append(host);

  // --- state -----------------------------------------------------------------------------------------

  let saved = load();
  let availability: PublicAvailability | null = null;
  let expected: ExpectedResponse | null = saved?.expectedResponse ?? null;
  let isOpen = false;
  let unread = 0;
  let focusTarget: () => HTMLElement | null = () => null;
  let chat: ChatView | null = null;

  function updateLauncher() {
    const label = availability?.agentsOnline ? t.launcherOnline : t.launcher;
    const full = unread ? `${label}, ${t.unread(unread)}` : label;
    launcher.setAttribute('aria-label', full);
    launcher.title = full;
    dot.hidden = !availability?.agentsOnline;
    badge.textContent = String(unread);
    badge.hidden = !unread;
  }

  async function refreshAvailability() {
    try {
      const now = await api<PublicAvailability>('GET', '/chat/availability');
      availability = { ...availability, agentsOnline: now.agentsOnline, queueLength: now.queueLength };
    } catch {
      return;
    }
    updateLauncher();
    chat?.renderNotice();
  }

  /** Opened by the visitor, focus moves in; reopened after a page change, it stays where the page put it. */
  function open(focus = true) {
    if (isOpen) return;
    isOpen = true;
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    unread = 0;
    updateLauncher();
    remember();
    void refreshAvailability();
    if (focus) focusTarget()?.focus();
    chat?.scheduleReceipt();
  }

  function close() {
    if (!isOpen) return;
    const inside = shadow.activeElement !== null && panel.contains(shadow.activeElement);
    isOpen = false;
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    remember();
    if (inside) launcher.focus();
  }

  function remember() {
    if (saved) store({ ...saved, open: isOpen });
  }

  launcher.addEventListener('click', () => (isOpen ? close() : open()));
  closeButton.addEventListener('click', close);
  panel.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    close();
  });

  function errorText(error: unknown): string {
    if (error instanceof TokenError) return t.tokenFailed;
    if (!(error instanceof ChatError)) return t.error;
    if (error.status === 429) return t.tooFast;
    if (error.status === 0 || error.status >= 500) return t.unavailable;
    return error.detail ?? t.error;
  }

  function safeUrl(url: string): string | null {
    try {
      const u = new URL(url, DESK);
      return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
    } catch {
      return null;
    }
  }

  function show(...nodes: Node[]) {
    body.replaceChildren(...nodes);
  }

  // --- before the chat: who, how urgent, what ---------------------------------------------------------

  function formView() {
    chat = null;
    title.textContent = t.title;
    endButton.hidden = true;
    const name = h('input', { name: 'name', autocomplete: 'name', required: true, maxlength: '200' });
    const email = h('input', {
      name: 'email',
      type: 'email',
      autocomplete: 'email',
      required: true,
      maxlength: '254',
    });
    const priority = h(
      'select',
      { name: 'priority' },
      ...PRIORITIES.map((p) => h('option', { value: p, selected: p === 'P2' }, t.priorities[p])),
    );
    const message = h('textarea', { name: 'message', rows: '4', required: true, maxlength: String(MAX) });
    const suggestions = h('div', { class: 'sugg', 'aria-live': 'polite' });
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
      suggestions,
      h('div', { class: 'hp', 'aria-hidden': 'true' }, h('label', {}, t.honeypot, honeypot)),
      alert,
      submit,
    );

    let suggestSession: string | null = null;
    let suggestTimer: ReturnType<typeof setTimeout> | undefined;
    let asked = 0;
    const suggest = async () => {
      const text = message.value.trim();
      const mine = ++asked;
      if (text.length < 3) return suggestions.replaceChildren();
      try {
        const r = await api<{ sessionId: string | null; suggestions: Suggestion[] }>(
          'POST',
          '/helpcenter/suggestions',
          { ...(suggestSession ? { sessionId: suggestSession } : {}), locale, channel: 'chat', body: text },
        );
        if (mine !== asked) return;
        suggestSession = r.sessionId;
        const items = r.suggestions
          .flatMap((s) => {
            const href = safeUrl(s.url);
            if (!href) return [];
            const link = h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, s.title);
            link.addEventListener('click', () => {
              // Counted by the help center as an answer found before asking.
              if (suggestSession)
                api('POST', `/helpcenter/suggestions/${suggestSession}/opened`, {
                  articleId: s.articleId,
                }).catch(() => undefined);
            });
            return [h('li', {}, link)];
          })
          .slice(0, 3);
        suggestions.replaceChildren(
          ...(items.length ? [h('p', { class: 'muted' }, t.suggestions), h('ul', {}, ...items)] : []),
        );
      } catch {
        // Suggestions help; the chat does not depend on them.
      }
    };
    message.addEventListener('input', () => {
      clearTimeout(suggestTimer);
      suggestTimer = setTimeout(() => void suggest(), 300);
    });

    const start = async () => {
      clearTimeout(suggestTimer);
      asked++;
      alert.textContent = '';
      submit.disabled = true;
      submit.textContent = t.starting;
      try {
        const text = message.value.trim().slice(0, MAX);
        const request: StartChatBody = { locale, website: honeypot.value };
        if (text) request.message = text;
        if (picker) request.priority = priority.value as Priority;
        const page = pageUrl();
        if (page) request.page = page;
        if (tokenUrl) request.embedToken = await embedToken(tokenUrl);
        else {
          request.name = name.value.trim();
          request.email = email.value.trim();
        }
        const r = await api<StartChatResult>('POST', '/chat/conversations', request);
        expected = r.availability.expectedResponse;
        availability = r.availability;
        updateLauncher();
        saved = {
          conversationId: r.conversation.id,
          visitorToken: r.visitorToken,
          expectedResponse: expected,
        };
        remember();
        chatView(saved, r.conversation);
        focusTarget()?.focus();
      } catch (error) {
        alert.textContent = errorText(error);
        submit.disabled = false;
        submit.textContent = t.start;
      }
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void start();
    });

    show(form);
    focusTarget = () => (tokenUrl ? (picker ? priority : message) : name);
  }

  // --- the chat ------------------------------------------------------------------------------------

  function chatView(s: Saved, initial: ChatConversation | null): ChatView {
    const id = s.conversationId;
    const token = s.visitorToken;
    const client = new ChatClient({ baseUrl: DESK, storage: session });
    let conv: ChatConversation | null = null;
    let lastSeq = 0;
    let agentReceipt = { deliveredSeq: 0, seenSeq: 0 };
    let ended = false;
    let endedText: string | null = null;
    let noticeKey = '';
    const own = new Map<number, HTMLElement>();
    const pendingEls = new Map<string, { el: HTMLElement; state: HTMLElement; pm: PendingMessage }>();
    const files = new Map<string, ChatAttachment>();

    const notice = h('div', { class: 'notice', role: 'status', hidden: true });
    const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': t.log });
    log.setAttribute('aria-relevant', 'additions');
    const typingLine = h('div', { class: 'typing' });
    const status = h('div', { class: 'status', role: 'status' });
    const count = h('div', { class: 'count', hidden: true });
    const input = h('textarea', {
      rows: '1',
      maxlength: String(MAX),
      'aria-label': t.input,
      placeholder: t.input,
    });
    const fileInput = h('input', { type: 'file', hidden: true, tabindex: '-1' });
    const attach = h('button', { type: 'button', class: 'ibtn', 'aria-label': t.attach, title: t.attach });
    attach.append(icon(ICONS.clip));
    const sendButton = h('button', { type: 'button', class: 'ibtn', 'aria-label': t.send, title: t.send });
    sendButton.append(icon(ICONS.send));
    const composer = h('div', { class: 'composer' }, attach, fileInput, input, sendButton);
    const transcript = h('input', { type: 'checkbox', checked: true });
    const confirmEnd = h('button', { type: 'button', class: 'primary' }, t.end);
    const cancelEnd = h('button', { type: 'button', class: 'secondary' }, t.cancel);
    const confirm = h(
      'div',
      { class: 'confirm', hidden: true },
      h('p', {}, t.endConfirm),
      h('label', {}, transcript, t.transcript),
      h('div', { class: 'row' }, confirmEnd, cancelEnd),
    );
    const endBox = h('div', { class: 'end', hidden: true });

    show(notice, log, typingLine, confirm, status, count, composer, endBox);
    endButton.hidden = false;
    title.textContent = t.title;
    focusTarget = () => (ended ? endBox.querySelector('button') : input);

    // --- messages

    const nearBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    const toBottom = () => {
      log.scrollTop = log.scrollHeight;
    };

    function paint(el: HTMLElement, state: Delivery, retry?: () => void) {
      el.className = state === 'failed' ? 'failed' : '';
      const glyph = state === 'sent' ? '✓' : state === 'delivered' ? '✓✓' : null;
      el.replaceChildren(
        ...(glyph
          ? [
              h('span', { 'aria-hidden': 'true', title: t[state] }, glyph),
              h('span', { class: 'sr' }, t[state]),
            ]
          : [t[state]]),
      );
      if (retry) {
        const button = h('button', { type: 'button', class: 'linkbtn' }, t.retry);
        button.addEventListener('click', retry);
        el.append(' ', button);
      }
    }

    function fileButton(a: ChatAttachment) {
      const button = h(
        'button',
        { type: 'button', class: 'file', title: a.filename },
        h('span', {}, a.filename),
      );
      button.prepend(icon(ICONS.clip));
      button.addEventListener('click', () => void openFile(a));
      return button;
    }

    function bubble(m: {
      kind: ChatMessage['author']['kind'];
      name?: string;
      body: string;
      attachment: ChatAttachment | null;
      meta?: (Node | string)[];
    }) {
      if (m.kind === 'system') return h('div', { class: 'msg system' }, m.body);
      return h(
        'div',
        { class: `msg ${m.kind}` },
        m.kind === 'agent' && m.name ? h('span', { class: 'who' }, m.name) : null,
        m.body ? h('div', { class: 'b' }, m.body) : null,
        m.attachment ? fileButton(m.attachment) : null,
        m.meta ? h('span', { class: 'meta' }, ...m.meta) : null,
      );
    }

    const time = (iso: string) => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime())
        ? ''
        : d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
    };

    function deliveryOf(seq: number): Delivery {
      return seq <= agentReceipt.seenSeq ? 'seen' : seq <= agentReceipt.deliveredSeq ? 'delivered' : 'sent';
    }

    function repaint() {
      for (const [seq, el] of own) paint(el, deliveryOf(seq));
    }

    function addPending(pm: PendingMessage) {
      const state = h('span');
      paint(state, 'sending');
      const el = bubble({
        kind: 'visitor',
        body: pm.body,
        attachment: (pm.attachmentId && files.get(pm.attachmentId)) || null,
        meta: [state],
      });
      log.append(el);
      pendingEls.set(pm.clientId, { el, state, pm });
      toBottom();
    }

    function onMessage(conversationId: string, m: ChatMessage) {
      if (conversationId !== id) return;
      const stick = nearBottom();
      const mine = m.clientId ? pendingEls.get(m.clientId) : undefined;
      if (mine) {
        mine.el.remove();
        pendingEls.delete(m.clientId!);
      }
      let meta: (Node | string)[] | undefined;
      if (m.author.kind === 'visitor') {
        const state = h('span');
        paint(state, deliveryOf(m.seq));
        own.set(m.seq, state);
        meta = [time(m.createdAt), ' · ', state];
      } else if (m.author.kind === 'agent') meta = [time(m.createdAt)];
      const el = bubble({
        kind: m.author.kind,
        name: m.author.name,
        body: m.body,
        attachment: m.attachment,
        ...(meta ? { meta } : {}),
      });
      // Stored messages come before the ones still on their way.
      const firstPending = pendingEls.values().next().value;
      log.insertBefore(el, firstPending?.el ?? null);
      lastSeq = Math.max(lastSeq, m.seq);
      if (m.author.kind === 'agent') {
        typingLine.textContent = '';
        if (!visible() && m.seq > (conv?.visitorReceipt.seenSeq ?? 0)) {
          unread++;
          updateLauncher();
        }
      }
      if (stick || mine) toBottom();
      scheduleReceipt();
    }

    // Receipts go out once per burst (a reload replays the whole transcript).
    let receiptTimer: ReturnType<typeof setTimeout> | undefined;
    function scheduleReceipt() {
      clearTimeout(receiptTimer);
      receiptTimer = setTimeout(() => {
        if (!lastSeq) return;
        client.receipt(id, { deliveredSeq: lastSeq, ...(visible() ? { seenSeq: lastSeq } : {}) });
      }, 200);
    }
    const visible = () => isOpen && document.visibilityState === 'visible';
    const onVisibility = () => {
      if (visible() && unread) {
        unread = 0;
        updateLauncher();
      }
      scheduleReceipt();
    };
    document.addEventListener('visibilitychange', onVisibility);

    // --- the conversation's state

    function onConversation(c: ChatConversation) {
      if (c.id !== id) return;
      conv = c;
      agentReceipt = {
        deliveredSeq: Math.max(agentReceipt.deliveredSeq, c.agentReceipt.deliveredSeq),
        seenSeq: Math.max(agentReceipt.seenSeq, c.agentReceipt.seenSeq),
      };
      repaint();
      title.textContent = c.agent ? t.withAgent(c.agent.name) : t.title;
      renderNotice();
      if (c.status === 'ended') endedView(endedText ?? t.endedByAgent);
    }

    function renderNotice() {
      if (!conv) return;
      const c = conv;
      const none = c.status === 'queued' && availability?.agentsOnline === 0;
      const key = JSON.stringify([c.status, c.ticket?.number, c.queuePosition, none, expected, ended]);
      if (key === noticeKey) return;
      noticeKey = key;
      const kids: Node[] = [];
      if (c.ticket) kids.push(h('p', {}, t.ticketCreated(c.ticket.number)));
      else if (c.status === 'queued' && !ended) {
        if (none) {
          kids.push(h('p', {}, t.noAgent));
          if (expected)
            kids.push(
              h(
                'p',
                {},
                t.promise(t.tiers[expected.tier] ?? expected.tier, expected.label, expected.priority),
              ),
            );
          const button = h('button', { type: 'button', class: 'secondary' }, t.leaveTicket);
          button.addEventListener('click', () => void leaveTicket(button));
          kids.push(button);
        } else kids.push(h('p', {}, c.queuePosition ? t.waiting(c.queuePosition) : t.waitingShort));
      }
      notice.replaceChildren(...kids);
      notice.hidden = !kids.length;
    }

    async function leaveTicket(button: HTMLButtonElement) {
      button.disabled = true;
      try {
        const r = await client.rest<{ ticket: { id: string; number: number } }>(
          'POST',
          `/chat/conversations/${id}/ticket`,
          {},
          token,
        );
        if (conv) onConversation({ ...conv, ticket: r.ticket });
      } catch (error) {
        button.disabled = false;
        status.textContent = errorText(error);
      }
    }

    // The policy only says something about the wait while the chat is queued: keep the count fresh.
    const availabilityTimer = setInterval(() => {
      if (conv?.status === 'queued' && !ended && document.visibilityState === 'visible')
        void refreshAvailability();
    }, 30_000);

    // --- sending

    function send() {
      const text = input.value.trim();
      if (!text || ended) return;
      addPending(client.send(id, text));
      input.value = '';
      updateCount();
      client.typing(id, false);
    }

    let idle: ReturnType<typeof setTimeout> | undefined;
    input.addEventListener('input', () => {
      updateCount();
      client.typing(id, input.value.trim() !== '');
      clearTimeout(idle);
      idle = setTimeout(() => client.typing(id, false), 4000);
    });
    input.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
      event.preventDefault();
      send();
    });
    sendButton.addEventListener('click', () => {
      send();
      input.focus();
    });

    function updateCount() {
      const n = input.value.length;
      count.hidden = n < MAX - 400;
      count.textContent = t.chars(n, MAX);
      count.classList.toggle('over', n >= MAX);
    }

    attach.addEventListener('click', () => fileInput.click());
    fileInput.addEventListener('change', () => {
      const file = fileInput.files?.[0];
      fileInput.value = '';
      if (file) void upload(file);
    });

    async function upload(file: File) {
      status.textContent = t.uploading(file.name);
      attach.disabled = true;
      try {
        const form = new FormData();
        form.append('file', file, file.name);
        const a = await client.rest<ChatAttachment>(
          'POST',
          `/chat/conversations/${id}/attachments`,
          form,
          token,
        );
        files.set(a.id, a);
        // What the visitor had typed goes with the file, as its caption.
        const caption = input.value.trim();
        input.value = '';
        updateCount();
        addPending(client.send(id, caption, a.id));
        status.textContent = '';
      } catch (error) {
        const code = error instanceof ChatError ? error.status : 0;
        status.textContent = code === 413 ? t.tooBig : code === 415 ? t.refusedType : t.uploadFailed;
      } finally {
        attach.disabled = ended;
      }
    }

    async function openFile(a: ChatAttachment) {
      try {
        const response = await fetch(`${DESK}/api/v1/chat/conversations/${id}/attachments/${a.id}`, {
          headers: { 'x-chat-token': token },
        });
        if (!response.ok) throw new Error(String(response.status));
        const inline = INLINE_TYPES.test(a.contentType);
        const blob = new Blob([await response.blob()], {
          type: inline ? a.contentType : 'application/octet-stream',
        });
        const url = URL.createObjectURL(blob);
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        const tab = inline ? window.open(url, '_blank') : null;
        if (tab) tab.opener = null;
        else {
          // Not shown inline, or the tab was blocked: the file is saved instead.
          const link = h('a', { href: url, download: a.filename, hidden: true });
          root.append(link);
          link.click();
          link.remove();
        }
      } catch {
        status.textContent = t.openFailed;
      }
    }

    // --- ending

    endButton.onclick = () => {
      confirm.hidden = false;
      transcript.checked = true;
      confirmEnd.focus();
    };
    cancelEnd.addEventListener('click', () => {
      confirm.hidden = true;
      input.focus();
    });
    confirmEnd.addEventListener('click', () => void end());

    async function end() {
      confirmEnd.disabled = true;
      const wanted = transcript.checked;
      // Set first: the socket may tell of the end before the answer does.
      const email = conv?.visitor.email;
      endedText = wanted && email ? t.endedSent(email) : t.ended;
      try {
        const c = await client.rest<ChatConversation>(
          'POST',
          `/chat/conversations/${id}/end`,
          { transcript: wanted },
          token,
        );
        endedText = !wanted ? t.ended : c.transcriptSentAt ? t.endedSent(c.visitor.email) : t.noTranscript;
        onConversation(c);
      } catch (error) {
        endedText = null;
        // Already ended by the agent: there is nothing left to end.
        if (error instanceof ChatError && error.status === 409) endedView(t.endedByAgent);
        else status.textContent = errorText(error);
      } finally {
        confirmEnd.disabled = false;
      }
    }

    function endedView(text: string) {
      const focused = shadow.activeElement !== null && panel.contains(shadow.activeElement);
      ended = true;
      composer.hidden = confirm.hidden = count.hidden = true;
      endButton.hidden = true;
      typingLine.textContent = '';
      client.typing(id, false);
      renderNotice();
      const again = h('button', { type: 'button', class: 'primary' }, t.newChat);
      again.addEventListener('click', restart);
      const said = h('p', {}, text);
      endBox.replaceChildren(said, again);
      // The agent ended it: the visitor may still want the transcript (the desk sends it once).
      const email = conv?.visitor.email;
      if (text === t.endedByAgent && email) {
        const mail = h('button', { type: 'button', class: 'secondary' }, t.transcript);
        mail.addEventListener('click', () => {
          mail.disabled = true;
          client
            .rest<ChatConversation>('POST', `/chat/conversations/${id}/end`, { transcript: true }, token)
            .then((c) => {
              said.textContent = c.transcriptSentAt ? t.endedSent(email) : t.noTranscript;
              mail.remove();
            })
            .catch((error: unknown) => {
              mail.disabled = false;
              status.textContent = errorText(error);
            });
        });
        endBox.insertBefore(mail, again);
      }
      endBox.hidden = false;
      if (focused) again.focus();
    }

    function lostView() {
      dispose();
      store(null);
      saved = null;
      const again = h('button', { type: 'button', class: 'primary' }, t.newChat);
      again.addEventListener('click', restart);
      endButton.hidden = true;
      show(h('div', { class: 'end' }, h('p', {}, t.lost), again));
      focusTarget = () => again;
    }

    function restart() {
      dispose();
      store(null);
      saved = null;
      expected = null;
      formView();
      focusTarget()?.focus();
    }

    function dispose() {
      client.close();
      clearInterval(availabilityTimer);
      clearTimeout(receiptTimer);
      clearTimeout(idle);
      document.removeEventListener('visibilitychange', onVisibility);
    }

    // --- the connection

    let bannerTimer: ReturnType<typeof setTimeout> | undefined;
    client.on('state', (state) => {
      clearTimeout(bannerTimer);
      if (state === 'open') {
        banner.hidden = true;
        return;
      }
      if (state !== 'reconnecting' || !banner.hidden) return;
      banner.textContent = navigator.onLine === false ? t.offline : t.reconnecting;
      banner.hidden = false;
      bannerTimer = setTimeout(() => (banner.textContent = t.offline), 8000);
    });
    client.on('message', onMessage);
    client.on('ack', (conversationId, clientId) => {
      const p = pendingEls.get(clientId);
      if (conversationId === id && p) paint(p.state, 'sent');
    });
    client.on('conversation', onConversation);
    let typingTimer: ReturnType<typeof setTimeout> | undefined;
    client.on('typing', (f) => {
      if (f.conversationId !== id || f.side !== 'agent') return;
      clearTimeout(typingTimer);
      typingLine.textContent = f.active && !ended ? t.typing(f.name) : '';
      // A lost "stopped typing" must not leave the line up for good.
      if (f.active) typingTimer = setTimeout(() => (typingLine.textContent = ''), 8000);
    });
    client.on('receipt', (f) => {
      if (f.conversationId !== id || f.side !== 'agent') return;
      agentReceipt = {
        deliveredSeq: Math.max(agentReceipt.deliveredSeq, f.deliveredSeq),
        seenSeq: Math.max(agentReceipt.seenSeq, f.seenSeq),
      };
      repaint();
    });
    client.on('error', (f) => {
      const p = f.ref ? pendingEls.get(f.ref) : undefined;
      if (p) {
        p.state.title = f.detail ?? f.title;
        paint(p.state, 'failed', () => {
          if (ended) return;
          p.el.remove();
          pendingEls.delete(p.pm.clientId);
          addPending(client.send(id, p.pm.body, p.pm.attachmentId));
        });
      } else if (f.ref === id) lostView();
    });

    client.join(id, { token, after: 0 });
    // Messages written before a reload and not yet stored are shown, and sent, again.
    for (const pm of client.pending(id)) addPending(pm);
    if (initial) onConversation(initial);
    chat = { renderNotice, scheduleReceipt };
    return chat;
  }

  // --- start --------------------------------------------------------------------------------------

  if (saved) chatView(saved, null);
  else formView();
  updateLauncher();
  void refreshAvailability();
  if (saved?.open) open(false);

  return { open: () => open(), close };
}

function pageUrl(): string | undefined {
  if (!/^https?:$/.test(location.protocol)) return undefined;
  const href = location.href.length <= 2000 ? location.href : location.origin + location.pathname;
  return href.length <= 2000 ? href : undefined;
}

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

// document.currentScript is only set while this script first runs.
const self =
  (document.currentScript as HTMLScriptElement | null) ??
  document.querySelector<HTMLScriptElement>('script[src*="chat.js"]');
if (self?.src && !window.AccordChat) {
  // The global exists at once, so that a second copy of the script stays idle; calls made before the
  // page's body exists take effect when it does.
  let ready: { open(): void; close(): void } | null = null;
  let wanted: 'open' | 'close' | null = null;
  window.AccordChat = {
    open: () => (ready ? ready.open() : (wanted = 'open')),
    close: () => (ready ? ready.close() : (wanted = 'close')),
  };
  const start = () => {
    ready = mount(self);
    if (wanted) ready[wanted]();
  };
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
}
