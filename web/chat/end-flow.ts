/**
 * Ending the chat: the visitor confirms, with or without the transcript by email; then, whoever ended
 * it, the visitor is told so and offered a new chat (and the transcript, if the agent ended it).
 */
import { ChatError } from './client';
import type { Conversation, Widget } from './context';
import { button, h } from './dom';
import { errorText } from './errors';
import type { ChatConversation } from './types';

export interface EndFlow {
  /** "End the chat?", with the transcript checkbox. */
  readonly confirm: HTMLElement;
  /** What is left once the chat has ended. */
  readonly endBox: HTMLElement;
  /** What to tell the visitor when the desk reports the end. */
  endedText(): string;
  /** Shows that the chat ended, with the given words; `focus` moves the focus to "New chat". */
  showEnded(text: string, focus: boolean): void;
}

export function endFlow(
  w: Widget,
  convo: Conversation,
  hooks: {
    input: HTMLElement;
    onConversation(c: ChatConversation): void;
    /** The desk refused to end the chat: the agent had already ended it. */
    onEnded(text: string): void;
    restart: () => void;
  },
): EndFlow {
  const { t } = w;
  // Set when the visitor ends the chat: the socket may tell of the end before the answer does.
  let endedText: string | null = null;
  const transcript = h('input', { type: 'checkbox', checked: true });
  const confirmEnd = button('primary', t.end, () => void end());
  const cancelEnd = button('secondary', t.cancel, () => {
    confirm.hidden = true;
    hooks.input.focus();
  });
  const confirm = h(
    'div',
    { class: 'confirm', hidden: true },
    h('p', {}, t.endConfirm),
    h('label', {}, transcript, t.transcript),
    h('div', { class: 'row' }, confirmEnd, cancelEnd),
  );
  const endBox = h('div', { class: 'end', hidden: true });

  w.frame.endButton.onclick = () => {
    confirm.hidden = false;
    transcript.checked = true;
    confirmEnd.focus();
  };

  async function end() {
    confirmEnd.disabled = true;
    const wanted = transcript.checked;
    const email = convo.latest?.visitor.email;
    endedText = wanted && email ? t.endedSent(email) : t.ended;
    try {
      const c = await convo.post<ChatConversation>('end', { transcript: wanted });
      endedText = !wanted ? t.ended : c.transcriptSentAt ? t.endedSent(c.visitor.email) : t.noTranscript;
      hooks.onConversation(c);
    } catch (error) {
      endedText = null;
      // Already ended by the agent: there is nothing left to end.
      if (error instanceof ChatError && error.status === 409) hooks.onEnded(t.endedByAgent);
      else convo.status.textContent = errorText(t, error);
    } finally {
      confirmEnd.disabled = false;
    }
  }

  function showEnded(text: string, focus: boolean) {
    confirm.hidden = true;
    const again = button('primary', t.newChat, hooks.restart);
    const said = h('p', {}, text);
    endBox.replaceChildren(said, again);
    // The agent ended it: the visitor may still want the transcript (the desk sends it once).
    const email = convo.latest?.visitor.email;
    if (text === t.endedByAgent && email) {
      const mail = button('secondary', t.transcript, () => {
        mail.disabled = true;
        convo
          .post<ChatConversation>('end', { transcript: true })
          .then((c) => {
            said.textContent = c.transcriptSentAt ? t.endedSent(email) : t.noTranscript;
            mail.remove();
          })
          .catch((error: unknown) => {
            mail.disabled = false;
            convo.status.textContent = errorText(t, error);
          });
      });
      endBox.insertBefore(mail, again);
    }
    endBox.hidden = false;
    if (focus) again.focus();
  }

  return { confirm, endBox, endedText: () => endedText ?? t.endedByAgent, showEnded };
}

/** The desk no longer knows the conversation: all that is left is a new chat. */
export function lostView(w: Widget, restart: () => void): void {
  const again = button('primary', w.t.newChat, restart);
  w.frame.endButton.hidden = true;
  w.frame.show(h('div', { class: 'end' }, h('p', {}, w.t.lost), again));
  w.focusTarget = () => again;
}
