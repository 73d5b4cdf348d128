/**
 * `npm run bench:api`: builds a desk of BENCH_TICKETS tickets (default 1,000,000) on SQLite and on
 * PostgreSQL and measures, over real HTTP on loopback:
 *
 * - tickets filed per second through POST /api/v1/tickets, beside the rate at which the same rows
 *   (ticket, first message, two events) go straight into the database in batched transactions;
 *   both on an empty desk and on the full one, and the ratio of the two;
 * - the latency of the agent queue (GET /api/v1/tickets?status=new,open, newest first) under
 *   10 concurrent clients, with the SLA orders (sort=due, and the console's sort=urgency, with and
 *   without the status filter) and each filter the console offers (priority, the unassigned P0/P1
 *   view, tier, organization, assignee, "mine", channel, breached, due within the hour, tag), and
 *   the plan each database chooses for each.
 *
 * Environment: BENCH_TICKETS, BENCH_DURATION (seconds per queue run, default 10), BENCH_API_TICKETS,
 * BENCH_RAW_SAMPLE, BENCH_DATABASES (sqlite,postgres), BENCH_DATABASE_URL (PostgreSQL server; each
 * run uses a new schema, dropped at the end), BENCH_CONNECTIONS (queue clients, default 10),
 * BENCH_QUEUE_ONLY (only the queue variants whose name contains this),
 * BENCH_API_CONNECTIONS (filing clients, default 32), BENCH_BATCH (tickets per raw transaction),
 * BENCH_KEEP=1 (keep the SQLite file and the PostgreSQL schema afterwards).
 */
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { Db, DialectName } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { buildApp } from '../src/server.js';
import { startServices } from '../src/services.js';
import type { TicketFilter } from '../src/tickets/repository.js';
import {
  Numbers,
  RawWriter,
  TicketFactory,
  Timeline,
  fill,
  seedDesk,
  type Desk,
  type GeneratedTicket,
} from './support/desk.js';
import { explainTicketList, planSummary, type TicketOrder } from './support/explain.js';
import {
  DAY,
  LABEL,
  createLog,
  eachDatabase,
  dialectsEnv,
  int,
  intEnv,
  machine,
  openTarget,
  runBenchmark,
  registerCleanup,
  secs,
  settleDatabase,
  vacuumAnalyze,
  wasInterrupted,
} from './support/common.js';
import { getFor, postMany, type LoadOutcome } from './support/load.js';

const TOTAL = intEnv('BENCH_TICKETS', 1_000_000);
const DURATION = Math.max(1, intEnv('BENCH_DURATION', 10));
const API_TICKETS = Math.max(
  1,
  intEnv('BENCH_API_TICKETS', Math.min(5000, Math.max(100, Math.floor(TOTAL / 20)))),
);
const RAW_SAMPLE = Math.max(
  1,
  intEnv('BENCH_RAW_SAMPLE', Math.min(20_000, Math.max(1000, Math.floor(TOTAL / 10)))),
);
const API_WARMUP = Math.min(200, API_TICKETS);
const API_CONNECTIONS = Math.max(1, intEnv('BENCH_API_CONNECTIONS', 32));
const QUEUE_CONNECTIONS = Math.max(1, intEnv('BENCH_CONNECTIONS', 10));
const BATCH = Math.max(1, intEnv('BENCH_BATCH', 5000));
const DATABASES = dialectsEnv('BENCH_DATABASES');
const ORGANIZATIONS = 100;
const AGENTS = 8;
const QUEUE = '/api/v1/tickets?status=new,open&limit=50';
const TICKETS = '/api/v1/tickets';

// ---------------------------------------------------------------------------------------------
// Output

const log = createLog(8);

function problems(outcome: LoadOutcome): string {
  const entries = Object.entries(outcome.problems);
  return entries.length === 0 ? '' : `  !! not 2xx: ${entries.map(([k, v]) => `${k}\u00d7${v}`).join(', ')}`;
}

// ---------------------------------------------------------------------------------------------
// One database

