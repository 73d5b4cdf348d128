import type { StatusIncidentTicketTable } from '../../db/tables.js';
import type { LedgerWriter } from '../../tickets/hooks.js';
import type { StatusIncidentRow } from '../model.js';
import { IncidentTicketsRepository } from './repository.js';

/**
 * Links tickets to an incident in the writer's transaction, each new link an event of the ticket's
 * log with the person who made it. Tickets linked already stay as they were. Returns the newly
 * linked ticket ids.
 */
export async function linkTickets(
  tx: LedgerWriter,
  repo: IncidentTicketsRepository,
  incident: Pick<StatusIncidentRow, 'id' | 'name'>,
  ticketIds: string[],
  how: StatusIncidentTicketTable['how'],
  actorId: string,
  at: number,
): Promise<string[]> {
  const linked = await repo.withExecutor(tx.trx).link(incident.id, ticketIds, how, actorId, at);
  for (const ticketId of linked)
    await tx.record(
      ticketId,
      actorId,
      at,
      {
        type: 'incident_linked',
        visibility: 'public',
        data: { incidentId: incident.id, name: incident.name, how },
      },
      { refreshSla: false },
    );
  return linked;
}

/** Unlinks a ticket; the replies the incident posted on it stay in its history. */
export async function unlinkTicket(
  tx: LedgerWriter,
  repo: IncidentTicketsRepository,
  incident: Pick<StatusIncidentRow, 'id' | 'name'>,
  ticketId: string,
  actorId: string,
  at: number,
): Promise<boolean> {
  if (!(await repo.withExecutor(tx.trx).unlink(incident.id, ticketId))) return false;
  await tx.record(
    ticketId,
    actorId,
    at,
    {
      type: 'incident_unlinked',
      visibility: 'public',
      data: { incidentId: incident.id, name: incident.name },
    },
    { refreshSla: false },
  );
  return true;
}
