/**
 * `npm run bench:sla`: the SLA engine's two costs.
 *
 * 1. Due times per second on the business clock (bench/sla-calendar.ts: random openings over ten years).
 * 2. The scheduler's cost to find due work, on SQLite and on PostgreSQL, with 10,000 open tickets and
 *    again after growing the desk to BENCH_SLA_TICKETS (default 1,000,000) open tickets. The tickets go
 *    straight into the database (multi-row Kysely inserts in transactions) with their SLA columns
 *    filled: `sla_next_check_at` spread over the next 30 days, except for exactly 50 tickets among the
 *    first 10,000 whose check is due now (a premium P2 ticket opened 100 minutes ago, whose breach
 *    warning fell due at 96 minutes). The scheduler's work is therefore the same at both sizes, and
 *    only the size of the table changes.
 *
 *    "Finding due work" is `SlaRepository.claimDue(now, 100)`, the scheduler's first statement in each
 *    batch, timed alone inside a transaction that is rolled back (the state stays identical), warm-up
 *    runs excluded. The product's bound: the large desk's median must not exceed 3x the small one's.
 *    The run also prints the claim query's plan at the large size (PostgreSQL: EXPLAIN ANALYZE;
 *    SQLite: EXPLAIN QUERY PLAN), and times complete `SlaService.runDue(now)` passes over the 50 due
 *    tickets; each pass records effects, events and notifications, which are then undone (the 50
 *    tickets' rows are restored from a copy taken before), so the claim figures never see them.
 *
 * PostgreSQL gets `VACUUM ANALYZE tickets` after each fill, as autovacuum would after a bulk load; SQLite
 * gets a WAL checkpoint (the application never runs ANALYZE on SQLite, so neither does this).
 *
 * Environment: BENCH_SLA_TICKETS (large size, default 1,000,000), BENCH_SLA_ITERATIONS (timed claims
 * per size, default 200), BENCH_SLA_RUNDUE (runDue passes per size, default 5, 0 to skip),
 * BENCH_SLA_DATABASES (sqlite,postgres), BENCH_DATABASE_URL (PostgreSQL server, default
 * postgres://postgres@127.0.0.1:5432/test; the run creates and drops the schema bench_sla_<timestamp>),
 * BENCH_CALENDAR_ITERATIONS (business-clock computations, default 1,000,000), BENCH_KEEP=1 (keep the
 * SQLite file and the PostgreSQL schema). Exits with 1 when a bound or the index check fails.
 *
 * BENCH_BURST=10000 runs the burst mode instead (bench/sla-burst.ts): that many tickets falling due
 * at the same instant, drained on SQLite by one process and on PostgreSQL by two server processes
 * (BENCH_BURST_PROCESSES), each effect checked to be recorded once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type Db, type DialectName } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { TicketRow } from '../src/db/tables.js';
import type { Priority } from '../src/policy/tiers.js';
import { startServices, type Services } from '../src/services.js';
import { newId } from '../src/shared/ids.js';
import { SlaRepository } from '../src/sla/repository.js';
import type { Status } from '../src/tickets/schema.js';
import { runBurst } from './sla-burst.js';
import { runCalendarBench } from './sla-calendar.js';
import {
  DAY,
  HOUR,
  KEEP,
  LABEL,
  MAX_PARAMETERS,
  MINUTE,
  PG_URL,
  checkpoint,
  createLog,
  eachDatabase,
  dialectsEnv,
  int,
  intEnv,
  machine,
  ms,
  openTarget,
  registerCleanup,
  runBenchmark,
  settleDatabase,
  vacuumAnalyze,
  wasInterrupted,
  type Target,
} from './support/common.js';
import { CHANNEL_MIX, RawWriter, openingEventRows, rng, weighted } from './support/desk.js';
import { Capture, explainCaptured } from './support/explain.js';

const LARGE = Math.max(1, intEnv('BENCH_SLA_TICKETS', 1_000_000));
const SMALL = Math.min(10_000, LARGE);
/** Tickets due at `now`, all among the first SMALL tickets: the scheduler's work at both sizes. */
const DUE = Math.min(50, SMALL);
const CLAIM_LIMIT = 100;
const ITERATIONS = Math.max(1, intEnv('BENCH_SLA_ITERATIONS', 200));
const WARMUP = Math.min(20, ITERATIONS);
const RUNDUE_PASSES = intEnv('BENCH_SLA_RUNDUE', 5);
const CALENDAR_ITERATIONS = Math.max(1, intEnv('BENCH_CALENDAR_ITERATIONS', 1_000_000));
const BOUND = 3;
const INDEX = 'tickets_sla_next_check_idx';
const DATABASES = dialectsEnv('BENCH_SLA_DATABASES');
const BURST = intEnv('BENCH_BURST', 0);

