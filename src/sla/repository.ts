import type { Kysely, Transaction } from 'kysely';
import type { DialectName } from '../db/database.js';
import type { Database, TicketRow } from '../db/tables.js';
import { newId } from '../shared/ids.js';
import type { SlaEffect } from './engine.js';
import type { TimelineEvent } from './timeline.js';

/** The ticket columns the SLA engine owns. */
export const SLA_COLUMNS = [
  'policy_version_id',
  'sla_first_response_due_at',
  'sla_first_response_at',
  'sla_next_response_due_at',
  'sla_next_response_at',
  'sla_resolution_due_at',
  'sla_resolved_at',
  'sla_update_due_at',
  'sla_escalation_due_at',
  'sla_escalation_level',
  'sla_next_due_at',
  'sla_next_check_at',
  'sla_first_response_target_ms',
  'sla_first_response_clock',
  'sla_first_response_ms',
] as const;
export type SlaColumns = Pick<TicketRow, (typeof SLA_COLUMNS)[number]>;

/** A ticket's SLA columns before the engine has looked at it. */
export const NO_SLA: SlaColumns = {
  policy_version_id: null,
  sla_first_response_due_at: null,
  sla_first_response_at: null,
  sla_next_response_due_at: null,
  sla_next_response_at: null,
  sla_resolution_due_at: null,
  sla_resolved_at: null,
  sla_update_due_at: null,
  sla_escalation_due_at: null,
  sla_escalation_level: 0,
  sla_next_due_at: null,
  sla_next_check_at: null,
  sla_first_response_target_ms: null,
  sla_first_response_clock: null,
  sla_first_response_ms: null,
};

/**
 * Where a ticket's SLA columns are stored. The ticket ledger owns the tickets table and provides
 * this; the SLA engine computes what goes in it.
 */
export interface SlaColumnsStore {
  save(
    executor: Kysely<Database> | Transaction<Database>,
    ticketId: string,
    columns: SlaColumns,
  ): Promise<void>;
  /** Stores several tickets' columns in one statement per chunk (a scheduler batch). */
  saveMany(
    executor: Kysely<Database> | Transaction<Database>,
    rows: { ticketId: string; columns: SlaColumns }[],
  ): Promise<void>;
}

/** An effect due on a ticket, as the scheduler proposes to record it. */
export interface ProposedEffect {
  ticketId: string;
  effect: SlaEffect;
}

// Rows per multi-row INSERT: 7 parameters each, well under both databases' limits.
const EFFECT_CHUNK = 500;

/** What the SLA engine reads of tickets, and the once-only effect log it owns (sla_events). */
export class SlaRepository {
  constructor(
    readonly db: Kysely<Database> | Transaction<Database>,
    readonly dialect: DialectName,
  ) {}

  transaction<T>(work: (repo: SlaRepository, trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return (this.db as Kysely<Database>)
      .transaction()
      .execute((trx) => work(new SlaRepository(trx, this.dialect), trx));
  }

  findTicket(id: string): Promise<TicketRow | undefined> {
    return this.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async timelineEvents(ticketId: string): Promise<TimelineEvent[]> {
    const rows = await this.db
      .selectFrom('ticket_events')
      .select(['type', 'at', 'data'])
      .where('ticket_id', '=', ticketId)
      .where('type', 'in', ['created', 'message_added', 'status_changed'])
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ type: r.type, at: r.at, data: JSON.parse(r.data) as Record<string, unknown> }));
  }

  /** The timeline events of several tickets in one read, for a scheduler batch. */
  async timelineEventsFor(ticketIds: string[]): Promise<Map<string, TimelineEvent[]>> {
    const result = new Map<string, TimelineEvent[]>(ticketIds.map((id) => [id, []]));
    if (ticketIds.length === 0) return result;
    const rows = await this.db
      .selectFrom('ticket_events')
      .select(['ticket_id', 'type', 'at', 'data'])
      .where('ticket_id', 'in', ticketIds)
      .where('type', 'in', ['created', 'message_added', 'status_changed'])
      .orderBy('ticket_id')
      .orderBy('at')
      .orderBy('id')
      .execute();
    for (const r of rows) {
      result
        .get(r.ticket_id)
        ?.push({ type: r.type, at: r.at, data: JSON.parse(r.data) as Record<string, unknown> });
    }
    return result;
  }

  /** Which of these tickets staff excluded from the promise (policy section 5): they owe nothing. */
  async excludedAmong(ticketIds: string[]): Promise<Set<string>> {
    if (ticketIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('ticket_exclusions')
      .select('ticket_id')
      .where('ticket_id', 'in', ticketIds)
      .execute();
    return new Set(rows.map((r) => r.ticket_id));
  }

  /**
   * Claims up to `limit` tickets whose SLA needs a look at `now`. On PostgreSQL the rows stay locked
   * until the transaction ends and other processes skip them, so each is handled by one process.
   */
  async claimDue(now: number, limit: number): Promise<TicketRow[]> {
    let query = this.db
      .selectFrom('tickets')
      .selectAll()
      .where('sla_next_check_at', '<=', now)
      .orderBy('sla_next_check_at')
      .limit(limit);
    if (this.dialect === 'postgres') query = query.forUpdate().skipLocked();
    return query.execute();
  }

  /**
   * Records many effects, each once, in one INSERT per chunk; answers the indexes (into `effects`) of
   * those this call recorded. One already recorded (by an earlier pass or another process) is
   * skipped by its unique key, so whichever process writes it first is the only one to act on it.
   */
  async recordEffects(effects: ProposedEffect[], firedAt: number): Promise<Set<number>> {
    const recorded = new Set<number>();
    const ids = effects.map(() => newId());
    for (let start = 0; start < effects.length; start += EFFECT_CHUNK) {
      const chunk = effects.slice(start, start + EFFECT_CHUNK);
      const rows = await this.db
        .insertInto('sla_events')
        .values(
          chunk.map(({ ticketId, effect }, i) => ({
            id: ids[start + i]!,
            ticket_id: ticketId,
            kind: effect.kind,
            target: effect.target,
            due_at: effect.dueAt,
            level: effect.kind === 'escalation' ? effect.level : null,
            fired_at: firedAt,
          })),
        )
        .onConflict((oc) => oc.columns(['ticket_id', 'kind', 'target', 'due_at']).doNothing())
        .returning('id')
        .execute();
      const inserted = new Set(rows.map((r) => r.id));
      chunk.forEach((_, i) => {
        if (inserted.has(ids[start + i]!)) recorded.add(start + i);
      });
    }
    return recorded;
  }
}
