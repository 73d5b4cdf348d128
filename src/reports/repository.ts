import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DialectName } from '../db/database.js';
import type { Database } from '../db/tables.js';
import { PRIORITIES, TIERS } from '../policy/tiers.js';
import type { UnansweredTicket } from './ages.js';
import type { CellRanks, CellRequest } from './first-response.js';
import { interpolate, percentileRanks } from './stats.js';

export interface ReportFilter {
  from: number;
  to: number;
  tier?: string | undefined;
  organizationId?: string | undefined;
  channel?: string | undefined;
  agentId?: string | undefined;
}

/** What a report measures per ticket: the first response on its target's clock, or time to resolution. */
export type Measure = 'first_response' | 'resolution';
export type GroupKey = 'tier' | 'priority';

export interface CellCounts {
  tier: string;
  priority: string;
  /** Tickets opened in the period under the promise (an excluded ticket has no target). */
  opened: number;
  /** Tickets with a first response (measured). */
  answered: number;
  /** Answered within their own target. */
  met: number;
  /** Not answered yet and already past their due time: missed, though not yet measured. */
  overdue: number;
  /** The fastest and the slowest first response (ms on the clock); null without answers. */
  fastest: number | null;
  slowest: number | null;
}

export interface Quantiles {
  median: number;
  p90: number;
  /** The values at the requested extra ranks (the median's confidence interval). */
  atRanks: Map<number, number>;
}

export interface QuantileRequest {
  key: string;
  n: number;
  ranks: number[];
}

const notExcluded = sql`not exists (select 1 from ticket_exclusions x where x.ticket_id = t.id)`;

const keyOf = (row: Record<string, unknown>, keys: readonly GroupKey[]) =>
  keys.map((k) => String(row[k])).join('|');

/** The cells of the table as small integers (tier × 4 + priority): a cheap key to sort by. */
const CELL_KEYS = TIERS.flatMap((tier) => PRIORITIES.map((priority) => `${tier}|${priority}`));
const cellIndex = sql<number>`(case t.tier ${sql.join(
  TIERS.map((tier, i) => sql`when ${sql.lit(tier)} then ${sql.lit(i * PRIORITIES.length)}`),
  sql` `,
)} end + case t.priority ${sql.join(
  PRIORITIES.map((priority, i) => sql`when ${sql.lit(priority)} then ${sql.lit(i)}`),
  sql` `,
)} end)`;

/**
 * The report's reads. Every query reads one period of tickets through the report index and
 * aggregates in the database: PostgreSQL with its percentile functions, SQLite with a window
 * function that numbers each group's values, of which only the needed ranks leave the database.
 */
