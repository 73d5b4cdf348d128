import type { TicketEventRow } from '../db/tables.js';
import { newId } from '../shared/ids.js';
import type { EventType } from './schema.js';

/** One row of a ticket's event log at its own instant (imports and chats write history after the fact). */
export function event(
  ticketId: string,
  type: EventType,
  visibility: 'public' | 'internal',
  actorId: string | null,
  at: number,
  data: Record<string, unknown>,
): TicketEventRow {
  return {
    id: newId(),
    ticket_id: ticketId,
    type,
    visibility,
    actor_id: actorId,
    at,
    data: JSON.stringify(data),
  };
}
