import type { Transaction } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type { Database, TicketUpdate as TicketRowUpdate } from '../../db/tables.js';
import { newId } from '../../shared/ids.js';
import type { SlaService } from '../../sla/service.js';
import type { TicketNotices } from '../../tickets/notices.js';
import { TicketsRepository } from '../../tickets/repository.js';
import type { Status } from '../../tickets/schema.js';
import { statusAfterMessage, statusColumns } from '../../tickets/status.js';
import { writeTicketEvents, type PendingEvent } from '../../tickets/visibility.js';

export interface TicketReplyDeps {
  dialect: DialectName;
  sla: Pick<SlaService, 'refresh'>;
  /** Mails the requester the reply, inside the transaction. */
  notices?: Pick<TicketNotices, 'publicReply'>;
}

export interface StaffReply {
  ticketId: string;
  author: { id: string; role: string };
  body: string;
  incidentId: string;
  /** Resolves the ticket with the reply. */
  resolve?: boolean;
}

/**
 * Writes a public staff reply on a ticket inside the caller's transaction, as
 * TicketConversationService.addMessage does on its own: the message, its events, the status it moves
 * the ticket to, the SLA recomputed (a staff public reply is a first response and a P0's update) and
 * the mail to the requester. Closed tickets are left alone. Returns whether the reply was written.
 */
export async function addStaffReply(
  trx: Transaction<Database>,
  deps: TicketReplyDeps,
  reply: StaffReply,
  now: number,
): Promise<boolean> {
  const repo = new TicketsRepository(trx, deps.dialect);
  const ticket = await repo.lockTicket(reply.ticketId);
  if (!ticket || ticket.status === 'closed') return false;
  const messageId = newId();
  await repo.insertMessage({
    id: messageId,
    ticket_id: ticket.id,
    author_id: reply.author.id,
    visibility: 'public',
    body_format: 'text',
    body: reply.body,
    created_at: now,
  });
  const events: PendingEvent[] = [
    {
      type: 'message_added',
      visibility: 'public',
      data: { messageId, visibility: 'public', authorRole: reply.author.role, incidentId: reply.incidentId },
    },
  ];
  const from = ticket.status as Status;
  const to = reply.resolve ? 'resolved' : statusAfterMessage(from, true, true);
  const changes: TicketRowUpdate = { updated_at: now };
  if (to && to !== from) {
    Object.assign(changes, statusColumns(to, now));
    events.push({
      type: 'status_changed',
      visibility: 'public',
      data: {
        from,
        to,
        cause: reply.resolve ? 'incident' : 'message',
        messageId,
        incidentId: reply.incidentId,
      },
    });
  }
  await repo.updateTicket(ticket.id, changes);
  await writeTicketEvents(repo, ticket.id, reply.author.id, now, events);
  await deps.sla.refresh(trx, ticket.id, now);
  // One mail: the reply says what happened, resolution included.
  await deps.notices?.publicReply(trx, ticket.id, messageId, now);
  return true;
}
