/**
 * What each side sees of the other: the line saying the agent is typing, and the visitor's receipts
 * (delivered, and seen while the panel is open on a visible page).
 */
import type { Conversation, Widget } from './context';
import { h } from './dom';
import type { ChatMessage } from './types';

export interface Presence {
  readonly typingLine: HTMLElement;
  /** An agent's message arrived: the typing line goes, and the launcher counts it if the visitor is away. */
  agentWrote(m: ChatMessage): void;
  readonly scheduleReceipt: () => void;
  dispose(): void;
}

export function presence(w: Widget, convo: Conversation): Presence {
  const { client, id } = convo;
  const typingLine = h('div', { class: 'typing' });
  const visible = () => w.isOpen && document.visibilityState === 'visible';

  // Receipts go out once per burst (a reload replays the whole transcript).
  let receiptTimer: ReturnType<typeof setTimeout> | undefined;
  function scheduleReceipt() {
    clearTimeout(receiptTimer);
    receiptTimer = setTimeout(() => {
      const seq = convo.lastSeq;
      if (!seq) return;
      client.receipt(id, { deliveredSeq: seq, ...(visible() ? { seenSeq: seq } : {}) });
    }, 200);
  }
  const onVisibility = () => {
    if (visible() && w.unread) {
      w.unread = 0;
      w.updateLauncher();
    }
    scheduleReceipt();
  };
  document.addEventListener('visibilitychange', onVisibility);

  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  client.on('typing', (f) => {
    if (f.conversationId !== id || f.side !== 'agent') return;
    clearTimeout(typingTimer);
    typingLine.textContent = f.active && !convo.ended ? w.t.typing(f.name) : '';
    // A lost "stopped typing" must not leave the line up for good.
    if (f.active) typingTimer = setTimeout(() => (typingLine.textContent = ''), 8000);
  });

  return {
    typingLine,
    agentWrote(m) {
      typingLine.textContent = '';
      if (!visible() && m.seq > (convo.latest?.visitorReceipt.seenSeq ?? 0)) {
        w.unread++;
        w.updateLauncher();
      }
    },
    scheduleReceipt,
    dispose() {
      clearTimeout(receiptTimer);
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
