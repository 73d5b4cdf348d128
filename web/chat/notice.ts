/**
 * The notice above the log: the place in the queue, or, when no agent is online, the promised response
 * time and an offer to leave a ticket instead; once there is one, the ticket's number.
 */
import type { Conversation, Widget } from './context';
import { button, h } from './dom';
import { errorText } from './errors';
import type { ChatConversation } from './types';

export interface Notice {
  readonly el: HTMLElement;
  readonly render: () => void;
  /** Leaves a ticket instead of waiting. */
  readonly leaveTicket: () => void;
  dispose(): void;
}

export function queueNotice(
  w: Widget,
  convo: Conversation,
  onConversation: (c: ChatConversation) => void,
): Notice {
  const { t } = w;
  const el = h('div', { class: 'notice', role: 'status', hidden: true });
  const leave = button('secondary', t.leaveTicket, () => void leaveTicket());
  let shown = '';

  function render() {
    const c = convo.latest;
    if (!c) return;
    const { expected } = w;
    const none = c.status === 'queued' && w.availability?.agentsOnline === 0;
    const key = JSON.stringify([c.status, c.ticket?.number, c.queuePosition, none, expected, convo.ended]);
    if (key === shown) return;
    shown = key;
    const kids: Node[] = [];
    if (c.ticket) kids.push(h('p', {}, t.ticketCreated(c.ticket.number)));
    else if (c.status === 'queued' && !convo.ended) {
      if (none) {
        kids.push(h('p', {}, t.noAgent));
        if (expected)
          kids.push(
            h('p', {}, t.promise(expected.tierName ?? expected.tier, expected.label, expected.priority)),
          );
        kids.push(leave);
      } else kids.push(h('p', {}, c.queuePosition ? t.waiting(c.queuePosition) : t.waitingShort));
    }
    el.replaceChildren(...kids);
    el.hidden = !kids.length;
  }

  async function leaveTicket() {
    leave.disabled = true;
    try {
      const r = await convo.post<{ ticket: { id: string; number: number } }>('ticket', {});
      if (convo.latest) onConversation({ ...convo.latest, ticket: r.ticket });
    } catch (error) {
      leave.disabled = false;
      convo.status.textContent = errorText(t, error);
    }
  }

  // The policy only says something about the wait while the chat is queued: keep the count fresh.
  const timer = setInterval(() => {
    if (convo.latest?.status === 'queued' && !convo.ended && document.visibilityState === 'visible')
      void w.refreshAvailability();
  }, 30_000);

  return { el, render, leaveTicket: () => void leaveTicket(), dispose: () => clearInterval(timer) };
}
