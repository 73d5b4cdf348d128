/** Files in the chat: the button that shows one, and opening it for the visitor. */
import type { Conversation, Widget } from './context';
import { ICONS, h, icon } from './dom';
import type { ChatAttachment } from './types';

// Opened in a tab only when the browser shows them inertly; anything else is downloaded, since a blob
// URL runs in the host page's origin.
const INLINE_TYPES = /^(image\/(png|jpeg|gif|webp)|application\/pdf|text\/plain)$/;

export function fileButton(a: ChatAttachment, onClick: () => void): HTMLButtonElement {
  const button = h(
    'button',
    { type: 'button', class: 'file', title: a.filename },
    icon(ICONS.clip),
    h('span', {}, a.filename),
  );
  button.addEventListener('click', onClick);
  return button;
}

/** Fetches the file with the visitor's token, then shows it in a tab or saves it. */
export async function openAttachment(w: Widget, convo: Conversation, a: ChatAttachment): Promise<void> {
  try {
    const response = await fetch(`${w.desk}/api/v1/chat/conversations/${convo.id}/attachments/${a.id}`, {
      headers: { 'x-chat-token': convo.token },
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
      w.frame.root.append(link);
      link.click();
      link.remove();
    }
  } catch {
    convo.status.textContent = w.t.openFailed;
  }
}
