import { useSyncExternalStore } from 'react';

/**
 * What the top navigation shows about live chat while the console is open: chats waiting, unread
 * visitor messages, and whether a new chat is ringing. Kept outside React's tree because the
 * navigation sits above the console, and free of the chat client so that it costs the other areas
 * nothing to load.
 */
export interface ChatAlerts {
  waiting: number;
  unread: number;
  ringing: boolean;
}

let current: ChatAlerts = { waiting: 0, unread: 0, ringing: false };
const listeners = new Set<() => void>();

export function setChatAlerts(next: Partial<ChatAlerts>) {
  const merged = { ...current, ...next };
  if (
    merged.waiting === current.waiting &&
    merged.unread === current.unread &&
    merged.ringing === current.ringing
  )
    return;
  current = merged;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function useChatAlerts(): ChatAlerts {
  return useSyncExternalStore(subscribe, () => current);
}
