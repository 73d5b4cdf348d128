import { isStaff, type Principal } from '../auth/principal.js';
import type { TicketUpdate as TicketRowUpdate } from '../db/tables.js';
import type { LiveBus } from '../live/bus.js';
import { sanitizeMessageHtml } from '../shared/html.js';
import { newId } from '../shared/ids.js';
import { decodeCursor, toPage } from '../shared/pagination.js';
import { conflict, forbidden, notFound } from '../shared/problem.js';
import type { Clock } from '../shared/time.js';
import type { SlaService } from '../sla/service.js';
import { announceActivity } from './activity.js';
import type { FairUseSignals, SupportLimitsGate } from './fair-use-hooks.js';
import type { Channel } from './schema.js';
import type { Priority } from '../policy/tiers.js';
import type { TicketNotices } from './notices.js';
import { presentEvent, presentMessage } from './presenters.js';
import type { TicketsRepository } from './repository.js';
import type { MessageCreate, Status } from './schema.js';
import { statusAfterMessage, statusColumns } from './status.js';
import {
  canSeeTicket,
  visibleTicket,
  writeTicketEvents,
  type PendingEvent,
  type Visibility,
} from './visibility.js';

export interface TicketConversationDeps {
  tickets: TicketsRepository;
  sla: SlaService;
  clock: Clock;
  live?: LiveBus;
  notices?: TicketNotices;
  /** Support limits (fair use): a suspended organization's replies wait for the end of the suspension. */
  limits?: SupportLimitsGate;
  /** Notes a reopen that brings nothing new (fair use). */
  signals?: FairUseSignals;
}

/** A ticket's conversation: public replies and internal notes, and the event log beside them. */
export class TicketConversationService {
  constructor(private readonly deps: TicketConversationDeps) {}

  async addMessage(actor: Principal, ticketId: string, input: MessageCreate) {
    if (!input.public && !isStaff(actor)) throw forbidden('Only staff write internal notes.');
    const now = this.deps.clock();
    const messageId = newId();
    const visibility: Visibility = input.public ? 'public' : 'internal';
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
    const answered = await this.deps.tickets.transaction(async (repo, trx) => {
      const ticket = await repo.lockTicket(ticketId);
      if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('The ticket');
      if (ticket.status === 'closed')
        throw conflict('ticket-closed', 'This ticket is closed; open a new ticket instead.');
      await repo.insertMessage({
        id: messageId,
        ticket_id: ticketId,
        author_id: actor.userId,
        visibility,
        body_format: input.bodyFormat,
        body: input.bodyFormat === 'html' ? sanitizeMessageHtml(input.body) : input.body,
        created_at: now,
      });
      const events: PendingEvent[] = [
        { type: 'message_added', visibility, data: { messageId, visibility, authorRole: actor.role } },
      ];
      const nextStatus = statusAfterMessage(ticket.status as Status, isStaff(actor), input.public);
      const changes: TicketRowUpdate = { updated_at: now };
      if (nextStatus) {
        Object.assign(changes, statusColumns(nextStatus, now));
        events.push({
          type: 'status_changed',
          visibility: 'public',
          data: { from: ticket.status, to: nextStatus, cause: 'message', messageId },
        });
      }
      await repo.updateTicket(ticketId, changes);
      await writeTicketEvents(repo, ticketId, actor.userId, now, events);
      await this.deps.sla.refresh(trx, ticketId, now);
      if (!isStaff(actor) && input.public)
        await this.deps.signals?.customerReplied(
          trx,
          ticket,
          { id: messageId, body: input.body },
          ticket.status === 'resolved' && nextStatus === 'open',
        );
      // The reply itself is the news; the status it moves the ticket to needs no mail of its own.
      if (input.public && isStaff(actor)) await this.deps.notices?.publicReply(trx, ticketId, messageId, now);
      return ticket;
    });
    announceActivity(this.deps.live, 'message.created', answered, visibility, now);
    return presentMessage((await this.deps.tickets.findMessageWithAuthor(messageId))!);
  }

  async listMessages(actor: Principal, ticketId: string, limit: number, cursor: string | undefined) {
    await visibleTicket(this.deps.tickets, actor, ticketId);
    const rows = await this.deps.tickets.listMessages(ticketId, !isStaff(actor), limit, decodeCursor(cursor));
    return toPage(rows, limit, presentMessage, (m) => ({ k: m.created_at, id: m.id }));
  }

  async listEvents(actor: Principal, ticketId: string, limit: number, cursor: string | undefined) {
    await visibleTicket(this.deps.tickets, actor, ticketId);
    const rows = await this.deps.tickets.listEvents(ticketId, !isStaff(actor), limit, decodeCursor(cursor));
    return toPage(rows, limit, presentEvent, (e) => ({ k: e.at, id: e.id }));
  }
}