/** Statements per fill transaction (about 20,000 tickets per transaction on both databases). */
const STATEMENTS_PER_TRANSACTION: Record<DialectName, number> = { sqlite: 20, postgres: 10 };
/** Fill transactions in flight: SQLite has one writer, PostgreSQL takes a second while Node builds SQL. */
const WRITERS: Record<DialectName, number> = { sqlite: 1, postgres: 2 };

// ---------------------------------------------------------------------------------------------
// Output

const log = createLog(10);

// ---------------------------------------------------------------------------------------------
// Tickets

interface Desk {
  now: number;
  organizationId: string;
  requesterId: string;
  staffId: string;
  policyVersionId: string;
  tier: 'premium';
}

/** First-response targets of the premium tier (policy/default.yaml), in minutes, 24/7 clock. */
const PREMIUM_TARGET_MINUTES: Record<Priority, number> = { P0: 15, P1: 60, P2: 120, P3: 240 };
/** warnings.leadFraction of the default policy: the warning falls due when 20% of the target remains. */
const WARNING_LEAD = 0.2;
/** The open desk's history: ticket i is opened at a steady pace over these days, oldest first. */
const HISTORY = 180 * DAY;

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
const PRIORITIES: readonly (readonly [Priority, number])[] = [
  ['P0', 1],
  ['P1', 9],
  ['P2', 40],
  ['P3', 50],
];
const STATUSES: readonly (readonly [Status, number])[] = [
  ['new', 30],
  ['open', 50],
  ['waiting_on_customer', 20],
];

/** The due tickets' positions: spread evenly over the first SMALL tickets. */
const dueStep = Math.floor(SMALL / DUE);
const isDue = (i: number) => i < DUE * dueStep && i % dueStep === 0;

/**
 * Ticket i of the desk (0-based), open, with every column of TicketRow. Open tickets wait for their
 * first response; the scheduler's next look is either the breach warning (then the response is due
 * 20% of the target later) or the breach itself, somewhere in the next 30 days.
 */
function makeTicket(desk: Desk, i: number, random: () => number): TicketRow {
  const { now } = desk;
  const base = {
    id: newId(),
    number: 1001 + i,
    subject: SUBJECTS[Math.floor(random() * SUBJECTS.length)]!,
    organization_id: desk.organizationId,
    requester_id: desk.requesterId,
    channel: weighted(random, CHANNEL_MIX),
    request_type: random() < 0.6 ? 'question' : 'problem',
    tier: desk.tier,
    repro_steps: null,
    repro_expected: null,
    repro_actual: null,
    repro_environment: null,
    resolved_at: null,
    closed_at: null,
    policy_version_id: desk.policyVersionId,
    sla_first_response_at: null,
    sla_next_response_due_at: null,
    sla_next_response_at: null,
    // The default policy has no resolution targets; nothing is resolved; P0 updates start after the first reply.
    sla_resolution_due_at: null,
    sla_resolved_at: null,
    sla_update_due_at: null,
    sla_escalation_level: 0,
    sla_first_response_target_ms: PREMIUM_TARGET_MINUTES.P2 * MINUTE,
    sla_first_response_clock: 'calendar',
    sla_first_response_ms: null,
    external_id: null,
    merged_into_id: null,
  };
  if (isDue(i)) {
    // Premium P2 (2 hours), opened 100 minutes ago: the warning (at 96 minutes) is due now.
    const createdAt = now - 100 * MINUTE;
    const dueAt = createdAt + PREMIUM_TARGET_MINUTES.P2 * MINUTE;
    return {
      ...base,
      created_by_id: desk.requesterId,
      priority: 'P2',
      status: 'new',
      assignee_id: desk.staffId,
      created_at: createdAt,
      updated_at: createdAt,
      sla_first_response_due_at: dueAt,
      sla_escalation_due_at: null,
      sla_next_due_at: dueAt,
      sla_next_check_at: now,
    };
  }
  const priority = weighted(random, PRIORITIES);
  const status = weighted(random, STATUSES);
  const createdAt = now - HISTORY + Math.floor((i * HISTORY) / LARGE) - 3 * HOUR;
  const nextCheckAt = now + MINUTE + Math.floor(random() * (30 * DAY - MINUTE));
  const lead = Math.round(PREMIUM_TARGET_MINUTES[priority] * MINUTE * WARNING_LEAD);
  const dueAt = random() < 0.5 ? nextCheckAt + lead : nextCheckAt;
  return {
    ...base,
    created_by_id: random() < 0.5 ? desk.staffId : desk.requesterId,
    priority,
    status,
    assignee_id: status === 'new' ? null : desk.staffId,
    created_at: createdAt,
    updated_at: createdAt + Math.floor(random() * Math.min(now - createdAt, 3 * DAY)),
    sla_first_response_due_at: dueAt,
    sla_escalation_due_at: priority === 'P0' ? nextCheckAt : null,
    sla_next_due_at: dueAt,
    sla_next_check_at: nextCheckAt,
  };
}

