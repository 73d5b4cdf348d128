import type { Kysely, Transaction } from 'kysely';
import type { DialectName } from '../db/database.js';
import type { Database, TicketRow } from '../db/tables.js';
import type { Clock } from '../shared/time.js';
import {
  computeSla,
  dueEffects,
  type SlaEffect,
  type SlaState,
  type SlaTerms,
  type TargetTerm,
} from './engine.js';
import { NO_SLA, SLA_COLUMNS, SlaRepository, type SlaColumns, type SlaColumnsStore } from './repository.js';
import { PageClock } from './page-clock.js';
import { timelineFromEvents } from './timeline.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Finds the promise that applies to tickets: their policy version, tier, priority and contract overrides. */
export interface TermsResolver {
  termsFor(
    tickets: TicketRow[],
    executor: Executor,
  ): Promise<Map<string, { terms: SlaTerms; policyVersionId: string }>>;
}

/** An effect the scheduler recorded, with the ticket it fired on and the terms that made it due. */
export interface FiredEffect {
  ticket: TicketRow;
  effect: SlaEffect;
  terms: SlaTerms;
}

/**
 * Told of the warnings, breaches and escalations the scheduler records, each once, inside the
 * scheduler's transaction, a whole batch at a time (in the order recorded): the ticket's history and
 * the staff notifications register one each and write a batch in a few statements.
 */
export interface SlaEffectHook {
  slaEffects(trx: Transaction<Database>, fired: FiredEffect[], now: number): Promise<void>;
}

export interface SlaServiceDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  terms: TermsResolver;
  /** The ticket ledger's store for the deadline columns. */
  columns: SlaColumnsStore;
  clock: Clock;
}

const RETRY_AFTER_MS = 15 * 60_000;

const seconds = (ms: number) => Math.round(ms / 1000);

/** The SLA engine put to work: deadlines stored on tickets, and effects fired once when due. */
export class SlaService {
  private readonly effectHooks: SlaEffectHook[] = [];

  constructor(private readonly deps: SlaServiceDeps) {}

  /** Adds a context's hook for recorded effects; hooks run in the order they were registered. */
  onEffect(hook: SlaEffectHook): void {
    this.effectHooks.push(hook);
  }

  private save(executor: Executor, ticketId: string, columns: SlaColumns) {
    return this.deps.columns.save(executor, ticketId, columns);
  }

  repository(executor: Executor = this.deps.db) {
    return new SlaRepository(executor, this.deps.dialect);
  }

  /**
   * Recomputes one ticket's deadlines after a change; the ticket ledger calls it inside the change's
   * transaction. Whatever is already due wakes the scheduler at once, unless `wakeForPastDue` is
   * false (a ticket imported from another desk: what fell due there is history, not news).
   */
  async refresh(
    executor: Executor,
    ticketId: string,
    now: number,
    options: { wakeForPastDue: boolean } = { wakeForPastDue: true },
  ): Promise<SlaState | undefined> {
    const repo = this.repository(executor);
    const ticket = await repo.findTicket(ticketId);
    if (!ticket) return undefined;
    // A merged ticket's promise continues in the ticket it was merged into; it owes nothing itself.
    if (ticket.merged_into_id !== null || (await repo.excludedAmong([ticket.id])).size > 0) {
      await this.save(executor, ticket.id, excludedColumns(ticket));
      return undefined;
    }
    const resolved = (await this.deps.terms.termsFor([ticket], executor)).get(ticket.id);
    if (!resolved) return undefined;
    const state = computeSla(
      resolved.terms,
      timelineFromEvents(ticket.created_at, await repo.timelineEvents(ticket.id)),
      now,
    );
    // Something already due wakes the scheduler now; otherwise it wakes at the next instant that matters.
    const pending = options.wakeForPastDue && dueEffects(state, now).length > 0 ? now : null;
    await this.save(
      executor,
      ticket.id,
      columnsOf(state, resolved.policyVersionId, minOf(state.nextCheckAt, pending), ticket),
    );
    return state;
  }

