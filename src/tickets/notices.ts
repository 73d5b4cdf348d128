import type { Transaction } from 'kysely';
import type { Database } from '../db/tables.js';

/**
 * What the ticket rules tell the customer about, written in the same transaction as the change so
 * that a notice is never lost and never sent for a change that rolled back (the email channel
 * queues mail in its outbox).
 */
export interface TicketNotices {
  /**
   * A ticket was filed (any channel); the requester is told its number and the promised response.
   * `inboundMessageId` is the mail that opened it, when it came by email: the answer threads under it.
   */
  ticketCreated(
    trx: Transaction<Database>,
    ticketId: string,
    now: number,
    origin?: { inboundMessageId?: string },
  ): Promise<void>;
  /** Staff wrote a public reply. */
  publicReply(trx: Transaction<Database>, ticketId: string, messageId: string, now: number): Promise<void>;
  /** The status moved (resolved, reopened, waiting on the customer …). */
  statusChanged(
    trx: Transaction<Database>,
    ticketId: string,
    from: string,
    to: string,
    now: number,
  ): Promise<void>;
}
