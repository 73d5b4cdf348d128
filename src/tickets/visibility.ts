import { canSeeTicket, type Principal } from '../auth/principal.js';
import { notFound } from '../shared/problem.js';
import type { TicketsRepository } from './repository.js';

export { canSeeTicket };

/** The ticket if the actor may see it; otherwise "not found", so other organizations' tickets do not leak. */
export async function visibleTicket(repo: TicketsRepository, actor: Principal, id: string) {
  const ticket = await repo.findTicket(id);
  if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('The ticket');
  return ticket;
}
