import type { Transaction } from 'kysely';
import { isStaff, type Principal } from '../auth/principal.js';
import type { Database } from '../db/tables.js';
import { decodeCursor, toPage } from '../shared/pagination.js';
import { conflict, forbidden, notFound } from '../shared/problem.js';
import { parseInstant, type Clock } from '../shared/time.js';
import type { Priority } from '../policy/tiers.js';
import { changesSince } from './changes.js';
import type { TicketLedger } from './ledger.js';
import { presentEvent, presentMessage } from './presenters.js';
import type { TicketsRepository } from './repository.js';
import type { Channel, MessageCreate } from './schema.js';
import type { SupportLimitsGate } from './support-limits.js';
import { canSeeTicket, visibleTicket } from './visibility.js';

export interface TicketConversationDeps {
  tickets: TicketsRepository;
  ledger: TicketLedger;
  clock: Clock;
  /** Support limits (fair use): a suspended organization's replies wait for the end of the suspension. */
  limits?: SupportLimitsGate;
}

/** A ticket's conversation: public replies and internal notes, and the event log beside them. */
export class TicketConversationService {
  constructor(private readonly deps: TicketConversationDeps) {}

  /**
   * `inTransaction` runs in the ledger's transaction once the message is written (an
   * Idempotency-Key's record): it commits or rolls back with the message.
   */
  async addMessage(
    actor: Principal,
    ticketId: string,
    input: MessageCreate,
    inTransaction?: (trx: Transaction<Database>, messageId: string) => Promise<void>,
  ) {
    if (!input.public && !isStaff(actor)) throw forbidden('Only staff write internal notes.');
    const now = this.deps.clock();
    // Read before the transaction (SQLite has one connection, which the transaction holds).
    if (!isStaff(actor) && this.deps.limits) {
      const current = await this.deps.tickets.findTicket(ticketId);
      if (current && canSeeTicket(actor, current))
        await this.deps.limits.checkReply({
          organizationId: current.organization_id,
          requesterId: current.requester_id,
          channel: current.channel as Channel,
          priority: current.priority as Priority,
          now,
        });
    }
    const added = await this.deps.ledger.transaction(async (tx) => {
      const ticket = await tx.lock(ticketId);
      if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('The ticket');
      if (ticket.status === 'closed')
        throw conflict('ticket-closed', 'This ticket is closed; open a new ticket instead.');
      // Staff who started a reply before someone else changed the ticket see what changed first.
      if (input.ifUnchangedSince !== undefined && input.confirm !== true && isStaff(actor)) {
        const changes = await changesSince(
          tx.trx,
          ticket.id,
          parseInstant(input.ifUnchangedSince),
          actor.userId,
        );
        if (changes.length > 0)
          throw conflict(
            'ticket-changed',
            `Ticket #${ticket.number} changed since this reply was started; send it with confirm to reply anyway.`,
            { changes },
          );
      }
      const message = await tx.addMessage(ticket, {
        author: { id: actor.userId, role: actor.role },
        visibility: input.public ? 'public' : 'internal',
        bodyFormat: input.bodyFormat,
        body: input.body,
        at: now,
      });
      await inTransaction?.(tx.trx, message.messageId);
      return message;
    });
    return presentMessage((await this.deps.tickets.findMessageWithAuthor(added.messageId))!, isStaff(actor));
  }

  /** One message of a ticket, as the actor may see it. */
  async getMessage(actor: Principal, ticketId: string, messageId: string) {
    await visibleTicket(this.deps.tickets, actor, ticketId);
    const message = await this.deps.tickets.findMessageWithAuthor(messageId);
    if (!message || message.ticket_id !== ticketId || (message.visibility !== 'public' && !isStaff(actor)))
      throw notFound('The message');
    return presentMessage(message, isStaff(actor));
  }

  async listMessages(actor: Principal, ticketId: string, limit: number, cursor: string | undefined) {
    await visibleTicket(this.deps.tickets, actor, ticketId);
    const rows = await this.deps.tickets.listMessages(ticketId, !isStaff(actor), limit, decodeCursor(cursor));
    const staff = isStaff(actor);
    return toPage(
      rows,
      limit,
      (m) => presentMessage(m, staff),
      (m) => ({ k: m.created_at, id: m.id }),
    );
  }

  async listEvents(actor: Principal, ticketId: string, limit: number, cursor: string | undefined) {
    await visibleTicket(this.deps.tickets, actor, ticketId);
    const rows = await this.deps.tickets.listEvents(ticketId, !isStaff(actor), limit, decodeCursor(cursor));
    return toPage(rows, limit, presentEvent, (e) => ({ k: e.at, id: e.id }));
  }
}