interface RateFigures {
  api: LoadOutcome;
  rawPerSecond: number;
}

interface QueueFigures {
  name: string;
  path: string;
  outcome: LoadOutcome;
  queryMs: number;
  plan: string[];
}

interface DatabaseResult {
  dialect: DialectName;
  skipped?: string;
  failed?: string;
  version?: string;
  empty?: RateFigures;
  full?: RateFigures;
  fillPerSecond?: number;
  tickets?: number;
  queue: QueueFigures[];
}

/** Waits for the requests a load run left in flight, so that they do not spill into the next measure. */
async function settle(base: string): Promise<void> {
  for (let i = 0; i < 3; i++) await (await fetch(`${base}/api/v1/health`)).arrayBuffer();
}

/** Files one ticket and reads the queue once, and stops with the API's answer if either fails. */
async function preflight(
  base: string,
  token: string,
  body: object,
  serverError: () => unknown,
): Promise<void> {
  const answer = async (response: Response) => {
    const error = serverError();
    const cause = error instanceof Error ? `\n  server error: ${error.stack ?? error.message}` : '';
    return `${response.status}: ${(await response.text()).slice(0, 2000)}${cause}`;
  };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const created = await fetch(`${base}${TICKETS}`, { method: 'POST', headers, body: JSON.stringify(body) });
  if (created.status !== 201) throw new Error(`POST ${TICKETS} answered ${await answer(created)}`);
  await created.arrayBuffer();
  const queue = await fetch(`${base}${QUEUE}`, { headers });
  if (queue.status !== 200) throw new Error(`GET ${QUEUE} answered ${await answer(queue)}`);
  await queue.arrayBuffer();
}

