import { isStaff, type Principal } from '../auth/principal.js';
import { forbidden, notFound } from '../shared/problem.js';
import type { Clock } from '../shared/time.js';
import type { TicketLedger } from './ledger.js';
import type { TicketsRepository } from './repository.js';

export interface TicketTagsServiceDeps {
  tickets: TicketsRepository;
  ledger: TicketLedger;
  clock: Clock;
}

/**
 * Staff's free tags on tickets. Tags are the desk's own vocabulary (triage, reports, macros): only
 * staff read and write them, customers never see them.
 */
export class TicketTagsService {
  constructor(private readonly deps: TicketTagsServiceDeps) {}

  private staffOnly(actor: Principal) {
    if (!isStaff(actor)) throw forbidden('Tags are for staff.');
  }

  async list(actor: Principal, ticketId: string) {
    this.staffOnly(actor);
    if (!(await this.deps.tickets.findTicket(ticketId))) throw notFound('The ticket');
    return { tags: (await this.deps.tickets.tagsOf([ticketId])).get(ticketId) ?? [] };
  }

  /** Sets the ticket's tags to exactly these. */
  replace(actor: Principal, ticketId: string, tags: string[]) {
    return this.edit(actor, ticketId, (current) => ({
      add: tags,
      remove: current.filter((t) => !tags.includes(t)),
    }));
  }

  change(actor: Principal, ticketId: string, patch: { add?: string[]; remove?: string[] }) {
    return this.edit(actor, ticketId, () => patch);
  }

  private async edit(
    actor: Principal,
    ticketId: string,
    plan: (current: string[]) => { add?: string[] | undefined; remove?: string[] | undefined },
  ) {
    this.staffOnly(actor);
    const now = this.deps.clock();
    return this.deps.ledger.transaction(async (tx) => {
      const ticket = await tx.lock(ticketId);
      if (!ticket) throw notFound('The ticket');
      await tx.tag(ticket, actor.userId, now, plan(await tx.tags(ticketId)));
      return { tags: await tx.tags(ticketId) };
    });
  }
}
