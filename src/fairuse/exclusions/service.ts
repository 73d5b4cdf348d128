import { isStaff, type Principal } from '../../auth/principal.js';
import { forbidden, notFound } from '../../shared/problem.js';
import { toIso, type Clock } from '../../shared/time.js';
import type { TicketLedger } from '../../tickets/ledger.js';
import type { ExclusionReason } from '../../tickets/schema.js';
import type { AuditLog } from '../audit.js';
import type { ExclusionCreate } from './schema.js';

export interface ExclusionsDeps {
  ledger: TicketLedger;
  audit: AuditLog;
  clock: Clock;
}

/**
 * Tickets outside the promise (policy section 5 (a) and (b)): staff exclude a ticket for use not
 * conforming to the agreement or documentation, or for gross negligence. Its SLA clocks stop (the
 * SLA engine clears its due times and measures), it leaves the median reports, and its customer
 * sees the reason on the ticket. Removing the exclusion recomputes the clocks from the ticket's
 * events.
 */
export class TicketExclusions {
  constructor(private readonly deps: ExclusionsDeps) {}

  async exclude(
    actor: Principal,
    ticketId: string,
    input: ExclusionCreate,
  ): Promise<{ reason: ExclusionReason; note: string; at: string }> {
    assertStaff(actor);
    const now = this.deps.clock();
    const at = await this.deps.ledger.transaction(async (tx) => {
      const { trx } = tx;
      const ticket = await tx.lock(ticketId);
      if (!ticket) throw notFound('The ticket');
      const existing = await trx
        .selectFrom('ticket_exclusions')
        .select('excluded_at')
        .where('ticket_id', '=', ticketId)
        .executeTakeFirst();
      // Excluding again corrects the reason or the note; the clocks stopped at the first exclusion.
      if (existing)
        await trx
          .updateTable('ticket_exclusions')
          .set({ reason: input.reason, note: input.note, excluded_by: actor.userId })
          .where('ticket_id', '=', ticketId)
          .execute();
      else
        await trx
          .insertInto('ticket_exclusions')
          .values({
            ticket_id: ticketId,
            reason: input.reason,
            note: input.note,
            excluded_by: actor.userId,
            excluded_at: now,
          })
          .execute();
      await this.deps.audit.record(
        {
          organizationId: ticket.organization_id,
          ticketId,
          actorId: actor.userId,
          action: 'ticket.excluded',
          reason: input.note,
          data: { exclusion: input.reason, number: ticket.number, corrected: existing !== undefined },
          at: now,
        },
        trx,
      );
      // The exclusion stops the SLA clocks: the ledger recomputes them with the event.
      await tx.record(ticketId, actor.userId, now, {
        type: 'excluded',
        visibility: 'public',
        data: { reason: input.reason, note: input.note, corrected: existing !== undefined },
      });
      return existing ? Number(existing.excluded_at) : now;
    });
    return { reason: input.reason, note: input.note, at: toIso(at) };
  }

  async remove(actor: Principal, ticketId: string, reason: string): Promise<void> {
    assertStaff(actor);
    const now = this.deps.clock();
    await this.deps.ledger.transaction(async (tx) => {
      const { trx } = tx;
      const ticket = await tx.lock(ticketId);
      if (!ticket) throw notFound('The ticket');
      const removed = await trx
        .deleteFrom('ticket_exclusions')
        .where('ticket_id', '=', ticketId)
        .returning('reason')
        .executeTakeFirst();
      if (!removed) throw notFound('The exclusion');
      await this.deps.audit.record(
        {
          organizationId: ticket.organization_id,
          ticketId,
          actorId: actor.userId,
          action: 'ticket.exclusion_removed',
          reason,
          data: { exclusion: removed.reason, number: ticket.number },
          at: now,
        },
        trx,
      );
      // The clocks run again as the ticket's events say, as if it had never been excluded.
      await tx.record(ticketId, actor.userId, now, {
        type: 'exclusion_removed',
        visibility: 'public',
        data: { reason: removed.reason, note: reason },
      });
    });
  }
}

function assertStaff(actor: Principal) {
  if (!isStaff(actor)) throw forbidden('Only staff exclude a ticket from the promise.');
}
