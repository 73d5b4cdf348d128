import { sql, type Kysely, type Selectable, type SqlBool, type Transaction } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type {
  Database,
  StatusIncidentTable,
  StatusIncidentUpdateTable,
  StatusSubscriberTable,
} from '../../db/tables.js';
import { newId } from '../../shared/ids.js';

type Executor = Kysely<Database> | Transaction<Database>;

export type SubscriberRow = Selectable<StatusSubscriberTable>;

/** A claimed delivery with what its message is written from. */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  subscriber: SubscriberRow;
  incident: Selectable<StatusIncidentTable>;
  update: Selectable<StatusIncidentUpdateTable>;
}

/** Longest error text kept on a delivery. */
const MAX_ERROR_CHARS = 1000;

/** Subscribers, their attempts ledger and their deliveries. */
export class SubscribersRepository {
  constructor(
    readonly db: Executor,
    readonly dialect: DialectName,
  ) {}

  withExecutor(executor: Executor) {
    return new SubscribersRepository(executor, this.dialect);
  }

  /** Counts a public request against `key` (an IP): kept in the sign-in attempts ledger, pruned after 15 minutes. */
  async recordAttempt(key: string, now: number) {
    await this.db.insertInto('login_failures').values({ id: newId(), key, at: now }).execute();
  }

