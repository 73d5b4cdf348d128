import type { Kysely } from 'kysely';
import { isStaff, type Principal } from '../auth/principal.js';
import type { Database } from '../db/tables.js';
import { forbidden } from '../shared/problem.js';
import type { Clock } from '../shared/time.js';
import { ensureStaffReplyToken, replyAddress } from './reply-tokens.js';

/**
 * A member of staff's own address for answering a ticket by mail. It is given to that person only:
 * a mail to it from their address (and not failing their domain's DMARC) is their public reply.
 */
export class StaffReplyAddresses {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      supportEmail: string;
      clock: Clock;
      /** Reads the ticket as the actor may (404 otherwise). */
      tickets: { get(actor: Principal, id: string): Promise<{ id: string }> };
    },
  ) {}

  async forTicket(actor: Principal, ticketId: string): Promise<{ address: string }> {
    if (!isStaff(actor)) throw forbidden('Only staff answer tickets by mail.');
    const ticket = await this.deps.tickets.get(actor, ticketId);
    const token = await ensureStaffReplyToken(this.deps.db, ticket.id, actor.userId, this.deps.clock());
    return { address: replyAddress(this.deps.supportEmail, token) };
  }
}
