import type { Transaction } from 'kysely';
import type { Database, TicketRow, TicketUpdate } from '../db/tables.js';
import type { TicketActivity } from '../live/bus.js';
import type { Channel, EventType, Status } from './schema.js';
import type { OverLimit } from './support-limits.js';

export type Visibility = 'public' | 'internal';

/** Who wrote something: a user, with the role they wrote it in. */
export interface Writer {
  id: string;
  role: string;
}

/** One entry of a ticket's event log before the ledger gives it an id, an actor and an instant. */
export interface PendingEvent {
  type: EventType;
  visibility: Visibility;
  data: Record<string, unknown>;
}

/** How a live ticket came to be, for the hooks that act on new tickets. */
export interface Filing {
  /** Who filed it: the customer, or staff filing for them. */
  by: Writer;
  /** The opening message's text, as fair use and the help center read it. */
  body: string;
  /** The mail that opened it, when it came by email: the acknowledgement threads under it. */
  inboundMessageId?: string | undefined;
  /** The help center suggestion session of the form it was written in. */
  suggestionSessionId?: string | undefined;
  /** A support limit this P0 went over: it is filed all the same and a lead takes it. */
  overLimit?: OverLimit | null | undefined;
  /** The open incident the customer confirmed the ticket is about. */
  incidentId?: string | undefined;
}

/** A message the ledger added to a ticket. */
export interface AddedMessage {
  /** The ticket as it was before the message. */
  ticket: TicketRow;
  messageId: string;
  author: Writer;
  byStaff: boolean;
  visibility: Visibility;
  body: string;
  at: number;
  /** Where the message was written; chat messages are read live, not mailed. */
  channel: Channel | undefined;
  status: { from: Status; to: Status | undefined };
}

/** Fields of a ticket the ledger changed, with the events that say so. */
export interface ChangedTicket {
  /** The ticket as it was before the change. */
  ticket: TicketRow;
  actorId: string | null;
  at: number;
  events: PendingEvent[];
}

/** What a hook may write in the transaction it runs in: through the ledger, like everyone else. */
export interface LedgerWriter {
  readonly trx: Transaction<Database>;
  /** Changes a ticket's fields with the events that record the change. */
  change(
    ticket: TicketRow,
    actorId: string | null,
    at: number,
    events: PendingEvent[],
    columns: TicketUpdate,
  ): Promise<void>;
  /** Appends one event to a ticket's log; `refreshSla: false` for facts the promise does not read. */
  record(
    ticketId: string,
    actorId: string | null,
    at: number,
    event: PendingEvent,
    options?: { refreshSla?: boolean },
  ): Promise<void>;
}

/**
 * What other contexts do when the ledger writes: fair use, the help center, incidents and mail
 * inside the write's transaction (after the SLA is recomputed), open screens after it commits.
 * Side effects flow one way: a hook is told, it never calls back into the channel that wrote.
 */
export interface TicketHooks {
  ticketOpened?(tx: LedgerWriter, ticket: TicketRow, filing: Filing): Promise<void>;
  messageAdded?(tx: LedgerWriter, added: AddedMessage): Promise<void>;
  ticketChanged?(tx: LedgerWriter, changed: ChangedTicket): Promise<void>;
  /**
   * A ticket's text was written whole rather than message by message: opened with its history (an
   * import) or given another ticket's conversation (a merge). Views built from its text rebuild it.
   */
  conversationWritten?(tx: LedgerWriter, ticketId: string): Promise<void>;
  /** After the transaction committed: what changed, for open screens. */
  committed?(activity: TicketActivity): void;
}
