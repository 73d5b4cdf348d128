/**
 * What the parts of the chat button share. The widget (mount) owns the visitor's state; the open
 * conversation's parts share one Conversation.
 */
import type { ChatClient } from './client';
import type { Strings } from './i18n';
import type { Frame } from './launcher';
import type { Saved } from './storage';
import type { ChatConversation, ChatLocale, ExpectedResponse, PublicAvailability } from './types';

/** The longest message the desk takes, in characters. */
export const MAX_MESSAGE = 4000;

export interface Widget {
  /** The desk's origin: where the script came from. */
  readonly desk: string;
  readonly locale: ChatLocale;
  readonly t: Strings;
  /** The vendor app's same-origin URL for the signed-in user's embed token, if any. */
  readonly tokenUrl: string | null;
  /** Whether the visitor says how urgent it is. */
  readonly picker: boolean;
  readonly frame: Frame;
  /** The conversation this tab has going, if any. */
  saved: Saved | null;
  availability: PublicAvailability | null;
  /** The policy's first-response promise for this visitor, once the desk has said it. */
  expected: ExpectedResponse | null;
  isOpen: boolean;
  /** Agent messages that arrived while the visitor was not looking. */
  unread: number;
  /** What takes the focus when the visitor opens the panel. */
  focusTarget: () => HTMLElement | null;
  /** The open conversation, while one is shown. */
  chat: ChatView | null;
  /** Repaints the start form with the latest availability, while it is shown. */
  renderForm: (() => void) | null;
  /** A JSON call to the desk's /api/v1{path}. */
  readonly api: <T>(method: string, path: string, body?: unknown) => Promise<T>;
  updateLauncher(): void;
  refreshAvailability(): Promise<void>;
  /** Saves the conversation, with whether the panel is open. */
  remember(): void;
  showForm(): void;
  showChat(saved: Saved, initial: ChatConversation | null): void;
}

/** What the rest of the button asks of the open chat. */
export interface ChatView {
  renderNotice(): void;
  scheduleReceipt(): void;
  /** Turns the waiting chat into a ticket, as "Leave a ticket instead" does. */
  leaveTicket(): void;
}

/** The open conversation, as its parts (log, composer, notice, end flow) see it. */
export interface Conversation {
  readonly id: string;
  /** The visitor's token for this conversation. */
  readonly token: string;
  readonly client: ChatClient;
  /** The conversation as the desk last described it. */
  latest: ChatConversation | null;
  /** The seq of the newest stored message shown (0 = none). */
  lastSeq: number;
  ended: boolean;
  /** The line that tells the visitor what went wrong. */
  readonly status: HTMLElement;
  /** POST to /chat/conversations/{id}/{path}, as the visitor. */
  post<T>(path: string, body: unknown): Promise<T>;
}