/** Writes tickets [from, to) in multi-row inserts, about 20,000 per transaction; returns tickets/s. */
async function fill(
  db: Db,
  desk: Desk,
  random: () => number,
  from: number,
  to: number,
  due: TicketRow[],
): Promise<number> {
  const columns = Object.keys(makeTicket(desk, 1, rng(1))).length;
  const perStatement = Math.floor(MAX_PARAMETERS[db.dialect] / columns);
  const perTransaction = perStatement * STATEMENTS_PER_TRANSACTION[db.dialect];
  const started = performance.now();
  const step = Math.max(perTransaction, Math.floor((to - from) / 5));
  let next = from;
  let written = 0;
  let reported = 0;
  const writer = async () => {
    while (next < to) {
      // Claiming a range and generating its rows happen without an await: the seeded sequence is
      // consumed in ticket order whatever the number of writers.
      const start = next;
      const end = Math.min(to, start + perTransaction);
      next = end;
      const rows: TicketRow[] = [];
      for (let i = start; i < end; i++) {
        const row = makeTicket(desk, i, random);
        rows.push(row);
        if (isDue(i)) due.push(row);
      }
      await db.kysely.transaction().execute(async (trx) => {
        for (let k = 0; k < rows.length; k += perStatement)
          await trx
            .insertInto('tickets')
            .values(rows.slice(k, k + perStatement))
            .execute();
      });
      written += rows.length;
      if (written - reported >= step && next < to) {
        reported = written;
        const seconds = (performance.now() - started) / 1000;
        log(`  ${int(from + written)} tickets (${int(written / seconds)}/s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS[db.dialect] }, writer));
  return (to - from) / ((performance.now() - started) / 1000);
}

/** The due tickets' opening events, so that runDue reads a real timeline for them. */
async function writeOpeningEvents(db: Db, due: TicketRow[]) {
  const rows = due.flatMap(openingEventRows);
  if (rows.length > 0) await db.kysely.insertInto('ticket_events').values(rows).execute();
}

// ---------------------------------------------------------------------------------------------
// Measures

interface ClaimFigures {
  tickets: number;
  fillPerSecond: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  rows: number;
  plan: string[];
  usesIndex: boolean;
  /** The one-minute load average when the measure began: other work on the machine shows here. */
  load: number;
  /** Medians of claims alternating with the frozen small copy (large size only). */
  interleaved?: { largeMs: number; smallMs: number };
  runDue?: { medianMs: number; firstMs: number; effects: number; passes: number };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;

/** Times claimDue(now, 100) alone, each in its own transaction that is rolled back. */
async function timeClaims(db: Db, now: number, expected: Set<string>) {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    const elapsed = await timeOneClaim(db, now, expected);
    if (i >= WARMUP) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  return {
    medianMs: percentile(times, 0.5),
    p95Ms: percentile(times, 0.95),
    minMs: times[0]!,
    rows: expected.size,
  };
}

/** One timed claim in a rolled-back transaction; checks that it found exactly the due tickets. */
async function timeOneClaim(db: Db, now: number, expected: Set<string>): Promise<number> {
  const trx = await db.kysely.startTransaction().execute();
  try {
    const started = performance.now();
    const claimed = await new SlaRepository(trx, db.dialect).claimDue(now, CLAIM_LIMIT);
    const elapsed = performance.now() - started;
    if (claimed.length !== expected.size || claimed.some((t) => !expected.has(t.id)))
      throw new Error(`claimDue returned ${claimed.length} tickets, not the ${expected.size} due ones`);
    return elapsed;
  } finally {
    await trx.rollback().execute();
  }
}

/**
 * The same claims on the large desk and on a frozen copy of the small one, alternating (ABBA), so
 * that both see the same machine at the same moment: the ratio then isolates the table's size from
 * whatever else the machine does between the two sequential measures.
 */
async function timeClaimsInterleaved(large: Db, small: Db, now: number, expected: Set<string>) {
  const largeTimes: number[] = [];
  const smallTimes: number[] = [];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    const order: [Db, number[]][] =
      i % 2 === 0
        ? [
            [large, largeTimes],
            [small, smallTimes],
          ]
        : [
            [small, smallTimes],
            [large, largeTimes],
          ];
    for (const [db, times] of order) {
      const elapsed = await timeOneClaim(db, now, expected);
      if (i >= WARMUP) times.push(elapsed);
    }
  }
  largeTimes.sort((a, b) => a - b);
  smallTimes.sort((a, b) => a - b);
  return { largeMs: percentile(largeTimes, 0.5), smallMs: percentile(smallTimes, 0.5) };
}

interface Baseline {
  db: Db;
  cleanup: () => Promise<void>;
}

/**
 * A frozen copy of the small desk's tickets for the interleaved measure: the SQLite file copied as
 * it is (after a checkpoint), or on PostgreSQL the tickets table copied with its indexes into a
 * second schema, `<schema>_small`, dropped with the run.
 */
async function copyBaseline(target: Target, dataDir: string): Promise<Baseline> {
  const { db } = target;
  if (db.dialect === 'sqlite') {
    await checkpoint(db);
    const file = path.join(dataDir, 'small.sqlite');
    fs.copyFileSync(path.join(dataDir, 'accord.sqlite'), file);
    const copy = openDatabase({ sqliteFile: file });
    return { db: copy, cleanup: registerCleanup(() => copy.close()) };
  }
  const schema = `${target.schema!}_small`;
  await sql`create schema ${sql.id(schema)}`.execute(db.kysely);
  await sql`create table ${sql.id(schema, 'tickets')} (like ${sql.id(target.schema!, 'tickets')} including all)`.execute(
    db.kysely,
  );
  await sql`insert into ${sql.id(schema, 'tickets')} select * from ${sql.id(target.schema!, 'tickets')}`.execute(
    db.kysely,
  );
  await vacuumAnalyze(db, [[schema, 'tickets']]);
  const copy = openDatabase({ databaseUrl: PG_URL, pgSchema: schema, poolSize: 2 });
  return {
    db: copy,
    cleanup: registerCleanup(async () => {
      await copy.close();
      if (KEEP) return;
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db.kysely);
    }),
  };
}

/** The claim query exactly as the repository builds it, and the database's plan for it. */
async function explainClaim(db: Db, now: number): Promise<{ sql: string; plan: string[] }> {
  const capture = new Capture();
  const trx = await db.kysely.startTransaction().execute();
  try {
    await new SlaRepository(trx.withPlugin(capture), db.dialect).claimDue(now, CLAIM_LIMIT);
    // EXPLAIN ANALYZE runs the statement, FOR UPDATE included: the rollback below releases the locks.
    return await explainCaptured(db, capture, trx, 'claimDue');
  } finally {
    await trx.rollback().execute();
  }
}

/** Puts the due tickets back as they were before a runDue pass, and removes what the pass recorded. */
async function restore(db: Db, due: TicketRow[]) {
  await db.kysely.transaction().execute(async (trx) => {
    for (const { id, ...row } of due)
      await trx.updateTable('tickets').set(row).where('id', '=', id).execute();
    await trx.deleteFrom('notifications').execute();
    await trx.deleteFrom('sla_events').execute();
    await trx
      .deleteFrom('ticket_events')
      .where('type', 'in', ['sla_warning', 'sla_breach', 'sla_escalation'])
      .execute();
  });
}

/** Complete scheduler passes over the due tickets, each undone afterwards. */
async function timeRunDue(db: Db, services: Services, now: number, due: TicketRow[]) {
  const times: number[] = [];
  let effects = 0;
  for (let i = 0; i < RUNDUE_PASSES; i++) {
    const started = performance.now();
    effects = await services.sla.runDue(now);
    times.push(performance.now() - started);
    const left = await new SlaRepository(db.kysely, db.dialect).claimDue(now, CLAIM_LIMIT);
    if (left.length !== 0) throw new Error(`runDue left ${left.length} tickets due`);
    await restore(db, due);
  }
  const firstMs = times[0]!;
  times.sort((a, b) => a - b);
  return { medianMs: percentile(times, 0.5), firstMs, effects, passes: RUNDUE_PASSES };
}

// ---------------------------------------------------------------------------------------------
// One database

interface DatabaseResult {
  dialect: DialectName;
  version?: string;
  skipped?: string;
  failed?: string;
  small?: ClaimFigures;
  large?: ClaimFigures;
}

async function measure(
  db: Db,
  services: Services,
  now: number,
  due: TicketRow[],
  tickets: number,
  fillPerSecond: number,
  baseline?: Baseline,
): Promise<{ figures: ClaimFigures; sql: string }> {
  await settleDatabase(db, ['tickets']);
  const explained = await explainClaim(db, now);
  const usesIndex = explained.plan.some((line) => line.includes(INDEX));
  const expected = new Set(due.map((t) => t.id));
  const load = os.loadavg()[0] ?? 0;
  const claims = await timeClaims(db, now, expected);
  log(
    `claimDue(now, ${CLAIM_LIMIT}) at ${int(tickets)} tickets: median ${ms(claims.medianMs)}, ` +
      `p95 ${ms(claims.p95Ms)}, min ${ms(claims.minMs)} (${claims.rows} due tickets, ${ITERATIONS} runs); ` +
      `index ${usesIndex ? 'used' : 'NOT used'}; load average ${load.toFixed(1)}`,
  );
  const figures: ClaimFigures = { tickets, fillPerSecond, ...claims, plan: explained.plan, usesIndex, load };
  if (baseline) {
    figures.interleaved = await timeClaimsInterleaved(db, baseline.db, now, expected);
    log(
      `interleaved with the frozen ${int(SMALL)}-ticket copy: median ${ms(figures.interleaved.largeMs)} ` +
        `at ${int(tickets)} vs ${ms(figures.interleaved.smallMs)} at ${int(SMALL)} ` +
        `(${(figures.interleaved.largeMs / figures.interleaved.smallMs).toFixed(2)}x)`,
    );
  }
  if (RUNDUE_PASSES > 0) {
    // Last: a pass changes the state (restored afterwards).
    figures.runDue = await timeRunDue(db, services, now, due);
    log(
      `runDue(now) at ${int(tickets)} tickets: median ${ms(figures.runDue.medianMs)} over ${RUNDUE_PASSES} passes ` +
        `(first ${ms(figures.runDue.firstMs)}), ${figures.runDue.effects} effects recorded per pass`,
    );
  }
  return { figures, sql: explained.sql };
}

async function runDatabase(dialect: DialectName): Promise<DatabaseResult> {
  log.stage = LABEL[dialect];
  const result: DatabaseResult = { dialect };
  const target = await openTarget(dialect, {
    log,
    tmpPrefix: 'accord-bench-sla-',
    schemaPrefix: 'bench_sla',
  });
  if (!target) return { ...result, skipped: 'unreachable' };
  const { db, config } = target;
  result.version =
    dialect === 'sqlite' ? `${target.engine}, ${target.file}` : `${target.engine}, schema ${target.schema}`;
  log(result.version);
  let baseline: Baseline | undefined;
  try {
    await migrateToLatest(db);
    // A whole minute, so that the instants in the output read cleanly.
    const now = Math.floor(Date.now() / MINUTE) * MINUTE;
    const services = await startServices(config, db, { clock: () => now });
    // The benchmark announces nothing live; on PostgreSQL the listener would keep the process alive.
    await services.live.close();
    const version = (await services.policy.list()).at(-1);
    if (!version) throw new Error('no policy version was published');
    const org = await services.organizations.create(null, {
      name: 'Bench Customer',
      domains: ['customer.bench.test'],
      locale: 'en',
      subscription: {
        tier: 'premium',
        termStart: new Date(now - 365 * DAY).toISOString(),
        termEnd: new Date(now + 365 * DAY).toISOString(),
      },
    });
    const requester = await services.users.create(null, {
      email: 'contact@customer.bench.test',
      name: 'Bench Contact',
      role: 'contact',
      organizationId: org.id,
    });
    const staff = await services.users.create(null, {
      email: 'agent@bench.test',
      name: 'Bench Agent',
      role: 'agent',
    });
    const desk: Desk = {
      now,
      organizationId: org.id,
      requesterId: requester.id,
      staffId: staff.id,
      policyVersionId: version.id,
      tier: 'premium',
    };
    log(`policy ${version.version} (${version.id}); now = ${new Date(now).toISOString()}`);

    const random = rng(20_261_127);
    const due: TicketRow[] = [];
    let rate = await fill(db, desk, random, 0, SMALL, due);
    await writeOpeningEvents(db, due);
    log(`${int(SMALL)} open tickets written (${int(rate)}/s), ${due.length} due now`);
    const small = await measure(db, services, now, due, SMALL, rate);
    result.small = small.figures;
    if (wasInterrupted()) return result;

    if (LARGE > SMALL) {
      baseline = await copyBaseline(target, config.dataDir);
      log(`growing to ${int(LARGE)} open tickets`);
      rate = await fill(db, desk, random, SMALL, LARGE, due);
      await new RawWriter(db).setLastTicketNumber(1000 + LARGE);
      log(`${int(LARGE)} open tickets written (${int(rate)}/s)`);
      const large = await measure(db, services, now, due, LARGE, rate, baseline);
      result.large = large.figures;
      log(
        `plan of the claim query at ${int(LARGE)} tickets (${dialect === 'sqlite' ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN ANALYZE'}):`,
      );
      process.stdout.write(`    ${large.sql}\n`);
      for (const line of large.figures.plan) process.stdout.write(`    ${line}\n`);
    }
    if (dialect === 'sqlite') {
      const file = path.join(config.dataDir, 'accord.sqlite');
      log(`SQLite file: ${int(fs.statSync(file).size / 1024 / 1024)} MB`);
    }
  } catch (error) {
    result.failed = error instanceof Error ? error.message : String(error);
    log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    if (baseline) await baseline.cleanup();
    await target.cleanup();
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Summary

interface Verdict {
  ok: boolean;
  lines: string[];
}

/** 1,000,000 as "1M", 10,000 as "10k". */
const short = (n: number) =>
  n >= 1_000_000 && n % 100_000 === 0
    ? `${n / 1_000_000}M`
    : n >= 1000 && n % 100 === 0
      ? `${n / 1000}k`
      : String(n);

function summary(calendarPerSecond: number, results: DatabaseResult[]): Verdict {
  const lines: string[] = [];
  let ok = true;
  const header = ['', 'tickets', 'claim median', 'claim p95', 'runDue pass', 'index', 'load', 'fill'];
  const rows: string[][] = [];
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  for (const r of results) {
    const label = LABEL[r.dialect];
    if (r.skipped) {
      rows.push([label, `skipped (${r.skipped})`]);
      continue;
    }
    for (const f of [r.small, r.large]) {
      if (!f) continue;
      rows.push([
        label,
        int(f.tickets),
        ms(f.medianMs),
        ms(f.p95Ms),
        f.runDue ? ms(f.runDue.medianMs) : '-',
        f.usesIndex ? 'yes' : 'NO',
        f.load.toFixed(1),
        `${int(f.fillPerSecond)}/s`,
      ]);
      if (!f.usesIndex) ok = false;
    }
    const { small, large } = r;
    if (small && large) {
      const name = `${short(large.tickets)} / ${short(small.tickets)}`;
      const sequential = large.medianMs / small.medianMs;
      rows.push([
        `  ${name}`,
        `${int(large.tickets / small.tickets)}x`,
        ratio(large.medianMs, small.medianMs),
        ratio(large.p95Ms, small.p95Ms),
        small.runDue && large.runDue ? ratio(large.runDue.medianMs, small.runDue.medianMs) : '-',
      ]);
      const paired = large.interleaved ? large.interleaved.largeMs / large.interleaved.smallMs : undefined;
      if (large.interleaved)
        rows.push([
          `  ${name}, interleaved`,
          `median ${ratio(large.interleaved.largeMs, large.interleaved.smallMs)} ` +
            `(${ms(large.interleaved.largeMs)} vs ${ms(large.interleaved.smallMs)})`,
        ]);
      // The interleaved ratio decides when there is one: it compares the sizes at the same moment.
      const decisive = paired ?? sequential;
      const verdict =
        sequential <= BOUND && decisive <= BOUND
          ? 'yes'
          : decisive <= BOUND
            ? 'yes interleaved; no in sequence (the load changed between the measures)'
            : 'NO';
      if (decisive > BOUND) ok = false;
      rows.push([`  median within ${BOUND}x`, verdict]);
    }
    if (r.failed) {
      rows.push([label, `failed: ${r.failed}`]);
      ok = false;
    }
  }
  // Cells longer than their column (verdicts, messages) run over the columns to their right.
  const widths = header.map((h, i) =>
    Math.max(
      h.length,
      ...rows.filter((row) => row.length > 2 || i === 0).map((row) => (row[i] ?? '').length),
    ),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[0]!) : cells.length === 2 ? c : c.padStart(widths[i]!)))
      .join('   ')
      .trimEnd();
  lines.push('');
  lines.push(
    `business clock: ${int(calendarPerSecond)} due times/s (${int(CALENDAR_ITERATIONS)} random openings over 2026-2035)`,
  );
  lines.push('');
  lines.push(line(header));
  lines.push(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) lines.push(line(row));
  lines.push('');
  lines.push(
    `claim: SlaRepository.claimDue(now, ${CLAIM_LIMIT}) alone, median and p95 of ${ITERATIONS} runs after ${WARMUP} ` +
      `warm-up, each in a rolled-back transaction; the same ${DUE} tickets due at both sizes.`,
  );
  lines.push(
    `interleaved: the same claims alternating between the large desk and a frozen copy of the ${int(SMALL)}-ticket ` +
      `one, so that both see the same machine load.`,
  );
  lines.push(
    RUNDUE_PASSES > 0
      ? `runDue pass: SlaService.runDue(now) over the ${DUE} due tickets (one breach warning each), median of ` +
          `${RUNDUE_PASSES} passes, each undone afterwards.`
      : 'runDue pass: skipped (BENCH_SLA_RUNDUE=0).',
  );
  for (const r of results) if (r.version) lines.push(`${LABEL[r.dialect]}: ${r.version}`);
  return { ok, lines };
}

async function main() {
  if (BURST > 0) {
    process.stdout.write(`Accord SLA burst: ${int(BURST)} tickets due at once; ${machine()}\n`);
    const burst = await runBurst(DATABASES, BURST, log);
    process.stdout.write(`${burst.lines.join('\n')}\n`);
    if (!burst.ok) process.exitCode = 1;
    return;
  }
  process.stdout.write(
    `Accord SLA benchmark: ${int(SMALL)} then ${int(LARGE)} open tickets per database; ${machine()}, ` +
      `load average ${os.loadavg()[0]?.toFixed(1)}\n`,
  );
  if (DATABASES.length === 0) throw new Error('BENCH_SLA_DATABASES names no database (sqlite, postgres)');
  const calendar = await runCalendarBench({ iterations: CALENDAR_ITERATIONS });
  const results = await eachDatabase(DATABASES, runDatabase);
  if (!results) return;
  log.stage = '';
  const verdict = summary(calendar.dueTimesPerSecond, results);
  process.stdout.write(`${verdict.lines.join('\n')}\n`);
  if (!verdict.ok) {
    process.stdout.write('!! a bound or the index check failed (see above)\n');
    process.exitCode = 1;
  }
}

runBenchmark(main);