  /**
   * Stores the first-response measure the reports read on tickets whose SLA was computed before the
   * desk kept it, a keyset batch at a time. Returns how many tickets it looked at.
   */
  async backfillMeasures(now: number, batchSize = 200): Promise<number> {
    let after = '';
    let seen = 0;
    for (;;) {
      const batch = await this.deps.db
        .selectFrom('tickets')
        .select('id')
        .where('id', '>', after)
        .where('policy_version_id', 'is not', null)
        .where('sla_first_response_target_ms', 'is', null)
        // An excluded ticket has no measure on purpose.
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('ticket_exclusions as x')
                .select('x.ticket_id')
                .whereRef('x.ticket_id', '=', 'tickets.id'),
            ),
          ),
        )
        .orderBy('id')
        .limit(batchSize)
        .execute();
      if (batch.length === 0) return seen;
      for (const { id } of batch)
        await this.deps.db.transaction().execute((trx) => this.refresh(trx, id, now));
      seen += batch.length;
      after = batch.at(-1)!.id;
    }
  }

  /**
   * One scheduler pass: claims the tickets due for a look a batch at a time, records each effect once
   * (a unique key per ticket, kind, target and due time), tells the hooks of the ones this pass
   * recorded, and stores the next wake-up. Each batch is one transaction of a few statements: the
   * claim, the batch's reads, one INSERT of its effects, the hooks' writes and one UPDATE of its
   * tickets. Returns how many effects it recorded.
   */
  async runDue(
    now: number,
    options: {
      batchSize?: number;
      /** Told of a ticket that could not be computed; it is retried later and the others go on. */
      onError?: (error: unknown, ticketId: string) => void;
    } = {},
  ): Promise<number> {
    // SQLite serves every request through one connection: smaller batches keep each pause short.
    const batchSize = options.batchSize ?? (this.deps.dialect === 'sqlite' ? 50 : 200);
    let recorded = 0;
    for (;;) {
      const { claimed, effects } = await this.repository().transaction((repo, trx) =>
        this.runBatch(repo, trx, now, batchSize, options.onError),
      );
      recorded += effects;
      if (claimed < batchSize) return recorded;
      // On SQLite every statement completes synchronously: a pause lets waiting requests in.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private async runBatch(
    repo: SlaRepository,
    trx: Transaction<Database>,
    now: number,
    batchSize: number,
    onError: ((error: unknown, ticketId: string) => void) | undefined,
  ): Promise<{ claimed: number; effects: number }> {
    const tickets = await repo.claimDue(now, batchSize);
    if (tickets.length === 0) return { claimed: 0, effects: 0 };
    // The batch's terms and timelines in a few reads; should one ticket's terms fail to resolve,
    // each ticket is resolved alone so that only that one waits.
    let batchTerms: Awaited<ReturnType<TermsResolver['termsFor']>> | undefined;
    try {
      batchTerms = await this.deps.terms.termsFor(tickets, repo.db);
    } catch {
      batchTerms = undefined;
    }
    const timelines = await repo.timelineEventsFor(tickets.map((t) => t.id));
    const excluded = await repo.excludedAmong(tickets.map((t) => t.id));
    const columns: { ticketId: string; columns: SlaColumns }[] = [];
    const proposed: FiredEffect[] = [];
    for (const ticket of tickets) {
      // Excluded since its last look: nothing more fires for it.
      if (excluded.has(ticket.id)) {
        columns.push({ ticketId: ticket.id, columns: excludedColumns(ticket) });
        continue;
      }
      try {
        // Computed before anything is written, so a ticket that cannot be computed leaves the
        // transaction clean and holds up no other ticket.
        const resolved = (batchTerms ?? (await this.deps.terms.termsFor([ticket], repo.db))).get(ticket.id);
        if (!resolved) {
          columns.push({ ticketId: ticket.id, columns: { ...pickSla(ticket), sla_next_check_at: null } });
          continue;
        }
        const state = computeSla(
          resolved.terms,
          timelineFromEvents(ticket.created_at, timelines.get(ticket.id) ?? []),
          now,
        );
        for (const effect of dueEffects(state, now)) proposed.push({ ticket, effect, terms: resolved.terms });
        columns.push({
          ticketId: ticket.id,
          columns: columnsOf(state, resolved.policyVersionId, state.nextCheckAt, ticket),
        });
      } catch (error) {
        onError?.(error, ticket.id);
        columns.push({
          ticketId: ticket.id,
          columns: { ...pickSla(ticket), sla_next_check_at: now + RETRY_AFTER_MS },
        });
      }
    }
    const inserted = await repo.recordEffects(
      proposed.map((p) => ({ ticketId: p.ticket.id, effect: p.effect })),
      now,
    );
    const fired = proposed.filter((_, i) => inserted.has(i));
    if (fired.length > 0) for (const hook of this.effectHooks) await hook.slaEffects(trx, fired, now);
    await this.deps.columns.saveMany(trx, columns);
    return { claimed: tickets.length, effects: fired.length };
  }

  /** The SLA state of tickets as the API shows it, from their stored deadlines (no event reads). */
  async present(tickets: TicketRow[], now: number, executor: Executor = this.deps.db) {
    const termsByTicket = await this.deps.terms.termsFor(tickets, executor);
    // Every row is measured at the same instant: the business calendar is read once for the page.
    const clock = new PageClock(now);
    const result = new Map<string, SlaView | null>();
    for (const ticket of tickets) {
      const resolved = termsByTicket.get(ticket.id);
      result.set(ticket.id, resolved ? presentSla(ticket, resolved.terms, clock) : null);
    }
    return result;
  }
}

const pickSla = (t: TicketRow) => Object.fromEntries(SLA_COLUMNS.map((c) => [c, t[c]])) as SlaColumns;