export class ReportsRepository {
  constructor(
    readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  private where(filter: ReportFilter): RawBuilder<unknown> {
    const parts: RawBuilder<unknown>[] = [
      sql`t.created_at >= ${filter.from}`,
      sql`t.created_at < ${filter.to}`,
    ];
    if (filter.tier) parts.push(sql`t.tier = ${filter.tier}`);
    if (filter.organizationId) parts.push(sql`t.organization_id = ${filter.organizationId}`);
    if (filter.channel) parts.push(sql`t.channel = ${filter.channel}`);
    if (filter.agentId) parts.push(sql`t.assignee_id = ${filter.agentId}`);
    return sql.join(parts, sql` and `);
  }

  /** Tickets opened in the period per tag (a ticket counts under each of its tags), and all of them. */
  async ticketsPerTag(filter: ReportFilter) {
    const { rows } = await sql<{ tag: string; tickets: number | string }>`
      select tt.tag as tag, count(*) as tickets
      from ticket_tags tt join tickets t on t.id = tt.ticket_id
      where ${this.where(filter)}
      group by tt.tag
      order by count(*) desc, tt.tag`.execute(this.db);
    const totals = await sql<{ opened: number | string; untagged: number | string }>`
      select count(*) as opened,
        coalesce(sum(case when exists (select 1 from ticket_tags tt where tt.ticket_id = t.id) then 0 else 1 end), 0) as untagged
      from tickets t
      where ${this.where(filter)}`.execute(this.db);
    return {
      tags: rows.map((r) => ({ tag: r.tag, tickets: Number(r.tickets) })),
      opened: Number(totals.rows[0]?.opened ?? 0),
      untagged: Number(totals.rows[0]?.untagged ?? 0),
    };
  }

  private value(measure: Measure): RawBuilder<number> {
    return measure === 'first_response'
      ? sql<number>`t.sla_first_response_ms`
      : sql<number>`(t.resolved_at - t.created_at)`;
  }

  /**
   * Tickets measured, excluded tickets left out (policy section 5). An exclusion clears the
   * first-response columns, so that measure stays on the report index; resolution reads the
   * tickets' rows anyway and looks the exclusion up.
   */
  private measured(measure: Measure): RawBuilder<unknown> {
    return measure === 'first_response'
      ? sql`t.sla_first_response_ms is not null`
      : sql`t.resolved_at is not null and ${notExcluded}`;
  }

  async cellCounts(filter: ReportFilter, now: number): Promise<CellCounts[]> {
    const result = await sql<Record<keyof CellCounts, string | number | null>>`
      select t.tier as tier, t.priority as priority,
        count(t.sla_first_response_target_ms) as opened,
        count(t.sla_first_response_ms) as answered,
        coalesce(sum(case when t.sla_first_response_ms <= t.sla_first_response_target_ms then 1 else 0 end), 0) as met,
        coalesce(sum(case when t.sla_first_response_ms is null and t.sla_first_response_due_at < ${now} then 1 else 0 end), 0) as overdue,
        min(t.sla_first_response_ms) as fastest,
        max(t.sla_first_response_ms) as slowest
      from tickets t
      where ${this.where(filter)}
      group by t.tier, t.priority`.execute(this.db);
    const orNull = (value: string | number | null) => (value === null ? null : Number(value));
    return result.rows.map((r) => ({
      tier: String(r.tier),
      priority: String(r.priority),
      opened: Number(r.opened),
      answered: Number(r.answered),
      met: Number(r.met),
      overdue: Number(r.overdue),
      fastest: orNull(r.fastest),
      slowest: orNull(r.slowest),
    }));
  }

  /**
   * The period's tickets with no first response yet (excluded tickets have no target), with what
   * their ages on the clock need. Read through the report index; only these rows leave it.
   */
  async unanswered(filter: ReportFilter): Promise<UnansweredTicket[]> {
    const result = await sql<{
      tier: string;
      priority: string;
      created_at: number | string;
      organization_id: string;
      policy_version_id: string | null;
      clock: string | null;
    }>`
      select t.tier as tier, t.priority as priority, t.created_at as created_at,
        t.organization_id as organization_id, t.policy_version_id as policy_version_id,
        t.sla_first_response_clock as clock
      from tickets t
      where ${this.where(filter)} and t.sla_first_response_ms is null and t.sla_first_response_target_ms is not null`.execute(
      this.db,
    );
    return result.rows.map((r) => ({
      tier: r.tier,
      priority: r.priority,
      createdAt: Number(r.created_at),
      organizationId: r.organization_id,
      policyVersionId: r.policy_version_id,
      clock: r.clock,
    }));
  }

  /**
   * One sort of each cell's first-response times, the unanswered tickets' ages among them: for each
   * age, how many answered tickets took at most that long (an answer at the very age comes first),
   * and the answered times at the requested ranks. Both databases run the same window query; the
   * ages come in as one JSON parameter.
   */
  async firstResponseRanks(
    filter: ReportFilter,
    requests: readonly CellRequest[],
  ): Promise<Map<string, CellRanks>> {
    const out = new Map<string, CellRanks>();
    const wanted = requests.filter((r) => r.ranks.length > 0 || r.ages.length > 0);
    if (wanted.length === 0) return out;
    const ages = wanted.flatMap((r) => r.ages.map((v) => ({ k: CELL_KEYS.indexOf(r.key), v })));
    const censored =
      ages.length === 0
        ? sql``
        : this.dialect === 'postgres'
          ? sql`union all select x.k, x.v, 0 from json_to_recordset(${JSON.stringify(ages)}::json) as x(k int, v bigint)`
          : sql`union all select json_extract(value, '$.k'), json_extract(value, '$.v'), 0 from json_each(${JSON.stringify(ages)})`;
    const windows = wanted.flatMap((r) =>
      r.ranks.map(
        (range) => sql`(k = ${CELL_KEYS.indexOf(r.key)} and r between ${range.from} and ${range.to})`,
      ),
    );
    const ranked = sql.join(windows.length > 0 ? windows : [sql`false`], sql` or `);
    const result = await sql<{
      k: number | string;
      v: number | string;
      e: number | string;
      r: number | string;
    }>`
      with merged(k, v, e) as (
        select ${cellIndex}, t.sla_first_response_ms, 1
        from tickets t
        where ${this.where(filter)} and t.sla_first_response_ms is not null
        ${censored}
      ),
      ranked as (
        select k, v, e,
          sum(e) over (partition by k order by v, e desc rows between unbounded preceding and current row) as r
        from merged
      )
      select k, v, e, r from ranked where e = 0 or (e = 1 and (${ranked}))`.execute(this.db);
    for (const r of wanted) out.set(r.key, { answeredUpTo: new Map(), times: new Map() });
    for (const row of result.rows) {
      const cell = out.get(CELL_KEYS[Number(row.k)]!);
      if (!cell) continue;
      if (Number(row.e) === 0) (cell.answeredUpTo as Map<number, number>).set(Number(row.v), Number(row.r));
      else (cell.times as Map<number, number>).set(Number(row.r), Number(row.v));
    }
    return out;
  }

  /** How many measured tickets each group has: the n from which the ranks are chosen. */
  async measuredCounts(filter: ReportFilter, measure: Measure, keys: readonly GroupKey[]) {
    const columns = sql.join(keys.map((k) => sql.ref(`t.${k}`)));
    const result = await sql<Record<string, unknown>>`
      select ${columns}, count(*) as n
      from tickets t
      where ${this.where(filter)} and ${this.measured(measure)}
      group by ${columns}`.execute(this.db);
    return new Map(result.rows.map((r) => [keyOf(r, keys), Number(r.n)]));
  }

  /**
   * Median, p90 (percentile_cont) and the values at extra ranks for each requested group. Identical
   * on both databases: PostgreSQL's percentile_cont and percentile_disc, or SQLite's ranked rows.
   */
  async quantiles(
    filter: ReportFilter,
    measure: Measure,
    keys: readonly GroupKey[],
    requests: readonly QuantileRequest[],
  ): Promise<Map<string, Quantiles>> {
    const wanted = requests.filter((r) => r.n > 0);
    if (wanted.length === 0) return new Map();
    return this.dialect === 'postgres'
      ? this.quantilesPostgres(filter, measure, keys, wanted)
      : this.quantilesSqlite(filter, measure, keys, wanted);
  }

  private async quantilesPostgres(
    filter: ReportFilter,
    measure: Measure,
    keys: readonly GroupKey[],
    requests: readonly QuantileRequest[],
  ) {
    const columns = sql.join(keys.map((k) => sql.ref(`t.${k}`)));
    // percentile_disc(f) is the value at rank ceil(f·n); (rank − ½)/n lands on the rank itself.
    const fractions = sql.join(
      requests.map(
        (r) =>
          sql`(${r.key}, ${sql.raw(`array[${(r.ranks.length > 0 ? r.ranks : [1]).map((k) => `${(k - 0.5) / r.n}`).join(',')}]::float8[]`)})`,
      ),
    );
    const key = sql.join(
      keys.map((k) => sql`${sql.ref(`t.${k}`)}::text`),
      sql` || '|' || `,
    );
    const value = this.value(measure);
    const result = await sql<{ key: string; conts: number[]; discs: number[] }>`
      with r(key, f) as (values ${fractions})
      select ${key} as key,
        percentile_cont(array[0.5, 0.9]) within group (order by ${value}::float8) as conts,
        percentile_disc(r.f) within group (order by ${value}::float8) as discs
      from tickets t
      join r on r.key = ${key}
      where ${this.where(filter)} and ${this.measured(measure)}
      group by ${columns}, r.f`.execute(this.db);
    const out = new Map<string, Quantiles>();
    for (const row of result.rows) {
      const request = requests.find((r) => r.key === row.key)!;
      const atRanks = new Map<number, number>();
      request.ranks.forEach((rank, i) => atRanks.set(rank, Number(row.discs[i])));
      out.set(row.key, { median: Number(row.conts[0]), p90: Number(row.conts[1]), atRanks });
    }
    return out;
  }

  private async quantilesSqlite(
    filter: ReportFilter,
    measure: Measure,
    keys: readonly GroupKey[],
    requests: readonly QuantileRequest[],
  ) {
    const plans = requests.map((r) => {
      const p50 = percentileRanks(r.n, 0.5);
      const p90 = percentileRanks(r.n, 0.9);
      const ranks = [...new Set([p50.lower, p50.upper, p90.lower, p90.upper, ...r.ranks])];
      return { request: r, p50, p90, ranks };
    });
    const columns = sql.join(keys.map((k) => sql.ref(`t.${k}`)));
    const key = sql.join(
      keys.map((k) => sql.ref(`t.${k}`)),
      sql` || '|' || `,
    );
    const wantedRows = sql.join(
      plans.map((p) => sql`(k = ${p.request.key} and rn in (${sql.join(p.ranks)}))`),
      sql` or `,
    );
    const value = this.value(measure);
    const result = await sql<{ k: string; rn: number; v: number }>`
      select k, rn, v from (
        select ${key} as k, ${value} as v,
          row_number() over (partition by ${columns} order by ${value}) as rn
        from tickets t
        where ${this.where(filter)} and ${this.measured(measure)}
      ) ranked
      where ${wantedRows}`.execute(this.db);
    const values = new Map<string, Map<number, number>>();
    for (const row of result.rows) {
      const map = values.get(row.k) ?? new Map<number, number>();
      map.set(Number(row.rn), Number(row.v));
      values.set(row.k, map);
    }
    const out = new Map<string, Quantiles>();
    for (const plan of plans) {
      const at = values.get(plan.request.key);
      if (!at) continue;
      const pick = (rank: number) => at.get(rank)!;
      out.set(plan.request.key, {
        median: interpolate(pick(plan.p50.lower), pick(plan.p50.upper), plan.p50.weight),
        p90: interpolate(pick(plan.p90.lower), pick(plan.p90.upper), plan.p90.weight),
        atRanks: new Map(plan.request.ranks.map((rank) => [rank, pick(rank)])),
      });
    }
    return out;
  }

  /** Resolved tickets per priority in duration buckets (bounds in ms; the last bucket is open). */
  async resolutionBuckets(filter: ReportFilter, boundsMs: readonly number[]) {
    const cases = sql.join(
      boundsMs.map(
        (bound, i) =>
          sql`coalesce(sum(case when (t.resolved_at - t.created_at) <= ${bound}${
            i > 0 ? sql` and (t.resolved_at - t.created_at) > ${boundsMs[i - 1]!}` : sql``
          } then 1 else 0 end), 0) as ${sql.ref(`b${i}`)}`,
      ),
    );
    const result = await sql<Record<string, unknown>>`
      select t.priority as priority, count(*) as n, ${cases}
      from tickets t
      where ${this.where(filter)} and ${this.measured('resolution')}
      group by t.priority`.execute(this.db);
    return result.rows.map((r) => {
      const counts = boundsMs.map((_, i) => Number(r[`b${i}`]));
      const n = Number(r.n);
      return { priority: String(r.priority), n, counts: [...counts, n - counts.reduce((a, b) => a + b, 0)] };
    });
  }

  /** P3 tickets resolved, and those tied to a known issue fixed in a release. */
  async p3Fixes(filter: ReportFilter) {
    const result = await sql<{ resolved: number; fixed: number }>`
      select count(*) as resolved,
        coalesce(sum(case when exists (
          select 1 from hc_ticket_links l join hc_articles a on a.id = l.article_id
          where l.ticket_id = t.id and l.kind = 'known_issue' and a.issue_status = 'fixed' and a.fixed_in is not null
        ) then 1 else 0 end), 0) as fixed
      from tickets t
      where ${this.where({ ...filter })} and t.priority = 'P3' and t.resolved_at is not null`.execute(
      this.db,
    );
    const row = result.rows[0];
    return { resolved: Number(row?.resolved ?? 0), fixed: Number(row?.fixed ?? 0) };
  }

  /** One page of a period's P0 tickets, oldest first. */
  p0Page(filter: ReportFilter, limit: number, after: { k: number; id: string } | undefined) {
    let query = this.db
      .selectFrom('tickets as t')
      .innerJoin('organizations as o', 'o.id', 't.organization_id')
      .select([
        't.id',
        't.number',
        't.subject',
        't.organization_id',
        'o.name as organization',
        't.created_at',
        't.resolved_at',
        't.sla_first_response_at',
      ])
      .where('t.priority', '=', 'P0')
      .where('t.created_at', '>=', filter.from)
      .where('t.created_at', '<', filter.to);
    if (filter.organizationId) query = query.where('t.organization_id', '=', filter.organizationId);
    if (filter.tier) query = query.where('t.tier', '=', filter.tier);
    if (after)
      query = query.where((eb) =>
        eb.or([
          eb('t.created_at', '>', after.k),
          eb.and([eb('t.created_at', '=', after.k), eb('t.id', '>', after.id)]),
        ]),
      );
    return query
      .orderBy('t.created_at')
      .orderBy('t.id')
      .limit(limit + 1)
      .execute();
  }

  /** The public staff replies of some tickets, in time order: a P0's updates. */
  publicStaffReplies(ticketIds: readonly string[]) {
    if (ticketIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('ticket_messages as m')
      .innerJoin('users as u', 'u.id', 'm.author_id')
      .select(['m.ticket_id', 'm.created_at'])
      .where('m.ticket_id', 'in', ticketIds)
      .where('m.visibility', '=', 'public')
      .where('u.role', 'in', ['agent', 'lead', 'admin'])
      .orderBy('m.ticket_id')
      .orderBy('m.created_at')
      .execute();
  }

  escalations(ticketIds: readonly string[]) {
    if (ticketIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('sla_events')
      .select(['ticket_id', 'level', 'due_at', 'fired_at'])
      .where('ticket_id', 'in', ticketIds)
      .where('kind', '=', 'escalation')
      .orderBy('ticket_id')
      .orderBy('due_at')
      .execute();
  }
}
