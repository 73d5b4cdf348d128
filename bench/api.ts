/**
 * `npm run bench:api`: builds a desk of BENCH_TICKETS tickets (default 1,000,000) on SQLite and on
 * PostgreSQL and measures, over real HTTP on loopback:
 *
 * - tickets filed per second through POST /api/v1/tickets, beside the rate at which the same rows
 *   (ticket, first message, two events) go straight into the database in batched transactions;
 *   both on an empty desk and on the full one, and the ratio of the two;
 * - the latency of the agent queue (GET /api/v1/tickets?status=new,open, newest first) under
 *   100 concurrent clients, with two filtered variants and the SLA order (sort=due), and the plan
 *   each database chooses for each.
 *
 * Environment: BENCH_TICKETS, BENCH_DURATION (seconds per queue run, default 10), BENCH_API_TICKETS,
 * BENCH_RAW_SAMPLE, BENCH_DATABASES (sqlite,postgres), BENCH_DATABASE_URL (PostgreSQL server; each
 * run uses a new schema, dropped at the end), BENCH_CONNECTIONS (queue clients, default 100),
 * BENCH_API_CONNECTIONS (filing clients, default 32), BENCH_BATCH (tickets per raw transaction),
 * BENCH_KEEP=1 (keep the SQLite file and the PostgreSQL schema afterwards).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig, type Config } from '../src/config.js';
import { openDatabase, type Db, type DialectName } from '../src/db/database.js';
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
import { getFor, postMany, type LoadOutcome } from './support/load.js';

const DAY = 24 * 3600_000;

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not ${raw}`);
  return value;
}

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
const QUEUE_CONNECTIONS = Math.max(1, intEnv('BENCH_CONNECTIONS', 100));
const BATCH = Math.max(1, intEnv('BENCH_BATCH', 5000));
/** Leaves the SQLite file and the PostgreSQL schema in place, to look at the desk afterwards. */
const KEEP = process.env.BENCH_KEEP === '1';
const PG_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const DATABASES = (process.env.BENCH_DATABASES ?? 'sqlite,postgres')
  .split(',')
  .map((d) => d.trim())
  .filter((d): d is DialectName => d === 'sqlite' || d === 'postgres');
const ORGANIZATIONS = 100;
const AGENTS = 8;
const QUEUE = '/api/v1/tickets?status=new,open&limit=50';
const TICKETS = '/api/v1/tickets';

const LABEL: Record<DialectName, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

// ---------------------------------------------------------------------------------------------
// Output

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const secs = (s: number) => `${s.toFixed(1)} s`;
const startedAt = performance.now();
let current = '';

function log(line: string) {
  const t = ((performance.now() - startedAt) / 1000).toFixed(0).padStart(4);
  process.stdout.write(`[${t}s ${current.padEnd(8)}] ${line}\n`);
}

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

interface Target {
  db: Db;
  config: Config;
  version: string;
  cleanup: () => Promise<void>;
}

const cleanups = new Set<() => Promise<void>>();
let interrupted = false;

/** A cleanup that runs once, however many times it is called (Ctrl-C may race the normal end). */
function once(work: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= work());
}

async function openTarget(dialect: DialectName): Promise<Target | string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-bench-'));
  const removeDir = () => {
    if (!KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const env = { DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent' as const };
  if (dialect === 'sqlite') {
    const config = loadConfig(env);
    const db = openDatabase({ sqliteFile: path.join(config.dataDir, 'accord.sqlite') });
    const row = await sql<{ v: string }>`select sqlite_version() as v`.execute(db.kysely);
    return {
      db,
      config,
      version: `SQLite ${row.rows[0]?.v ?? '?'} (WAL, synchronous=NORMAL), file in ${dataDir}`,
      cleanup: once(async () => {
        await db.close();
        removeDir();
        if (KEEP) log(`kept ${path.join(config.dataDir, 'accord.sqlite')}`);
      }),
    };
  }
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  let version: string;
  const schema = `bench_${Date.now()}`;
  try {
    await admin.connect();
    version = String(
      (await admin.query<{ server_version: string }>('show server_version')).rows[0]?.server_version,
    );
    await admin.query(`create schema ${schema}`);
  } catch (error) {
    removeDir();
    return `PostgreSQL is not reachable at ${PG_URL.replace(/:[^:@/]*@/, ':***@')} (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    await admin.end().catch(() => undefined);
  }
  const config = loadConfig({ ...env, DATABASE_URL: PG_URL });
  const db = openDatabase({ databaseUrl: PG_URL, pgSchema: schema });
  return {
    db,
    config,
    version: `PostgreSQL ${version}, schema ${schema} (pool of 10)`,
    cleanup: once(async () => {
      await db.close();
      removeDir();
      if (KEEP) {
        log(`kept schema ${schema}; drop it with: drop schema ${schema} cascade`);
        return;
      }
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    }),
  };
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
  current = dialect;
  const result: DatabaseResult = { dialect, queue: [] };
  const target = await openTarget(dialect);
  if (typeof target === 'string') {
    log(`SKIPPED: ${target}. Set BENCH_DATABASE_URL to a reachable server to measure PostgreSQL.`);
    return { ...result, skipped: 'unreachable' };
  }
  cleanups.add(target.cleanup);
  const { db, config } = target;
  result.version = target.version;
  log(target.version);
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
    const closeApp = () => app.close();
    cleanups.add(closeApp);
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
        await sql`vacuum (analyze) tickets, ticket_messages, ticket_events`.execute(db.kysely);
        log(`vacuum analyze: ${secs((performance.now() - started) / 1000)}`);
      }

      // Phase 1 and 2 again on the full desk.
      const deskSize = await countTickets(db);
      const rawFull = await insertTickets(`${int(deskSize)} tickets`);
      const apiFull = await fileTickets(`${int(deskSize + RAW_SAMPLE)} tickets`);
      result.full = { api: apiFull, rawPerSecond: rawFull };
      result.tickets = await countTickets(db);
      log(`desk: ${int(result.tickets)} tickets`);

      // Phase 3: the agent queue.
      const largest = desk.organizations[0]!;
      const open = { status: ['new', 'open'] };
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
        // The queue by SLA urgency: soonest due first, among the tickets that owe something.
        { name: '+ sort=due', path: `${QUEUE}&sort=due`, filter: open, order: 'due' },
      ];
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
      cleanups.delete(closeApp);
      await app.close();
    }
  } catch (error) {
    result.failed = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (!interrupted) log(`FAILED: ${result.failed}`);
  } finally {
    cleanups.delete(target.cleanup);
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
  process.stdout.write(
    `Accord API benchmark: ${int(TOTAL)} tickets per database; Node ${process.version}, ${os.cpus().length} \u00d7 ${os.cpus()[0]?.model ?? 'CPU'}\n`,
  );
  if (DATABASES.length === 0) throw new Error('BENCH_DATABASES names no database (sqlite, postgres)');
  warnIfBusy('before the run');
  const results: DatabaseResult[] = [];
  for (const dialect of DATABASES) {
    if (interrupted) return;
    results.push(await runDatabase(dialect));
  }
  if (interrupted) return;
  current = '';
  summary(results);
  warnIfBusy('at the end');
  if (results.some((r) => r.failed)) process.exitCode = 1;
}

// Ctrl-C still drops the PostgreSQL schema and removes the data folder.
process.once('SIGINT', () => {
  interrupted = true;
  process.stdout.write('\ninterrupted; cleaning up\n');
  void (async () => {
    for (const cleanup of [...cleanups].reverse()) await cleanup().catch(() => undefined);
    process.exit(130);
  })();
});

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
