import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/tables.js';
import { presentEvent } from './presenters.js';
import type { EventOut } from './schema.js';

/** The desk's own SLA bookkeeping: not a change a person made that a reply should take into account. */
const NOT_CHANGES = ['sla_warning', 'sla_breach', 'sla_escalation'];
/** Enough to show what changed; the log has the rest. */
const MAX_CHANGES = 50;

/**
 * What others did to a ticket after an instant, oldest first: new messages, status, priority and
 * assignee changes, merges. A reply started before them may no longer fit the conversation.
 */
export async function changesSince(
  db: Kysely<Database> | Transaction<Database>,
  ticketId: string,
  since: number,
  exceptActorId: string,
): Promise<EventOut[]> {
  const rows = await db
    .selectFrom('ticket_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .selectAll('e')
    .select(['u.name as actor_name', 'u.role as actor_role'])
    .where('e.ticket_id', '=', ticketId)
    .where('e.at', '>', since)
    .where('e.type', 'not in', NOT_CHANGES)
    .where((eb) => eb.or([eb('e.actor_id', 'is', null), eb('e.actor_id', '!=', exceptActorId)]))
    .orderBy('e.at')
    .orderBy('e.id')
    .limit(MAX_CHANGES)
    .execute();
  return rows.map(presentEvent);
}
