/**
 * `npm run bench:reports`: the policy's response-time table (ReportsService.responseTimes: Kaplan–Meier
 * first-response medians counting the unanswered tickets at their ages, p90 and the medians' intervals per
 * tier and priority) on a desk of BENCH_REPORT_TICKETS tickets (default 1,000,000), on SQLite and on
 * PostgreSQL.
 *
 * The tickets go straight into the database (multi-row Kysely inserts in transactions, as in
 * bench/sla.ts) with the columns the SLA engine stores for the report. They are opened evenly over the
 * last 12 months by 50 customer organizations (a few large ones and a long tail), whose tiers are drawn
 * 20% basic, 40% essential, 25% premium, 15% enterprise; priorities are P0 1%, P1 9%, P2 40%, P3 50%.
 * About 95% of the tickets have a first response, log-normal around their cell's target
 * (policy/default.yaml `targets`: a median between 45% and 70% of it, so that every cell misses now and
 * then), measured on the target's own clock: business time for the business-day targets. The rest wait:
 * never answered (those older than two weeks were closed without a public reply) or opened too recently.
 *
 * Measures, each the median and the max of BENCH_REPORT_RUNS runs (default 10) after 2 warm-up runs:
 * - year: ReportsService.responseTimes over the 12 months, that is every ticket of the desk;
 * - month: the previous calendar month;
 * - organization: the largest customer over the 12 months;
 * - quarter trend: ReportsService.trend over the last 13 weeks (one table per week, and this month's
 *   cells at risk).
 * With each, the time spent in the repository's three queries: cellCounts (one aggregate pass), unanswered
 * (the rows of the tickets with no answer, whose ages on the clock the service computes) and
 * firstResponseRanks (one sort per cell placing those ages among the answered times and reading the ranks
 * the medians need). The run checks that each result counts exactly the tickets of its period and that
 * SQLite and PostgreSQL give the same year table, and prints the plans of the three queries for the year
 * and the organization (PostgreSQL: EXPLAIN (ANALYZE, BUFFERS); SQLite: EXPLAIN QUERY PLAN).
 *
 * PostgreSQL gets `VACUUM ANALYZE tickets` after the fill, as autovacuum would after a bulk load; SQLite
 * gets a WAL checkpoint (the application never runs ANALYZE on SQLite, so neither does this).
 *
 * The product's bound (the issue): PostgreSQL answers the year table in under 2 s (median).
 *
 * Environment: BENCH_REPORT_TICKETS (default 1,000,000), BENCH_REPORT_RUNS (timed runs per measure,
 * default 10), BENCH_REPORT_DATABASES (sqlite,postgres), BENCH_DATABASE_URL (PostgreSQL server, default
 * postgres://postgres@127.0.0.1:5432/test; the run creates and drops the schema bench_reports_<timestamp>),
 * BENCH_KEEP=1 (keep the SQLite file and the PostgreSQL schema). Exits with 1 when the bound or a check
 * fails.
 */
import fs from 'node:fs';
import os from 'node:os';
import { createQueryId, sql } from 'kysely';
import { addBusinessTime, type BusinessCalendar } from '../src/calendar/calendar.js';
import type { Db, DialectName } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { TicketRow } from '../src/db/tables.js';
import { PRIORITIES, TIERS, type Priority, type Tier } from '../src/policy/tiers.js';
import type { PolicyVersion } from '../src/policy/versions.js';
import { ReportsRepository, type ReportFilter } from '../src/reports/repository.js';
import { ReportsService } from '../src/reports/service.js';
import { startServices, type Services } from '../src/services.js';
import { newId } from '../src/shared/ids.js';
import { termsOf } from '../src/sla/terms.js';
import type { Status } from '../src/tickets/schema.js';
import {
  DAY,
  LABEL,
  MAX_PARAMETERS,
  MINUTE,
  createLog,
  dialectsEnv,
  eachDatabase,
  int,
  intEnv,
  machine,
  ms,
  openTarget,
  runBenchmark,
  settleDatabase,
  wasInterrupted,
} from './support/common.js';
import { CHANNEL_MIX, RawWriter, rng, weighted } from './support/desk.js';
import { Capture, explainCaptured } from './support/explain.js';