/**
 * An excluded ticket (policy section 5) is outside the promise: no due time, no scheduler wake-up,
 * no measure for the reports. It keeps its policy version, so that removing the exclusion
 * recomputes the same promise from its events.
 */
const excludedColumns = (t: TicketRow): SlaColumns => ({ ...NO_SLA, policy_version_id: t.policy_version_id });

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

function columnsOf(
  state: SlaState,
  policyVersionId: string,
  nextCheckAt: number | null,
  ticket: TicketRow,
): SlaColumns {
  return {
    policy_version_id: policyVersionId,
    sla_first_response_due_at: state.firstResponse.dueAt,
    sla_first_response_at: state.firstResponse.metAt,
    sla_next_response_due_at: state.nextResponse?.dueAt ?? null,
    sla_next_response_at: state.nextResponse?.metAt ?? null,
    sla_resolution_due_at: state.resolution?.dueAt ?? null,
    sla_resolved_at: state.resolution?.metAt ?? ticket.sla_resolved_at ?? ticket.resolved_at,
    sla_update_due_at: state.updates?.dueAt ?? null,
    sla_escalation_due_at: state.escalation?.nextDueAt ?? null,
    sla_escalation_level: state.escalation?.level ?? 0,
    sla_next_due_at: state.nextDueAt,
    sla_next_check_at: nextCheckAt,
    ...firstResponseMeasure(state),
  };
}

/**
 * The first response as the policy measures it: on the target's own clock (business time for a
 * business-day target), stored so that reports read medians straight from the tickets.
 */
function firstResponseMeasure(state: SlaState) {
  const { term, metAt, remainingMs } = state.firstResponse;
  const targetMs = term.minutes * 60_000;
  return {
    sla_first_response_target_ms: targetMs,
    sla_first_response_clock: term.clock,
    // remainingMs is frozen at the response: the target less what it took.
    sla_first_response_ms: metAt === null ? null : Math.max(0, targetMs - remainingMs),
  };
}

export interface SlaTargetView {
  target: { label: string; minutes: number; clock: TargetTerm['clock']; overridden: boolean };
  dueAt: string;
  metAt: string | null;
  breached: boolean;
  /** Seconds of the target's own clock left (negative: over), measured at the met time once met. */
  remainingSeconds: number;
}

export interface SlaView {
  policyVersion: string;
  firstResponse: SlaTargetView;
  nextResponse: SlaTargetView | null;
  resolution: SlaTargetView | null;
  update: { every: SlaTargetView['target']; dueAt: string | null; breached: boolean } | null;
  escalation: { level: number; nextDueAt: string | null } | null;
  nextDueAt: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const termView = (t: TargetTerm) => ({
  label: t.label,
  minutes: t.minutes,
  clock: t.clock,
  overridden: t.overridden,
});

function targetView(
  term: TargetTerm,
  terms: SlaTerms,
  dueAt: number,
  metAt: number | null,
  active: boolean,
  clock: PageClock,
): SlaTargetView {
  const { now } = clock;
  const measuredAt = metAt ?? now;
  return {
    target: termView(term),
    dueAt: iso(dueAt)!,
    metAt: iso(metAt),
    breached: metAt !== null ? metAt > dueAt : active && now > dueAt,
    remainingSeconds: seconds(clock.elapsed(term, terms.calendar, measuredAt, dueAt)),
  };
}

/**
 * Builds the API's SLA view from a ticket's stored deadlines and the terms that produced them, as
 * at `clock.now` (or an instant).
 */
export function presentSla(t: TicketRow, terms: SlaTerms, at: number | PageClock): SlaView | null {
  if (t.sla_first_response_due_at === null) return null;
  const clock = typeof at === 'number' ? new PageClock(at) : at;
  const { now } = clock;
  const active = t.status !== 'resolved' && t.status !== 'closed';
  return {
    policyVersion: terms.policyVersion,
    firstResponse: targetView(
      terms.firstResponse,
      terms,
      t.sla_first_response_due_at,
      t.sla_first_response_at,
      active,
      clock,
    ),
    nextResponse:
      t.sla_next_response_due_at === null
        ? null
        : targetView(
            terms.firstResponse,
            terms,
            t.sla_next_response_due_at,
            t.sla_next_response_at,
            active,
            clock,
          ),
    resolution:
      terms.resolution && t.sla_resolution_due_at !== null
        ? targetView(terms.resolution, terms, t.sla_resolution_due_at, t.sla_resolved_at, active, clock)
        : null,
    update: terms.p0
      ? {
          every: termView(terms.p0.updateEvery),
          dueAt: iso(t.sla_update_due_at),
          breached: t.sla_update_due_at !== null && now > t.sla_update_due_at,
        }
      : null,
    escalation: terms.p0 ? { level: t.sla_escalation_level, nextDueAt: iso(t.sla_escalation_due_at) } : null,
    nextDueAt: iso(t.sla_next_due_at),
  };
}
