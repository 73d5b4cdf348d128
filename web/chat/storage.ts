/**
 * The saved chat: what survives a reload or a move to another page of the same site, for this tab only.
 */
import { PENDING_KEY } from './client';
import type { ExpectedResponse } from './types';

export interface Saved {
  conversationId: string;
  visitorToken: string;
  expectedResponse?: ExpectedResponse | null;
  open?: boolean;
}

const STORE = 'accord.chat';

/** The tab's session storage, or null where the page's settings forbid it. */
export const session = (() => {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
})();

export function load(): Saved | null {
  try {
    const saved = JSON.parse(session?.getItem(STORE) ?? 'null') as Partial<Saved> | null;
    return typeof saved?.conversationId === 'string' && typeof saved.visitorToken === 'string'
      ? (saved as Saved)
      : null;
  } catch {
    return null;
  }
}

/** Saves the chat, or with null forgets it together with the messages still waiting to be sent. */
export function store(saved: Saved | null): void {
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