/** Staff tags as a desk has them: `billing` on 1 ticket in 20, `outage` on 1 in 1,000. */
async function tagTickets(db: Db): Promise<void> {
  for (const [tag, every] of [
    ['billing', 20],
    ['outage', 1000],
  ] as const) {
    await db.kysely
      .insertInto('ticket_tags')
      .columns(['ticket_id', 'tag', 'added_by_id', 'added_at'])
      .expression((eb) =>
        eb
          .selectFrom('tickets')
          .select((s) => ['id', s.val(tag).as('tag'), s.val(null).as('added_by_id'), 'created_at'])
          .where(sql<boolean>`number % ${sql.lit(every)} = 0`),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  await settleDatabase(db, ['ticket_tags']);
}

async function countTickets(db: Db): Promise<number> {
  const row = await db.kysely
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Writes `count` pre-generated tickets in batches, one transaction at a time; returns tickets per second. */
async function timedRawInsert(
  writer: RawWriter,
  make: () => GeneratedTicket,
  count: number,
): Promise<number> {
  const rows = Array.from({ length: count }, make);
  const started = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) await writer.write(rows.slice(i, i + BATCH));
  return count / ((performance.now() - started) / 1000);
}

async function runDatabase(dialect: DialectName): Promise<DatabaseResult> {
  log.stage = dialect;
  const result: DatabaseResult = { dialect, queue: [] };
  const target = await openTarget(dialect, {
    log,
    tmpPrefix: 'accord-bench-',
    schemaPrefix: 'bench',
    env: { HOST: '127.0.0.1', PORT: '0' },
  });
  if (!target) return { ...result, skipped: 'unreachable' };
  const { db, config } = target;
  result.version =
    dialect === 'sqlite'
      ? `${target.engine}, file in ${target.dataDir}`
      : `${target.engine}, schema ${target.schema} (pool of 10)`;
  log(result.version);
  try {
    await migrateToLatest(db);
    const now = Date.now();
    // As `accord serve` starts them: the default support policy is published on a new desk.
    const services = await startServices(config, db);
    const policy = await db.kysely
      .selectFrom('policy_versions')
      .select('id')
      .orderBy('effective_from', 'desc')
      .executeTakeFirst();
    const desk: Desk = await seedDesk(services, { organizations: ORGANIZATIONS, agents: AGENTS }, now);
    log(
      `desk: ${desk.organizations.length} organizations, ${desk.organizations.reduce((n, o) => n + o.customerIds.length, 0)} customer users, ${AGENTS} agents`,
    );

    const app = await buildApp({ config, services, logger: false });
    // Request logs are off; the first server error is kept to explain a failing preflight.
    let serverError: unknown;
    app.addHook('onError', async (_request, _reply, error) => {
      serverError ??= error;
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const closeApp = registerCleanup(() => app.close());
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const factory = new TicketFactory(desk, now, policy?.id ?? null);
      const bodies = Array.from({ length: 64 }, () => factory.apiBody());
      const writer = new RawWriter(db);
      const fixed = 1 + API_WARMUP + 2 * API_TICKETS + 2 * RAW_SAMPLE;
      const fillCount = Math.max(0, TOTAL - fixed);
      const timeline = new Timeline(2 * RAW_SAMPLE + fillCount, now - 2 * 365 * DAY, now - 60_000);
      let numbers = new Numbers(0);
      const make = () => factory.rows(numbers.take(), timeline.take());

      const fileTickets = async (when: string): Promise<LoadOutcome> => {
        const before = await countTickets(db);
        const outcome = await postMany(base, TICKETS, desk.agentToken, bodies, API_TICKETS, API_CONNECTIONS);
        await settle(base);
        const made = (await countTickets(db)) - before;
        log(
          `API, ${when}: ${int(outcome.ok)} tickets in ${secs(outcome.seconds)} = ${int(outcome.perSecond)} tickets/s ` +
            `(${API_CONNECTIONS} clients, p50 ${outcome.p50} ms, p99 ${outcome.p99} ms)${problems(outcome)}` +
            (made !== outcome.ok ? `  !! ${made} tickets in the database` : ''),
        );
        return outcome;
      };
      const insertTickets = async (when: string): Promise<number> => {
        numbers = new Numbers(await writer.lastTicketNumber());
        const perSecond = await timedRawInsert(writer, make, RAW_SAMPLE);
        await writer.setLastTicketNumber(numbers.current);
        log(
          `raw, ${when}: ${int(RAW_SAMPLE)} tickets (${int(RAW_SAMPLE * 4)} rows) = ${int(perSecond)} tickets/s (${int(BATCH)} per transaction)`,
        );
        return perSecond;
      };

      // One ticket and one queue page first: a desk that answers errors is not worth filling.
      await preflight(base, desk.agentToken, bodies[0]!, () => serverError);

      // Phase 1 and 2 on an empty desk.
      await postMany(base, TICKETS, desk.agentToken, bodies, API_WARMUP, API_CONNECTIONS);
      await settle(base);
      const apiEmpty = await fileTickets('empty desk');
      const rawEmpty = await insertTickets('empty desk');
      result.empty = { api: apiEmpty, rawPerSecond: rawEmpty };

      // The desk's history.
      if (fillCount > 0) {
        numbers = new Numbers(await writer.lastTicketNumber());
        const seconds = await fill(writer, make, fillCount, {
          batch: BATCH,
          concurrency: dialect === 'postgres' ? 2 : 1,
          onProgress: (p) =>
            log(
              `filling: ${int(p.written)} / ${int(fillCount)} tickets, ${int(p.written / p.seconds)} tickets/s`,
            ),
        });
        await writer.setLastTicketNumber(numbers.current);
        result.fillPerSecond = fillCount / seconds;
        log(`filled ${int(fillCount)} tickets in ${secs(seconds)} = ${int(result.fillPerSecond)} tickets/s`);
      }
      if (dialect === 'postgres') {
        // What autovacuum does after a bulk load: statistics and the visibility map.
        const started = performance.now();
        await vacuumAnalyze(db, ['tickets', 'ticket_messages', 'ticket_events']);
        log(`vacuum analyze: ${secs((performance.now() - started) / 1000)}`);
      }

      // Phase 1 and 2 again on the full desk.
      const deskSize = await countTickets(db);
      const rawFull = await insertTickets(`${int(deskSize)} tickets`);
      const apiFull = await fileTickets(`${int(deskSize + RAW_SAMPLE)} tickets`);
      result.full = { api: apiFull, rawPerSecond: rawFull };
      result.tickets = await countTickets(db);
      log(`desk: ${int(result.tickets)} tickets`);

      // Phase 3: the agent queue, under each filter the console offers. Staff tags: one common
      // (1 ticket in 20), one rare (1 in 1,000).
      await tagTickets(db);
      const largest = desk.organizations[0]!;
      const smallest = desk.organizations[desk.organizations.length - 1]!;
      const agent = desk.agentIds[0]!;
      const open = { status: ['new', 'open'] };
      const queueNow = Date.now();
      const soon = queueNow + 60 * 60_000;
      const URGENCY = `${TICKETS}?limit=50&sort=urgency`;
      const DUE = `${TICKETS}?limit=50&sort=due`;
      const variants: { name: string; path: string; filter: TicketFilter; order: TicketOrder }[] = [
        { name: 'status=new,open', path: QUEUE, filter: open, order: 'created' },
        {
          name: '+ priority=P0',
          path: `${QUEUE}&priority=P0`,
          filter: { ...open, priority: ['P0'] },
          order: 'created',
        },
        {
          name: '+ organizationId',
          path: `${QUEUE}&organizationId=${largest.id}`,
          filter: { ...open, organizationId: largest.id },
          order: 'created',
        },
        // The queue by due time: soonest due first, among the tickets that owe something.
        { name: '+ sort=due', path: `${QUEUE}&sort=due`, filter: open, order: 'due' },
        // The console's queue: every P0 and P1 first, then soonest due (one band at a time).
        { name: '+ sort=urgency', path: `${QUEUE}&sort=urgency`, filter: open, order: 'urgency' },
        // The console's default view: no status filter, urgency order; and each of its filters.
        { name: 'sort=urgency alone', path: URGENCY, filter: {}, order: 'urgency' },
        { name: 'sort=due alone', path: DUE, filter: {}, order: 'due' },
        {
          name: 'urgency priority=P0',
          path: `${URGENCY}&priority=P0`,
          filter: { priority: ['P0'] },
          order: 'urgency',
        },
        {
          name: 'urgency P0,P1 unassigned',
          path: `${URGENCY}&priority=P0,P1&assigneeId=none`,
          filter: { priority: ['P0', 'P1'], assigneeId: null },
          order: 'urgency',
        },
        {
          name: 'urgency tier',
          path: `${URGENCY}&tier=enterprise`,
          filter: { tier: 'enterprise' },
          order: 'urgency',
        },
        {
          name: 'urgency large org',
          path: `${URGENCY}&organizationId=${largest.id}`,
          filter: { organizationId: largest.id },
          order: 'urgency',
        },
        {
          name: 'urgency small org',
          path: `${URGENCY}&organizationId=${smallest.id}`,
          filter: { organizationId: smallest.id },
          order: 'urgency',
        },
        {
          name: 'urgency assignee',
          path: `${URGENCY}&assigneeId=${agent}`,
          filter: { assigneeId: agent },
          order: 'urgency',
        },
        {
          name: 'urgency mine',
          path: `${URGENCY}&assigneeId=${agent}&status=new,open,waiting_on_customer`,
          filter: { assigneeId: agent, status: ['new', 'open', 'waiting_on_customer'] },
          order: 'urgency',
        },
        {
          name: 'urgency channel',
          path: `${URGENCY}&channel=phone`,
          filter: { channel: 'phone' },
          order: 'urgency',
        },
        {
          name: 'urgency breached',
          path: `${URGENCY}&breached=true`,
          filter: { dueBefore: queueNow - 1 },
          order: 'urgency',
        },
        {
          name: 'urgency due within 1h',
          path: `${URGENCY}&breached=false&dueBefore=${new Date(soon).toISOString()}`,
          filter: { dueBefore: soon, dueAfter: queueNow },
          order: 'urgency',
        },
        {
          name: 'urgency tag (1 in 20)',
          path: `${URGENCY}&tag=billing`,
          filter: { tags: ['billing'] },
          order: 'urgency',
        },
        {
          name: 'urgency tag (1 in 1000)',
          path: `${URGENCY}&tag=outage`,
          filter: { tags: ['outage'] },
          order: 'urgency',
        },
        {
          name: 'due priority=P0',
          path: `${DUE}&priority=P0`,
          filter: { priority: ['P0'] },
          order: 'due',
        },
        {
          name: 'due small org',
          path: `${DUE}&organizationId=${smallest.id}`,
          filter: { organizationId: smallest.id },
          order: 'due',
        },
        {
          name: 'created tier',
          path: `${TICKETS}?limit=50&tier=enterprise`,
          filter: { tier: 'enterprise' },
          order: 'created',
        },
        {
          name: 'created channel',
          path: `${TICKETS}?limit=50&channel=phone`,
          filter: { channel: 'phone' },
          order: 'created',
        },
        {
          name: 'created tag (1 in 1000)',
          path: `${TICKETS}?limit=50&tag=outage`,
          filter: { tags: ['outage'] },
          order: 'created',
        },
      ];
      const only = process.env.BENCH_QUEUE_ONLY;
      if (only) variants.splice(0, variants.length, ...variants.filter((v) => v.name.includes(only)));
      for (const v of variants) {
        const report = await explainTicketList(db, v.filter, v.order, 50);
        log(
          `${v.name}: the query alone takes ${report.medianMs.toFixed(1)} ms (median, ${report.rows} rows); plan:`,
        );
        for (const line of planSummary(report.plan)) log(`    ${line}`);
        await getFor(base, v.path, desk.agentToken, Math.min(2, DURATION), QUEUE_CONNECTIONS);
        await settle(base);
        const outcome = await getFor(base, v.path, desk.agentToken, DURATION, QUEUE_CONNECTIONS);
        await settle(base);
        log(
          `queue ${v.name}: p50 ${outcome.p50} ms, p99 ${outcome.p99} ms, ${int(outcome.perSecond)} req/s ` +
            `(${QUEUE_CONNECTIONS} clients, ${DURATION} s)${problems(outcome)}`,
        );
        result.queue.push({
          name: v.name,
          path: v.path,
          outcome,
          queryMs: report.medianMs,
          plan: report.plan,
        });
      }
    } finally {
      await closeApp();
    }
  } catch (error) {
    result.failed = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (!wasInterrupted()) log(`FAILED: ${result.failed}`);
  } finally {
    await target.cleanup();
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Summary

function summary(results: DatabaseResult[]) {
  const columns = results.map((r) => LABEL[r.dialect]);
  const rows: [string, ...string[]][] = [];
  const cell = (r: DatabaseResult, value: (r: DatabaseResult) => string | undefined) =>
    r.skipped ? `skipped (${r.skipped})` : r.failed ? 'failed' : (value(r) ?? '-');
  let flagged = false;
  // A load with answers other than 2xx is marked: its figures do not measure the API's work.
  const flag = (o: LoadOutcome) => {
    if (Object.keys(o.problems).length === 0) return '';
    flagged = true;
    return ' (!)';
  };
  const ratio = (f: RateFigures | undefined) => {
    if (!f) return undefined;
    if (f.api.perSecond === 0) return `n/a${flag(f.api)}`;
    return `${((f.api.perSecond / f.rawPerSecond) * 100).toFixed(2)}% (1:${Math.round(f.rawPerSecond / f.api.perSecond)})`;
  };

  rows.push([
    'tickets in the desk',
    ...results.map((r) => cell(r, (x) => (x.tickets !== undefined ? int(x.tickets) : undefined))),
  ]);
  rows.push([
    'API create, empty desk (tickets/s)',
    ...results.map((r) => cell(r, (x) => x.empty && int(x.empty.api.perSecond) + flag(x.empty.api))),
  ]);
  rows.push([
    'raw insert, empty desk (tickets/s)',
    ...results.map((r) => cell(r, (x) => x.empty && int(x.empty.rawPerSecond))),
  ]);
  rows.push(['  ratio API / raw', ...results.map((r) => cell(r, (x) => ratio(x.empty)))]);
  rows.push([
    'API create, full desk (tickets/s)',
    ...results.map((r) => cell(r, (x) => x.full && int(x.full.api.perSecond) + flag(x.full.api))),
  ]);
  rows.push([
    'raw insert, full desk (tickets/s)',
    ...results.map((r) => cell(r, (x) => x.full && int(x.full.rawPerSecond))),
  ]);
  rows.push(['  ratio API / raw', ...results.map((r) => cell(r, (x) => ratio(x.full)))]);
  rows.push([
    'bulk fill (tickets/s)',
    ...results.map((r) => cell(r, (x) => (x.fillPerSecond !== undefined ? int(x.fillPerSecond) : undefined))),
  ]);
  const names = results.find((r) => r.queue.length > 0)?.queue.map((q) => q.name) ?? [];
  for (const name of names) {
    const find = (r: DatabaseResult) => r.queue.find((q) => q.name === name);
    rows.push([
      `queue ${name}: p50 / p99`,
      ...results.map((r) =>
        cell(r, (x) => {
          const q = find(x);
          return q && `${q.outcome.p50} / ${q.outcome.p99} ms${flag(q.outcome)}`;
        }),
      ),
    ]);
    rows.push([
      '  requests/s; query alone',
      ...results.map((r) =>
        cell(r, (x) => {
          const q = find(x);
          return q && `${int(q.outcome.perSecond)}; ${q.queryMs.toFixed(1)} ms`;
        }),
      ),
    ]);
  }

  const widths = [
    Math.max(...rows.map((r) => r[0].length)),
    ...columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i + 1] ?? '').length))),
  ];
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[0]!) : c.padStart(widths[i]!))).join('   ');
  process.stdout.write('\n');
  process.stdout.write(`${line(['', ...columns])}\n`);
  process.stdout.write(`${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
  process.stdout.write(
    `\nAPI create: POST ${TICKETS} as an agent with a bearer token, ${API_CONNECTIONS} clients, ${int(API_TICKETS)} tickets per measure.\n` +
      `Raw insert: the same rows (ticket, first message, 2 events) through Kysely, ${int(BATCH)} tickets per transaction, ${int(RAW_SAMPLE)} tickets per measure.\n` +
      `Queue: GET ${QUEUE} (+ filter), ${QUEUE_CONNECTIONS} clients for ${DURATION} s on loopback; "query alone" is the list query without HTTP.\n`,
  );
  if (flagged) process.stdout.write('(!) some responses were not 2xx: see the log above.\n');
  for (const r of results) if (r.version) process.stdout.write(`${LABEL[r.dialect]}: ${r.version}\n`);
}

/** The figures are only as good as the machine is quiet: other work on it shows in the load average. */
function warnIfBusy(when: string) {
  const [load] = os.loadavg();
  const cpus = os.cpus().length;
  if (load !== undefined && load > cpus / 2) {
    process.stdout.write(
      `!! load average ${load.toFixed(1)} on ${cpus} CPUs ${when}: other work is running; figures will be low and noisy.\n`,
    );
  }
}

async function main() {
  process.stdout.write(`Accord API benchmark: ${int(TOTAL)} tickets per database; ${machine()}\n`);
  if (DATABASES.length === 0) throw new Error('BENCH_DATABASES names no database (sqlite, postgres)');
  warnIfBusy('before the run');
  const results = await eachDatabase(DATABASES, runDatabase);
  if (!results) return;
  log.stage = '';
  summary(results);
  warnIfBusy('at the end');
  if (results.some((r) => r.failed)) process.exitCode = 1;
}

runBenchmark(main);