const TICKETS = Math.max(1, intEnv('BENCH_REPORT_TICKETS', 1_000_000));
const RUNS = Math.max(1, intEnv('BENCH_REPORT_RUNS', 10));
const WARMUP = 2;
const DATABASES = dialectsEnv('BENCH_REPORT_DATABASES');
/** The issue's bound on PostgreSQL's year table, median. */
const BOUND_MS = 2000;
const ORGANIZATIONS = 50;
const AGENTS = 12;
const YEAR = 365 * DAY;
const WEEK = 7 * DAY;

/** Statements per fill transaction (about 20,000 tickets per transaction on both databases). */
const STATEMENTS_PER_TRANSACTION: Record<DialectName, number> = { sqlite: 20, postgres: 10 };
/** Fill transactions in flight: SQLite has one writer, PostgreSQL takes a second while Node builds SQL. */
const WRITERS: Record<DialectName, number> = { sqlite: 1, postgres: 2 };

const log = createLog(10);

// ---------------------------------------------------------------------------------------------
// The desk

const TIER_MIX = [
  ['basic', 20],
  ['essential', 40],
  ['premium', 25],
  ['enterprise', 15],
] as const satisfies readonly (readonly [Tier, number])[];

const PRIORITY_MIX = [
  ['P0', 1],
  ['P1', 9],
  ['P2', 40],
  ['P3', 50],
] as const satisfies readonly (readonly [Priority, number])[];

/**
 * The first response as a share of the cell's target: log-normal, with this median share and this
 * spread (σ of its logarithm). P0s are tight (15 minutes on premium); P2 and P3 leave the desk room.
 */
const RESPONSE_SHAPE: Record<Priority, { median: number; sigma: number }> = {
  P0: { median: 0.7, sigma: 0.6 },
  P1: { median: 0.55, sigma: 0.7 },
  P2: { median: 0.45, sigma: 0.8 },
  P3: { median: 0.5, sigma: 0.9 },
};
/** Tickets never answered: merged, spam, or solved by the customer before anyone replied. */
const NEVER_ANSWERED = 0.05;
/** Mean time from the first response to resolution (exponential). */
const RESOLUTION_MEAN = 30 * 60 * MINUTE;

const SUBJECTS = [
  'Work orders not syncing from the mobile app',
  'Cannot export the asset register to CSV',
  'Preventive maintenance schedule skipped a week',
  'SSO sign-in loops back to the login page',
  'Meter readings chart shows the wrong units',
  'API returns 500 on /workorders',
  'Notification emails arrive hours late',
  'Technician cannot close a work order offline',
];

interface Customer {
  id: string;
  tier: Tier;
  contactId: string;
  /** Share of the desk's tickets: a few large customers and a long tail. */
  weight: number;
}

interface Target {
  targetMs: number;
  clock: 'calendar' | 'business';
}

interface Desk {
  now: number;
  customers: Customer[];
  /** Running sums of the customers' weights, to pick one in O(log n). */
  cumulative: number[];
  agentIds: string[];
  policyVersionId: string;
  targets: Record<Tier, Record<Priority, Target>>;
  calendar: BusinessCalendar;
}

/** A number drawn from the standard normal distribution (Box-Muller). */
const gaussian = (random: () => number) =>
  Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

