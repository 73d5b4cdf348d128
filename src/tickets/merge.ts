import { isStaff, type Principal } from '../auth/principal.js';
import { conflict, forbidden, notFound, unprocessable } from '../shared/problem.js';
import type { Clock } from '../shared/time.js';
import type { TicketLedger } from './ledger.js';
import type { TicketOut } from './schema.js';

export interface MergeServiceDeps {
  ledger: TicketLedger;
  clock: Clock;
  /** Presents the merged ticket as the actor sees it. */
  present: (actor: Principal, ticketId: string) => Promise<TicketOut>;
}

/**
 * Merging a duplicate into the ticket the conversation continues in. Staff only; both tickets must
 * belong to the same organization. Refused: a ticket into itself or across organizations (422, the
 * request can never succeed), a source already merged or closed, a target closed or itself merged
 * (409, the tickets' state stands in the way: merge into the ticket the pointer names instead).
 */
export class MergeService {
  constructor(private readonly deps: MergeServiceDeps) {}

  async merge(actor: Principal, sourceId: string, targetId: string): Promise<TicketOut> {
    if (!isStaff(actor)) throw forbidden('Only staff merge tickets.');
    if (sourceId === targetId)
      throw unprocessable('merge-same-ticket', 'A ticket cannot be merged into itself.');
    const now = this.deps.clock();
    await this.deps.ledger.transaction(async (tx) => {
      // Locked in id order, so two merges of the same pair never wait on each other.
      const [first, second] = sourceId < targetId ? [sourceId, targetId] : [targetId, sourceId];
      const locked = new Map([
        [first, await tx.lock(first)],
        [second, await tx.lock(second)],
      ]);
      const source = locked.get(sourceId);
      const target = locked.get(targetId);
      if (!source) throw notFound('The ticket');
      if (!target) throw notFound('The ticket to merge into');
      if (source.organization_id !== target.organization_id)
        throw unprocessable(
          'merge-across-organizations',
          'Only tickets of the same organization can be merged.',
        );
      if (source.merged_into_id !== null)
        throw conflict('ticket-merged', `Ticket #${source.number} was already merged.`, {
          mergedIntoId: source.merged_into_id,
        });
      if (source.status === 'closed')
        throw conflict('ticket-closed', `Ticket #${source.number} is closed; a closed ticket is not merged.`);
      if (target.merged_into_id !== null)
        throw conflict(
          'merge-target-merged',
          `Ticket #${target.number} was itself merged; merge into the ticket it continues in.`,
          { mergedIntoId: target.merged_into_id },
        );
      if (target.status === 'closed')
        throw conflict('ticket-closed', `Ticket #${target.number} is closed; merge into an open ticket.`);
      await tx.merge(source, target, { id: actor.userId, role: actor.role }, now);
    });
    return this.deps.present(actor, targetId);
  }
}
