import { isStaff, type Principal } from '../auth/principal.js';
import type { LiveBus, PresenceSignal, PresenceState } from '../live/bus.js';
import { forbidden, notFound } from '../shared/problem.js';
import type { Clock } from '../shared/time.js';
import type { TicketsRepository } from './repository.js';

/** How long a presence lasts without renewal: the console renews it every ten seconds. */
export const PRESENCE_TTL_MS = 30_000;

export interface PresentPerson {
  userId: string;
  name: string;
  state: Exclude<PresenceState, 'left'>;
  /** When the presence lapses unless renewed. */
  until: number;
}

export interface TicketPresenceDeps {
  live: LiveBus;
  tickets: Pick<TicketsRepository, 'findTicket'>;
  clock: Clock;
  ttlMs?: number;
}

/**
 * Who of the staff has a ticket open or is replying on it, so two agents do not answer the same
 * customer at once. Kept in memory with a time to live; every process hears every announcement
 * through the live bus (PostgreSQL NOTIFY across processes), so each knows who is on a ticket
 * wherever they are connected.
 */
export class TicketPresence {
  private readonly byTicket = new Map<string, Map<string, PresentPerson>>();
  private readonly ttlMs: number;
  private lastSweep = 0;

  constructor(private readonly deps: TicketPresenceDeps) {
    this.ttlMs = deps.ttlMs ?? PRESENCE_TTL_MS;
    deps.live.subscribe((message) => {
      if (message.kind === 'presence') this.apply(message);
    });
  }

  /** Records the actor's presence on a ticket, tells every process, and answers who else is there. */
  async announce(actor: Principal, ticketId: string, state: PresenceState): Promise<PresentPerson[]> {
    await this.staffTicket(actor, ticketId);
    const signal: PresenceSignal = {
      kind: 'presence',
      ticketId,
      userId: actor.userId,
      name: actor.name,
      state,
      at: this.deps.clock(),
    };
    this.apply(signal);
    this.deps.live.publish(signal);
    return this.others(ticketId, actor.userId);
  }

  /** Who else is on a ticket now. */
  async list(actor: Principal, ticketId: string): Promise<PresentPerson[]> {
    await this.staffTicket(actor, ticketId);
    return this.others(ticketId, actor.userId);
  }

  private async staffTicket(actor: Principal, ticketId: string) {
    if (!isStaff(actor)) throw forbidden('Only staff share their presence on tickets.');
    if (!(await this.deps.tickets.findTicket(ticketId))) throw notFound('The ticket');
  }

  private others(ticketId: string, viewerId: string): PresentPerson[] {
    const now = this.deps.clock();
    return [...(this.byTicket.get(ticketId)?.values() ?? [])]
      .filter((p) => p.userId !== viewerId && p.until > now)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private apply(signal: PresenceSignal) {
    const now = this.deps.clock();
    this.sweep(now);
    let people = this.byTicket.get(signal.ticketId);
    if (signal.state === 'left') {
      people?.delete(signal.userId);
      if (people?.size === 0) this.byTicket.delete(signal.ticketId);
      return;
    }
    const until = signal.at + this.ttlMs;
    if (until <= now) return;
    if (!people) this.byTicket.set(signal.ticketId, (people = new Map<string, PresentPerson>()));
    people.set(signal.userId, { userId: signal.userId, name: signal.name, state: signal.state, until });
  }

  /** Forgets lapsed presences, at most once per time to live. */
  private sweep(now: number) {
    if (now - this.lastSweep < this.ttlMs) return;
    this.lastSweep = now;
    for (const [ticketId, people] of this.byTicket) {
      for (const [userId, p] of people) if (p.until <= now) people.delete(userId);
      if (people.size === 0) this.byTicket.delete(ticketId);
    }
  }
}
