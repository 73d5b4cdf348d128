import { isStaff, type Principal } from '../auth/principal.js';
import type { TicketRow } from '../db/tables.js';
import { newId } from '../shared/ids.js';
import { notFound } from '../shared/problem.js';
import type { TicketsRepository } from './repository.js';
import type { EventType } from './schema.js';

export type Visibility = 'public' | 'internal';

export interface PendingEvent {
  type: EventType;
  visibility: Visibility;
  data: Record<string, unknown>;
}

/** Customers see their organization's tickets (contacts) or their own (members); staff see all. */
export function canSeeTicket(
  actor: Principal,
  t: Pick<TicketRow, 'organization_id' | 'requester_id'>,
): boolean {
  if (isStaff(actor)) return true;
  if (actor.role === 'contact') return t.organization_id === actor.organizationId;
  return t.requester_id === actor.userId;
}

/** The ticket if the actor may see it; otherwise "not found", so other organizations' tickets do not leak. */
export async function visibleTicket(repo: TicketsRepository, actor: Principal, id: string) {
  const ticket = await repo.findTicket(id);
  if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('The ticket');
  return ticket;
}

/** Appends to a ticket's event log. */
export async function writeTicketEvents(
  repo: TicketsRepository,
  ticketId: string,
  actorId: string,
  at: number,
  events: PendingEvent[],
) {
  await repo.insertEvents(
    events.map((e) => ({
      id: newId(),
      ticket_id: ticketId,
      type: e.type,
      visibility: e.visibility,
      actor_id: actorId,
      at,
      data: JSON.stringify(e.data),
    })),
  );
}