function pickCustomer(desk: Desk, random: () => number): Customer {
  const x = random() * desk.cumulative[desk.cumulative.length - 1]!;
  let lo = 0;
  let hi = desk.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (desk.cumulative[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return desk.customers[lo]!;
}

/** The first-response target of each cell under the policy version, in ms of its own clock. */
function targetsOf(version: PolicyVersion): Record<Tier, Record<Priority, Target>> {
  const cells = TIERS.map((tier) => {
    const row = PRIORITIES.map((priority) => {
      const term = termsOf(version, tier, priority, undefined).firstResponse;
      return [priority, { targetMs: term.minutes * MINUTE, clock: term.clock }] as const;
    });
    return [tier, Object.fromEntries(row) as Record<Priority, Target>] as const;
  });
  return Object.fromEntries(cells) as Record<Tier, Record<Priority, Target>>;
}

/** The staff, and the customer organizations with their subscriptions and contacts, through the services. */
async function seedDesk(services: Services, now: number): Promise<Desk> {
  const version = (await services.policy.list()).at(-1);
  if (!version) throw new Error('no policy version was published');
  const random = rng(11);
  const agentIds: string[] = [];
  for (let i = 1; i <= AGENTS; i++) {
    const agent = await services.users.create(null, {
      email: `agent${i}@reports.bench.test`,
      name: `Agent ${i}`,
      role: 'agent',
    });
    agentIds.push(agent.id);
  }
  const customers: Customer[] = [];
  for (let i = 1; i <= ORGANIZATIONS; i++) {
    const tier = weighted(random, TIER_MIX);
    const org = await services.organizations.create(null, {
      name: `Customer ${String(i).padStart(3, '0')}`,
      domains: [`customer${i}.reports.bench.test`],
      locale: 'en',
      // Basic is the tier of an organization without a subscription.
      ...(tier === 'basic'
        ? {}
        : {
            subscription: {
              tier,
              termStart: new Date(now - 2 * YEAR).toISOString(),
              termEnd: new Date(now + YEAR).toISOString(),
            },
          }),
    });
    const contact = await services.users.create(null, {
      email: `contact@customer${i}.reports.bench.test`,
      name: `Contact of customer ${i}`,
      role: 'contact',
      organizationId: org.id,
    });
    customers.push({ id: org.id, tier, contactId: contact.id, weight: 1 / i ** 0.8 });
  }
  let sum = 0;
  return {
    now,
    customers,
    cumulative: customers.map((c) => (sum += c.weight)),
    agentIds,
    policyVersionId: version.id,
    targets: targetsOf(version),
    calendar: version.calendars.get(version.policy.defaultCalendar)!,
  };
}

/** Ticket i of the desk (0-based), opened at a steady pace over the last 12 months, oldest first. */
function makeTicket(desk: Desk, i: number, random: () => number): TicketRow {
  const { now } = desk;
  const createdAt = now - YEAR + Math.floor(((i + random()) * YEAR) / TICKETS);
  const customer = pickCustomer(desk, random);
  const priority = weighted(random, PRIORITY_MIX);
  const { targetMs, clock } = desk.targets[customer.tier][priority];
  // On the business clock, a duration elapses only during business hours: that is what the engine
  // stores as sla_first_response_ms, and how the response's instant follows from it.
  const after = (durationMs: number) =>
    clock === 'business' ? addBusinessTime(desk.calendar, createdAt, durationMs) : createdAt + durationMs;
  const dueAt = after(targetMs);
  const shape = RESPONSE_SHAPE[priority];
  const responseMs = Math.max(
    MINUTE / 2,
    Math.round(targetMs * shape.median * Math.exp(shape.sigma * gaussian(random))),
  );
  const respondedAt = after(responseMs);
  const answered = random() >= NEVER_ANSWERED && respondedAt < now;
  let status: Status;
  let resolvedAt: number | null = null;
  let closedAt: number | null = null;
  if (answered) {
    const resolved = respondedAt + Math.floor(-Math.log(1 - random()) * RESOLUTION_MEAN);
    if (resolved < now) {
      resolvedAt = resolved;
      closedAt = resolved + WEEK < now ? resolved + WEEK : null;
      status = closedAt === null ? 'resolved' : 'closed';
    } else status = random() < 0.6 ? 'open' : 'waiting_on_customer';
  } else if (now - createdAt > 2 * WEEK) {
    resolvedAt = createdAt + Math.floor(random() * WEEK);
    closedAt = resolvedAt + WEEK;
    status = 'closed';
  } else status = 'new';
  const waiting = status === 'new';
  return {
    id: newId(),
    number: 1001 + i,
    subject: SUBJECTS[Math.floor(random() * SUBJECTS.length)]!,
    organization_id: customer.id,
    requester_id: customer.contactId,
    created_by_id: customer.contactId,
    priority,
    status,
    channel: weighted(random, CHANNEL_MIX),
    request_type: random() < 0.6 ? 'question' : 'problem',
    tier: customer.tier,
    assignee_id: answered ? desk.agentIds[Math.floor(random() * desk.agentIds.length)]! : null,
    repro_steps: null,
    repro_expected: null,
    repro_actual: null,
    repro_environment: null,
    created_at: createdAt,
    updated_at: closedAt ?? resolvedAt ?? (answered ? respondedAt : createdAt),
    resolved_at: resolvedAt,
    closed_at: closedAt,
    policy_version_id: desk.policyVersionId,
    sla_first_response_due_at: dueAt,
    sla_first_response_at: answered ? respondedAt : null,
    sla_next_response_due_at: null,
    sla_next_response_at: null,
    // The default policy has no resolution targets; P0 updates and escalations are not the report's.
    sla_resolution_due_at: null,
    sla_resolved_at: resolvedAt,
    sla_update_due_at: null,
    sla_escalation_due_at: null,
    sla_escalation_level: 0,
    sla_next_due_at: waiting ? dueAt : null,
    sla_next_check_at: waiting ? dueAt : null,
    sla_first_response_target_ms: targetMs,
    sla_first_response_clock: clock,
    sla_first_response_ms: answered ? responseMs : null,
    external_id: null,
    merged_into_id: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Periods

type PeriodName = 'year' | 'month' | 'organization' | 'quarter trend';

interface Period {
  name: PeriodName;
  /** What the period covers, for the output. */
  what: string;
  filter: ReportFilter;
  report: 'table' | 'trend';
}

/** The tickets a period's report must count, tallied while the desk is generated. */
interface Tally {
  opened: number;
  answered: number;
}

const isoDay = (at: number) => new Date(at).toISOString().slice(0, 10);

function periodsOf(now: number, largest: Customer, largestShare: number): Period[] {
  const today = new Date(now);
  const monthFrom = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1);
  const monthTo = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1);
  const year = { from: now - YEAR, to: now };
  return [
    { name: 'year', what: '12 months, every ticket', filter: year, report: 'table' },
    {
      name: 'month',
      what: `previous calendar month, ${isoDay(monthFrom)} to ${isoDay(monthTo)}`,
      filter: { from: monthFrom, to: monthTo },
      report: 'table',
    },
    {
      name: 'organization',
      what: `12 months of the largest customer (${largest.tier}, ~${(largestShare * 100).toFixed(0)}% of the tickets)`,
      filter: { ...year, organizationId: largest.id },
      report: 'table',
    },
    {
      name: 'quarter trend',
      what: 'ReportsService.trend over the last 13 weeks',
      filter: { from: now - 13 * WEEK, to: now },
      report: 'trend',
    },
  ];
}

const inPeriod = (filter: ReportFilter, ticket: TicketRow) =>
  ticket.created_at >= filter.from &&
  ticket.created_at < filter.to &&
  (filter.organizationId === undefined || ticket.organization_id === filter.organizationId);

// ---------------------------------------------------------------------------------------------
// Filling the desk

/** Writes the desk's tickets in multi-row inserts, about 20,000 per transaction; returns tickets/s. */
async function fill(db: Db, desk: Desk, periods: Period[], tallies: Map<PeriodName, Tally>): Promise<number> {
  const random = rng(20_261_126);
  const columns = Object.keys(makeTicket(desk, 0, rng(1))).length;
  const perStatement = Math.floor(MAX_PARAMETERS[db.dialect] / columns);
  const perTransaction = perStatement * STATEMENTS_PER_TRANSACTION[db.dialect];
  const started = performance.now();
  const step = Math.max(perTransaction, Math.floor(TICKETS / 5));
  let next = 0;
  let written = 0;
  let reported = 0;
  const writer = async () => {
    while (next < TICKETS) {
      // Claiming a range and generating its rows happen without an await: the seeded sequence is
      // consumed in ticket order whatever the number of writers, so both databases get the same desk.
      const start = next;
      const end = Math.min(TICKETS, start + perTransaction);
      next = end;
      const rows: TicketRow[] = [];
      for (let i = start; i < end; i++) {
        const row = makeTicket(desk, i, random);
        rows.push(row);
        for (const period of periods) {
          if (!inPeriod(period.filter, row)) continue;
          const tally = tallies.get(period.name)!;
          tally.opened++;
          if (row.sla_first_response_ms !== null) tally.answered++;
        }
      }
      await db.kysely.transaction().execute(async (trx) => {
        for (let k = 0; k < rows.length; k += perStatement)
          await trx
            .insertInto('tickets')
            .values(rows.slice(k, k + perStatement))
            .execute();
      });
      written += rows.length;
      if (written - reported >= step && next < TICKETS) {
        reported = written;
        const seconds = (performance.now() - started) / 1000;
        log(`  ${int(written)} tickets (${int(written / seconds)}/s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS[db.dialect] }, writer));
  return TICKETS / ((performance.now() - started) / 1000);
}

// ---------------------------------------------------------------------------------------------
// Measures

/** The report's repository, keeping the time spent in its three queries. */
class TimedRepository extends ReportsRepository {
  cellCountsMs = 0;
  unansweredMs = 0;
  ranksMs = 0;

  private async timed<T>(work: () => Promise<T>, add: (ms: number) => void): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      add(performance.now() - started);
    }
  }

  override cellCounts(...args: Parameters<ReportsRepository['cellCounts']>) {
    return this.timed(
      () => super.cellCounts(...args),
      (ms) => (this.cellCountsMs += ms),
    );
  }

  override unanswered(...args: Parameters<ReportsRepository['unanswered']>) {
    return this.timed(
      () => super.unanswered(...args),
      (ms) => (this.unansweredMs += ms),
    );
  }

  override firstResponseRanks(...args: Parameters<ReportsRepository['firstResponseRanks']>) {
    return this.timed(
      () => super.firstResponseRanks(...args),
      (ms) => (this.ranksMs += ms),
    );
  }

  reset() {
    this.cellCountsMs = 0;
    this.unansweredMs = 0;
    this.ranksMs = 0;
  }
}

type ResponseTimes = Awaited<ReturnType<ReportsService['responseTimes']>>;

interface Figures {
  period: Period;
  tickets: number;
  medianMs: number;
  maxMs: number;
  cellCountsMs: number;
  unansweredMs: number;
  ranksMs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

/** What a report counted: tickets opened in the period and those answered (a trend counts only these). */
function counted(result: ResponseTimes | Awaited<ReturnType<ReportsService['trend']>>): Partial<Tally> {
  if ('cells' in result)
    return {
      opened: result.cells.reduce((sum, c) => sum + c.count + c.pending, 0),
      answered: result.cells.reduce((sum, c) => sum + c.count, 0),
    };
  return { answered: result.weeks.reduce((sum, w) => sum + w.cells.reduce((s, c) => s + c.count, 0), 0) };
}

/** Times one period's report, warm-up runs excluded, and checks that it counted the period's tickets. */
async function timeReport(
  service: ReportsService,
  repo: TimedRepository,
  period: Period,
  expected: Tally,
): Promise<{ figures: Figures; last: unknown }> {
  const totals: number[] = [];
  const cellCounts: number[] = [];
  const unanswered: number[] = [];
  const ranks: number[] = [];
  let last: Awaited<ReturnType<ReportsService['responseTimes'] | ReportsService['trend']>> | undefined;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    repo.reset();
    const started = performance.now();
    last =
      period.report === 'table'
        ? await service.responseTimes(period.filter)
        : await service.trend(period.filter);
    const elapsed = performance.now() - started;
    if (i < WARMUP) continue;
    totals.push(elapsed);
    cellCounts.push(repo.cellCountsMs);
    unanswered.push(repo.unansweredMs);
    ranks.push(repo.ranksMs);
  }
  const found = counted(last!);
  if (found.answered !== expected.answered || (found.opened ?? expected.opened) !== expected.opened)
    throw new Error(
      `the ${period.name} report counted ${found.opened ?? '?'} opened and ${found.answered} answered tickets, ` +
        `not ${expected.opened} and ${expected.answered}`,
    );
  return {
    figures: {
      period,
      tickets: expected.opened,
      medianMs: median(totals),
      maxMs: Math.max(...totals),
      cellCountsMs: median(cellCounts),
      unansweredMs: median(unanswered),
      ranksMs: median(ranks),
    },
    last,
  };
}

interface Explained {
  period: PeriodName;
  query: string;
  sql: string;
  plan: string[];
}

/** The report's three queries for a period, exactly as the repository builds them, and their plans. */
async function explainReport(
  db: Db,
  services: Services,
  minimumSample: number,
  now: number,
  period: Period,
): Promise<Explained[]> {
  const capture = new Capture();
  const service = new ReportsService({
    repo: new ReportsRepository(db.kysely.withPlugin(capture), db.dialect),
    policy: services.policy,
    clock: () => now,
    minimumSample,
  });
  await service.responseTimes(period.filter);
  // The ages also read the organizations' contract overrides: not the report's own queries.
  const names: [string, RegExp][] = [
    ['cellCounts', /count\(t\.sla_first_response_target_ms\)/],
    ['unanswered', /t\.sla_first_response_ms is null/],
    ['firstResponseRanks', /over \(partition by k/],
  ];
  const out: Explained[] = [];
  for (const [name, pattern] of names) {
    const node = capture.nodes.find((n) =>
      pattern.test(db.kysely.getExecutor().compileQuery(n, createQueryId()).sql),
    );
    if (!node) throw new Error(`the report ran no ${name} query`);
    const one = new Capture();
    one.nodes.push(node);
    const { sql: text, plan } = await explainCaptured(db, one, db.kysely, name);
    out.push({ period: period.name, query: name, sql: text.replace(/\s+/g, ' ').trim(), plan });
  }
  return out;
}

/** The year table's cells as text, to compare the two databases' answers. */
const tableText = (report: ResponseTimes) =>
  report.cells
    .map(
      (c) =>
        `${c.tier} ${c.priority}: ${c.answered} answered, ${c.unanswered} unanswered (${c.unansweredPastTarget} past target), ` +
        `median ${c.median} (at least ${c.medianAtLeast}, ${c.medianStatus}), p90 ${c.p90}, ` +
        `ci ${c.ci ? `${c.ci.low}-${c.ci.high ?? '…'}` : '-'}, share met ${c.shareMet?.toFixed(6) ?? '-'}`,
    )
    .join('\n');

// ---------------------------------------------------------------------------------------------
// One database

interface DatabaseResult {
  dialect: DialectName;
  version?: string;
  skipped?: string;
  failed?: string;
  figures: Figures[];
  explained: Explained[];
  yearTable?: ResponseTimes;
  fillPerSecond?: number;
}

/** Sizes of the tickets table and of the report index. */
async function sizes(db: Db, file: string | undefined): Promise<string> {
  if (db.dialect === 'sqlite') return `SQLite file ${int(fs.statSync(file!).size / 1024 / 1024)} MB`;
  const { rows } = await sql<{ table: string; index: string }>`
    select pg_size_pretty(pg_table_size('tickets')) as table,
      pg_size_pretty(pg_relation_size('tickets_report_idx')) as index`.execute(db.kysely);
  const settings = await sql<{ name: string; setting: string; unit: string | null }>`
    select name, setting, unit from pg_settings
    where name in ('work_mem', 'shared_buffers', 'max_parallel_workers_per_gather', 'jit')`.execute(
    db.kysely,
  );
  const shown = settings.rows.map((r) => `${r.name}=${r.setting}${r.unit ?? ''}`).join(', ');
  return `tickets ${rows[0]?.table}, tickets_report_idx ${rows[0]?.index}; ${shown}`;
}

async function runDatabase(dialect: DialectName, now: number): Promise<DatabaseResult> {
  log.stage = LABEL[dialect];
  const result: DatabaseResult = { dialect, figures: [], explained: [] };
  const target = await openTarget(dialect, {
    log,
    tmpPrefix: 'accord-bench-reports-',
    schemaPrefix: 'bench_reports',
  });
  if (!target) return { ...result, skipped: 'unreachable' };
  const { db, config } = target;
  result.version =
    dialect === 'sqlite' ? `${target.engine}, ${target.file}` : `${target.engine}, schema ${target.schema}`;
  log(result.version);
  let services: Services | undefined;
  try {
    await migrateToLatest(db);
    services = await startServices(config, db, { clock: () => now });
    const desk = await seedDesk(services, now);
    const largest = desk.customers[0]!;
    const periods = periodsOf(now, largest, largest.weight / desk.cumulative.at(-1)!);
    const tallies = new Map(periods.map((p) => [p.name, { opened: 0, answered: 0 }]));
    log(
      `policy ${desk.policyVersionId}; now = ${new Date(now).toISOString()}; writing ${int(TICKETS)} tickets`,
    );
    result.fillPerSecond = await fill(db, desk, periods, tallies);
    await new RawWriter(db).setLastTicketNumber(1000 + TICKETS);
    await settleDatabase(db, ['tickets']);
    log(`${int(TICKETS)} tickets written (${int(result.fillPerSecond)}/s); ${await sizes(db, target.file)}`);

    const repo = new TimedRepository(db.kysely, db.dialect);
    const service = new ReportsService({
      repo,
      policy: services.policy,
      clock: () => now,
      minimumSample: config.reportMinimumSample,
    });
    for (const period of periods) {
      if (wasInterrupted()) return result;
      const { figures, last } = await timeReport(service, repo, period, tallies.get(period.name)!);
      result.figures.push(figures);
      if (period.name === 'year') result.yearTable = last as ResponseTimes;
      log(
        `${period.name} (${period.what}): ${int(figures.tickets)} tickets, median ${ms(figures.medianMs)}, ` +
          `max ${ms(figures.maxMs)} (cellCounts ${ms(figures.cellCountsMs)}, unanswered ${ms(figures.unansweredMs)}, ` +
          `ranks ${ms(figures.ranksMs)})`,
      );
    }
    for (const period of periods.filter((p) => p.name === 'year' || p.name === 'organization'))
      result.explained.push(...(await explainReport(db, services, config.reportMinimumSample, now, period)));
  } catch (error) {
    result.failed = error instanceof Error ? error.message : String(error);
    log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    // On PostgreSQL the live bus holds a LISTEN connection of its own, which would keep Node running.
    await services?.live.close();
    await target.cleanup();
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Summary

function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('   ')
      .trimEnd();
  process.stdout.write(`${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

const seconds = (s: number | null) =>
  s === null ? '-' : s >= 3600 ? `${(s / 3600).toFixed(1)} h` : `${(s / 60).toFixed(1)} min`;

/** The year's table as the report gives it: the data the timings were taken on. */
function printYearTable(label: string, report: ResponseTimes) {
  process.stdout.write(`\nThe year's table (${label}; times on each target's own clock):\n`);
  printTable(
    [
      'tier',
      'priority',
      'answered',
      'unanswered',
      'past target',
      'median',
      'p90',
      'target',
      'clock',
      'status',
      'share met',
    ],
    report.cells.map((c) => [
      c.tier,
      c.priority,
      int(c.answered),
      int(c.unanswered),
      int(c.unansweredPastTarget),
      c.median === null ? `≥ ${seconds(c.medianAtLeast)}` : seconds(c.median),
      seconds(c.p90),
      seconds(c.target),
      c.clock ?? '-',
      c.medianStatus,
      c.shareMet === null ? '-' : `${(c.shareMet * 100).toFixed(1)}%`,
    ]),
  );
}

function summary(results: DatabaseResult[]): boolean {
  let ok = true;
  process.stdout.write('\n');
  const rows: string[][] = [];
  for (const r of results) {
    const label = LABEL[r.dialect];
    if (r.skipped) rows.push([label, `skipped (${r.skipped})`]);
    for (const f of r.figures)
      rows.push([
        label,
        f.period.name,
        int(f.tickets),
        ms(f.medianMs),
        ms(f.maxMs),
        ms(f.cellCountsMs),
        ms(f.unansweredMs),
        ms(f.ranksMs),
      ]);
    if (r.failed) {
      rows.push([label, `failed: ${r.failed}`]);
      ok = false;
    }
  }
  printTable(['', 'measure', 'tickets', 'median', 'max', 'cellCounts', 'unanswered', 'ranks'], rows);
  process.stdout.write(
    `\nmedian and max of ${RUNS} runs after ${WARMUP} warm-up runs; cellCounts, unanswered and ranks: the medians ` +
      `of the time spent in the repository's three queries (the trend runs them once per week).\n`,
  );
  for (const r of results) {
    const periods = [...new Set(r.figures.map((f) => f.period))];
    if (periods.length === 0) continue;
    for (const p of periods) process.stdout.write(`${LABEL[r.dialect]} ${p.name}: ${p.what}\n`);
    break;
  }
  for (const r of results)
    if (r.version)
      process.stdout.write(
        `${LABEL[r.dialect]}: ${r.version}${r.fillPerSecond ? `; filled at ${int(r.fillPerSecond)} tickets/s` : ''}\n`,
      );

  const tables = results.filter((r) => r.yearTable);
  if (tables[0]?.yearTable) printYearTable(LABEL[tables[0].dialect], tables[0].yearTable);
  if (tables.length === 2) {
    const [a, b] = tables.map((r) => tableText(r.yearTable!));
    if (a === b) process.stdout.write('SQLite and PostgreSQL give the same year table, cell for cell.\n');
    else {
      ok = false;
      process.stdout.write(`!! SQLite and PostgreSQL disagree on the year table:\n${a}\n---\n${b}\n`);
    }
  }

  for (const r of results)
    for (const e of r.explained) {
      const how = r.dialect === 'sqlite' ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN (ANALYZE, BUFFERS)';
      process.stdout.write(`\n${LABEL[r.dialect]}, ${e.period}, ${e.query} (${how}):\n    ${e.sql}\n`);
      for (const line of e.plan) process.stdout.write(`    ${line}\n`);
    }

  const postgres = results.find((r) => r.dialect === 'postgres');
  const year = postgres?.figures.find((f) => f.period.name === 'year');
  process.stdout.write('\n');
  if (year) {
    const within = year.medianMs < BOUND_MS;
    process.stdout.write(
      `PostgreSQL year table, median ${ms(year.medianMs)}: under ${int(BOUND_MS)} ms: ${within ? 'yes' : 'NO'}\n`,
    );
    if (!within) ok = false;
  } else
    process.stdout.write(`PostgreSQL year table: not measured, the ${int(BOUND_MS)} ms bound is unchecked\n`);
  return ok;
}

async function main() {
  process.stdout.write(
    `Accord reports benchmark: the response-time table on ${int(TICKETS)} tickets per database; ${machine()}, ` +
      `load average ${os.loadavg()[0]?.toFixed(1)}\n`,
  );
  if (DATABASES.length === 0) throw new Error('BENCH_REPORT_DATABASES names no database (sqlite, postgres)');
  // One instant for the whole run, a whole minute: both databases get the same desk.
  const now = Math.floor(Date.now() / MINUTE) * MINUTE;
  const results = await eachDatabase(DATABASES, (dialect) => runDatabase(dialect, now));
  if (!results) return;
  log.stage = '';
  if (!summary(results)) {
    process.stdout.write('!! the bound or a check failed (see above)\n');
    process.exitCode = 1;
  }
}

runBenchmark(main);