  async countAttempts(key: string, since: number): Promise<number> {
    const row = await this.db
      .selectFrom('login_failures')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key', '=', key)
      .where('at', '>', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async countRecentForEmail(email: string, since: number): Promise<number> {
    const row = await this.db
      .selectFrom('status_subscribers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('email', '=', email)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The ids among `ids` that name no component. */
  async unknownComponents(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const found = await this.db
      .selectFrom('status_components')
      .select('id')
      .where('id', 'in', [...ids])
      .execute();
    const known = new Set(found.map((c) => c.id));
    return ids.filter((id) => !known.has(id));
  }

  async insert(row: SubscriberRow) {
    await this.db.insertInto('status_subscribers').values(row).execute();
  }

  findByToken(token: string): Promise<SubscriberRow | undefined> {
    return this.db.selectFrom('status_subscribers').selectAll().where('token', '=', token).executeTakeFirst();
  }

  /**
   * Confirms an email subscription; any earlier active subscription of the same address ends, so that
   * an address that subscribes again (other components, other language) gets each update once.
   */
  async confirm(subscriber: SubscriberRow, now: number) {
    await this.db
      .updateTable('status_subscribers')
      .set({ unsubscribed_at: now })
      .where('kind', '=', 'email')
      .where('email', '=', subscriber.email)
      .where('id', '!=', subscriber.id)
      .where('confirmed_at', 'is not', null)
      .where('unsubscribed_at', 'is', null)
      .execute();
    await this.db
      .updateTable('status_subscribers')
      .set({ confirmed_at: now })
      .where('id', '=', subscriber.id)
      .where('confirmed_at', 'is', null)
      .execute();
  }

  async unsubscribe(id: string, now: number) {
    await this.db
      .updateTable('status_subscribers')
      .set({ unsubscribed_at: now })
      .where('id', '=', id)
      .where('unsubscribed_at', 'is', null)
      .execute();
  }

  /**
   * One pending delivery of the update per confirmed, subscribed subscriber whose components meet the
   * incident's (an incident naming no component, and a subscriber naming none, match everything), in
   * one INSERT … SELECT: subscribers never pass through the application. A delivery that exists
   * already is left alone (unique subscriber + update). Returns how many were added.
   */
  async insertDeliveries(updateId: string, componentIds: readonly string[], now: number): Promise<number> {
    const matches =
      componentIds.length === 0
        ? sql<SqlBool>`1 = 1`
        : this.dialect === 'postgres'
          ? sql<SqlBool>`jsonb_exists_any(cast(s.component_ids as jsonb), cast(${[...componentIds]} as text[]))`
          : sql<SqlBool>`exists (select 1 from json_each(s.component_ids) j where j.value in (${sql.join([...componentIds])}))`;
    const result = await this.db
      .insertInto('status_deliveries')
      .columns([
        'id',
        'subscriber_id',
        'update_id',
        'status',
        'attempts',
        'next_attempt_at',
        'locked_until',
        'last_error',
        'created_at',
        'sent_at',
      ])
      .expression(
        this.db
          .selectFrom('status_subscribers as s')
          .select([
            // The delivery's id is its key: the update and the subscriber.
            sql<string>`cast(${updateId} as text) || '.' || s.id`.as('id'),
            's.id as subscriber_id',
            sql<string>`cast(${updateId} as text)`.as('update_id'),
            sql<string>`'pending'`.as('status'),
            sql<number>`0`.as('attempts'),
            sql<number>`cast(${now} as bigint)`.as('next_attempt_at'),
            sql<null>`null`.as('locked_until'),
            sql<null>`null`.as('last_error'),
            sql<number>`cast(${now} as bigint)`.as('created_at'),
            sql<null>`null`.as('sent_at'),
          ])
          .where('s.confirmed_at', 'is not', null)
          .where('s.unsubscribed_at', 'is', null)
          .where((eb) => eb.or([eb('s.component_ids', 'is', null), matches])),
      )
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  }

  async incidentComponentIds(incidentId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('status_incident_components')
      .select('component_id')
      .where('incident_id', '=', incidentId)
      .execute();
    return rows.map((r) => r.component_id);
  }

  /**
   * Takes up to `limit` due deliveries for `leaseMs` and counts the attempt, as the mail outbox does:
   * on PostgreSQL rows another worker is claiming are skipped, and the re-checked condition keeps two
   * workers from holding the same delivery.
   */
  async claimDue(now: number, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    let due = this.db
      .selectFrom('status_deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .orderBy('next_attempt_at')
      .limit(limit);
    if (this.dialect === 'postgres') due = due.forUpdate().skipLocked();
    const claimed = await this.db
      .updateTable('status_deliveries')
      .set((eb) => ({ locked_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', due)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .returning(['id', 'attempts', 'subscriber_id', 'update_id'])
      .execute();
    if (claimed.length === 0) return [];
    const subscriberIds = [...new Set(claimed.map((c) => c.subscriber_id))];
    const updateIds = [...new Set(claimed.map((c) => c.update_id))];
    const [subscribers, updates] = await Promise.all([
      this.db.selectFrom('status_subscribers').selectAll().where('id', 'in', subscriberIds).execute(),
      this.db.selectFrom('status_incident_updates').selectAll().where('id', 'in', updateIds).execute(),
    ]);
    const incidents = await this.db
      .selectFrom('status_incidents')
      .selectAll()
      .where('id', 'in', [...new Set(updates.map((u) => u.incident_id))])
      .execute();
    const subscriberById = new Map(subscribers.map((s) => [s.id, s]));
    const updateById = new Map(updates.map((u) => [u.id, u]));
    const incidentById = new Map(incidents.map((i) => [i.id, i]));
    return claimed
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((c) => {
        const update = updateById.get(c.update_id)!;
        return {
          id: c.id,
          attempts: c.attempts,
          subscriber: subscriberById.get(c.subscriber_id)!,
          update,
          incident: incidentById.get(update.incident_id)!,
        };
      });
  }

  /** The delivery went out; false when the claim had lapsed and another worker took it over. */
  async markSent(id: string, attempt: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('status_deliveries')
      .set({ status: 'sent', sent_at: now, locked_until: null, last_error: null })
      .where('id', '=', id)
      .where('attempts', '=', attempt)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Marks many claimed deliveries sent in a statement per attempt number (nearly always one), each
   * fenced by its claim; returns the ids whose claim still held.
   */
  async markSentMany(claims: { id: string; attempts: number }[], now: number): Promise<Set<string>> {
    const byAttempt = new Map<number, string[]>();
    for (const c of claims) byAttempt.set(c.attempts, [...(byAttempt.get(c.attempts) ?? []), c.id]);
    const held = new Set<string>();
    for (const [attempts, ids] of byAttempt) {
      const rows = await this.db
        .updateTable('status_deliveries')
        .set({ status: 'sent', sent_at: now, locked_until: null, last_error: null })
        .where('id', 'in', ids)
        .where('attempts', '=', attempts)
        .where('status', '=', 'pending')
        .returning('id')
        .execute();
      for (const row of rows) held.add(row.id);
    }
    return held;
  }

  async markRetry(id: string, attempt: number, error: string, nextAttemptAt: number): Promise<boolean> {
    const result = await this.db
      .updateTable('status_deliveries')
      .set({
        next_attempt_at: nextAttemptAt,
        locked_until: null,
        last_error: error.slice(0, MAX_ERROR_CHARS),
      })
      .where('id', '=', id)
      .where('attempts', '=', attempt)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async markFailed(id: string, attempt: number, error: string): Promise<boolean> {
    const result = await this.db
      .updateTable('status_deliveries')
      .set({ status: 'failed', locked_until: null, last_error: error.slice(0, MAX_ERROR_CHARS) })
      .where('id', '=', id)
      .where('attempts', '=', attempt)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** The page's overall state, as the hosted status-page format names it: the worst open incident's impact. */
  async worstOpenImpact(): Promise<'none' | 'minor' | 'major' | 'critical'> {
    const rows = await this.db
      .selectFrom('status_incidents')
      .select('impact')
      .distinct()
      .where('kind', '=', 'incident')
      .where('resolved_at', 'is', null)
      .execute();
    const impacts = new Set(rows.map((r) => r.impact));
    for (const impact of ['critical', 'major', 'minor'] as const) if (impacts.has(impact)) return impact;
    return 'none';
  }
}
