/**
 * `npm run bench:compare`: Accord beside the floor (bench/floor.ts, the least the same framework and
 * drivers can do), each in its own child process, on SQLite then PostgreSQL, for three operations:
 *
 * - create: POST /api/v1/tickets from BENCH_CREATE_CLIENTS clients (default 32), the same 64 bodies;
 * - queue: GET /api/v1/tickets?limit=50&sort=urgency from BENCH_QUEUE_CLIENTS clients (default 10),
 *   on a desk of BENCH_OPEN tickets that owe a response (default 200,000);
 * - mail: new tickets by mail over real SMTP (nodemailer) on BENCH_MAIL_CONNECTIONS (default 8).
 *
 * Both databases are migrated with Accord's migrations and seeded identically (the same desk of
 * customers and agents, the same open tickets written in bulk). Each operation runs in turns,
 * Accord then the floor, BENCH_PAIRS times (default 3) for BENCH_DURATION seconds each (default 5),
 * after a short warm-up of each. Printed per operation and database: the median rate of each, the
 * median of the pairs' ratios (Accord / floor), and the median p50 and p99; then a Markdown table.
 *
 * Environment: BENCH_DATABASES (sqlite,postgres), BENCH_DATABASE_URL (PostgreSQL server; each
 * desk is a new schema, dropped at the end), BENCH_OPERATIONS (queue,create,mail), BENCH_KEEP=1.
 */
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import type { DialectName } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createServices } from '../src/services.js';
import {
  DAY,
  LABEL,
  PG_URL,
  createLog,
  dialectsEnv,
  eachDatabase,
  int,
  intEnv,
  machine,
  openTarget,
  runBenchmark,
  secs,
  settleDatabase,
  wasInterrupted,
  type Target,
} from './support/common.js';
import {
  Numbers,
  RawWriter,
  TicketFactory,
  Timeline,
  fill,
  seedDesk,
  type Desk,
  type TicketCreateBody,
} from './support/desk.js';
import { bandQuery } from './floor.js';
import { explainTicketList, planSummary } from './support/explain.js';
import { getFor, postFor, type LoadOutcome } from './support/load.js';
import { sendMailFor, type OutgoingMail } from './support/mail-load.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const DATABASES = dialectsEnv('BENCH_DATABASES');
const OPEN = Math.max(100, intEnv('BENCH_OPEN', 200_000));
const PAIRS = Math.max(1, intEnv('BENCH_PAIRS', 3));
const DURATION = Math.max(1, intEnv('BENCH_DURATION', 5));
const WARMUP = Math.max(1, Math.min(2, DURATION));
const CREATE_CLIENTS = Math.max(1, intEnv('BENCH_CREATE_CLIENTS', 32));
const QUEUE_CLIENTS = Math.max(1, intEnv('BENCH_QUEUE_CLIENTS', 10));
const MAIL_CONNECTIONS = Math.max(1, intEnv('BENCH_MAIL_CONNECTIONS', 8));
const ORGANIZATIONS = 100;
const AGENTS = 8;
const BATCH = 5000;
const SUPPORT = 'support@bench.test';
const TICKETS = '/api/v1/tickets';
const QUEUE = `${TICKETS}?limit=50&sort=urgency`;
const FLOOR_SCRIPT = path.join(import.meta.dirname, 'floor.ts');
const ACCORD_SCRIPT = path.join(import.meta.dirname, 'support', 'accord-server.ts');

type OperationKey = 'queue' | 'create' | 'mail';
const OPERATION_KEYS: OperationKey[] = (process.env.BENCH_OPERATIONS ?? 'queue,create,mail')
  .split(',')
  .map((o) => o.trim())
  .filter((o): o is OperationKey => o === 'queue' || o === 'create' || o === 'mail');

const log = createLog(10);

// ---------------------------------------------------------------------------------------------
// The desks

interface SeededDesk {
  desk: Desk;
  /** Bodies for POST /api/v1/tickets, the same on both desks but for the requesters' ids. */
  bodies: TicketCreateBody[];
  /** The customers' addresses, the senders of the mail. */
  senders: string[];
  tickets: number;
}

/** Accord's schema and a desk of `OPEN` tickets that owe a response, the same for a given `now`. */
async function seed(target: Target, now: number, name: string): Promise<SeededDesk> {
  const { db } = target;
  const started = performance.now();
  await migrateToLatest(db);
  const services = createServices(target.config, db);
  await services.policy.ensureDefault();
  const policy = await db.kysely
    .selectFrom('policy_versions')
    .select('id')
    .orderBy('effective_from', 'desc')
    .executeTakeFirst();
  const desk = await seedDesk(services, { organizations: ORGANIZATIONS, agents: AGENTS }, now);
  // Tickets of the last two days: three in four are new or open, and only those are kept, so that
  // every ticket written is in the queue.
  const factory = new TicketFactory(desk, now, policy?.id ?? null);
  const timeline = new Timeline(Math.ceil(OPEN / 0.75), now - 2 * DAY, now - 60_000);
  const writer = new RawWriter(db);
  const numbers = new Numbers(await writer.lastTicketNumber());
  const makeOpen = () => {
    for (;;) {
      const generated = factory.rows(numbers.take(), timeline.take());
      if (generated.ticket.status === 'new' || generated.ticket.status === 'open') return generated;
    }
  };
  await fill(writer, makeOpen, OPEN, { batch: BATCH, concurrency: db.dialect === 'postgres' ? 2 : 1 });
  await writer.setLastTicketNumber(numbers.current);
  await settleDatabase(db, ['tickets', 'ticket_messages', 'ticket_events', 'users', 'organizations']);
  const bodies = Array.from(
    { length: 64 },
    (
      (f) => () =>
        f.apiBody()
    )(new TicketFactory(desk, now, null, 7)),
  );
  const senders = (
    await db.kysely
      .selectFrom('users')
      .select('email')
      .where('organization_id', 'is not', null)
      .orderBy('email')
      .execute()
  ).map((u) => u.email);
  const tickets = await countTickets(target);
  log(
    `${name} desk: ${int(tickets)} open tickets, ${desk.organizations.length} organizations, ${senders.length} customers, in ${secs((performance.now() - started) / 1000)}`,
  );
  return { desk, bodies, senders, tickets };
}

/** Tickets in the desk; with `since`, those of a channel filed from that instant on. */
async function countTickets(target: Target, since?: { channel: string; at: number }): Promise<number> {
  let q = target.db.kysely.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n'));
  if (since) q = q.where('channel', '=', since.channel).where('created_at', '>=', since.at);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** How each side's database runs the queue page: Accord's list query and the floor's, urgent band first. */
async function logQueuePlans(accord: Target, floor: Target): Promise<void> {
  const report = await explainTicketList(accord.db, {}, 'urgency', 50);
  log(`Accord queue query, urgent band (median ${report.medianMs.toFixed(2)} ms alone):`);
  for (const line of planSummary(report.plan)) log(`    ${line}`);
  const prefix = floor.db.dialect === 'sqlite' ? 'EXPLAIN QUERY PLAN ' : 'EXPLAIN (ANALYZE) ';
  const result = await sql.raw<Record<string, unknown>>(prefix + bandQuery(0, '51')).execute(floor.db.kysely);
  const plan = result.rows.map((r) => String(floor.db.dialect === 'sqlite' ? r.detail : r['QUERY PLAN']));
  log('floor queue query, urgent band:');
  for (const line of planSummary(plan)) log(`    ${line}`);
}

// ---------------------------------------------------------------------------------------------
// The operations

interface Side {
  name: 'Accord' | 'floor';
  server: ServerProcess;
  seeded: SeededDesk;
}

interface Operation {
  key: OperationKey;
  title: string;
  unit: string;
  clients: string;
  run(side: Side, leg: string, seconds: number): Promise<LoadOutcome>;
}

const mailOf =
  (seeded: SeededDesk, leg: string) =>
  (i: number): OutgoingMail => {
    const from = seeded.senders[i % seeded.senders.length]!;
    return {
      from,
      to: SUPPORT,
      subject: `Work order ${i} did not sync`,
      messageId: `<compare-${leg}-${i}@bench.test>`,
      text: `Hello,\n\nWork order ${i} did not sync to the mobile app since this morning.\n\nThanks`,
      html: `<p>Hello,</p><p>Work order <b>${i}</b> did not sync to the mobile app since this morning.</p><p>Thanks</p>`,
    };
  };

const OPERATIONS: Record<OperationKey, Operation> = {
  queue: {
    key: 'queue',
    title: `queue page of 50, sort=urgency, ${int(OPEN)} open`,
    unit: 'req/s',
    clients: `${QUEUE_CLIENTS} clients`,
    run: (side, _leg, seconds) =>
      getFor(side.server.base, QUEUE, side.seeded.desk.agentToken, seconds, QUEUE_CLIENTS),
  },
  create: {
    key: 'create',
    title: 'create ticket over HTTP',
    unit: 'tickets/s',
    clients: `${CREATE_CLIENTS} clients`,
    run: (side, _leg, seconds) =>
      postFor(
        side.server.base,
        TICKETS,
        side.seeded.desk.agentToken,
        side.seeded.bodies,
        seconds,
        CREATE_CLIENTS,
      ),
  },
  mail: {
    key: 'mail',
    title: 'inbound mail over SMTP, new tickets',
    unit: 'mails/s',
    clients: `${MAIL_CONNECTIONS} connections`,
    run: (side, leg, seconds) =>
      sendMailFor(side.server.smtpPort, mailOf(side.seeded, leg), seconds, MAIL_CONNECTIONS),
  },
};

/** Waits for what a load left in flight, so that it does not spill into the other side's turn. */
async function settle(side: Side): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 250));
  for (let i = 0; i < 2; i++) await (await fetch(`${side.server.base}/api/v1/health`)).arrayBuffer();
}

/** One ticket, one queue page and one mail on each side; stops the run with the answer if one fails. */
async function preflight(side: Side): Promise<void> {
  const headers = {
    authorization: `Bearer ${side.seeded.desk.agentToken}`,
    'content-type': 'application/json',
  };
  const created = await fetch(`${side.server.base}${TICKETS}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(side.seeded.bodies[0]),
  });
  if (created.status !== 201)
    throw new Error(`${side.name}: POST ${TICKETS} answered ${created.status}: ${await created.text()}`);
  await created.arrayBuffer();
  const queue = await fetch(`${side.server.base}${QUEUE}`, { headers });
  const page = (await queue.json()) as { data?: unknown[] };
  if (queue.status !== 200 || page.data?.length !== 50)
    throw new Error(`${side.name}: GET ${QUEUE} answered ${queue.status} with ${page.data?.length} rows`);
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: side.server.smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  try {
    const sent = await transport.sendMail(mailOf(side.seeded, 'preflight')(0));
    log(`${side.name}: the first mail answered ${sent.response}`);
  } finally {
    transport.close();
  }
}

// ---------------------------------------------------------------------------------------------
// One database

interface Pair {
  accord: LoadOutcome;
  floor: LoadOutcome;
}

interface OperationResult {
  operation: Operation;
  pairs: Pair[];
}

interface DatabaseResult {
  dialect: DialectName;
  engine?: string;
  skipped?: boolean;
  failed?: string;
  operations: OperationResult[];
}

const problemsOf = (o: LoadOutcome) => {
  const entries = Object.entries(o.problems);
  return entries.length === 0 ? '' : ` !! ${entries.map(([k, v]) => `${k}\u00d7${v}`).join(', ')}`;
};

const legLine = (o: LoadOutcome, unit: string) =>
  `${int(o.perSecond)} ${unit}, p50 ${o.p50} ms, p99 ${o.p99} ms${problemsOf(o)}`;

async function runDatabase(dialect: DialectName): Promise<DatabaseResult> {
  log.stage = LABEL[dialect];
  const result: DatabaseResult = { dialect, operations: [] };
  const config = { SUPPORT_EMAIL: SUPPORT, HOST: '127.0.0.1', PORT: '0' };
  const accordTarget = await openTarget(dialect, {
    log,
    tmpPrefix: 'accord-compare-',
    schemaPrefix: 'bench_cmp_accord',
    env: config,
  });
  if (!accordTarget) return { ...result, skipped: true };
  const floorTarget = await openTarget(dialect, {
    log,
    tmpPrefix: 'accord-compare-floor-',
    schemaPrefix: 'bench_cmp_floor',
    env: config,
  });
  if (!floorTarget) {
    await accordTarget.cleanup();
    return { ...result, skipped: true };
  }
  result.engine = accordTarget.engine;
  log(accordTarget.engine);
  const servers: ServerProcess[] = [];
  try {
    const now = Date.now();
    const accordDesk = await seed(accordTarget, now, 'Accord');
    const floorDesk = await seed(floorTarget, now, 'floor');
    if (OPERATION_KEYS.includes('queue')) await logQueuePlans(accordTarget, floorTarget);
    const startedAt = Date.now();

    const accordServer = await startServerProcess('Accord', ACCORD_SCRIPT, {
      DATA_DIR: accordTarget.dataDir,
      DATABASE_URL: dialect === 'postgres' ? PG_URL : '',
      BENCH_SQLITE_FILE: accordTarget.file ?? '',
      BENCH_PG_SCHEMA: accordTarget.schema ?? '',
      SUPPORT_EMAIL: SUPPORT,
      // The per-sender cap guards against mail loops; the benchmark's customers write often on purpose.
      MAIL_RATE_PER_HOUR: '1000000',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      SCHEDULER_INTERVAL_MS: '0',
    });
    servers.push(accordServer);
    const floorServer = await startServerProcess('floor', FLOOR_SCRIPT, {
      ...(dialect === 'postgres'
        ? { FLOOR_DATABASE_URL: PG_URL, FLOOR_PG_SCHEMA: floorTarget.schema! }
        : { FLOOR_SQLITE_FILE: floorTarget.file! }),
      FLOOR_SUPPORT_EMAIL: SUPPORT,
      FLOOR_HOST: '127.0.0.1',
    });
    servers.push(floorServer);
    log(
      `Accord: process ${accordServer.pid}, ${accordServer.base}; floor: process ${floorServer.pid}, ${floorServer.base}`,
    );
    const accord: Side = { name: 'Accord', server: accordServer, seeded: accordDesk };
    const floor: Side = { name: 'floor', server: floorServer, seeded: floorDesk };
    await preflight(accord);
    await preflight(floor);

    for (const key of OPERATION_KEYS) {
      const operation = OPERATIONS[key];
      const pairs: Pair[] = [];
      for (const side of [accord, floor]) {
        await operation.run(side, 'warmup', WARMUP);
        await settle(side);
      }
      for (let i = 1; i <= PAIRS && !wasInterrupted(); i++) {
        const measure = async (side: Side) => {
          const outcome = await operation.run(side, `pair${i}`, DURATION);
          await settle(side);
          return outcome;
        };
        const pair = { accord: await measure(accord), floor: await measure(floor) };
        pairs.push(pair);
        log(
          `${key} pair ${i}: Accord ${legLine(pair.accord, operation.unit)}; floor ${legLine(pair.floor, operation.unit)}; ratio ${ratio(pair).toFixed(3)}`,
        );
      }
      result.operations.push({ operation, pairs });
    }
    if (OPERATION_KEYS.includes('mail')) {
      const dispositions = await accordTarget.db.kysely
        .selectFrom('mail_messages')
        .select(['disposition', (eb) => eb.fn.countAll<number>().as('n')])
        .where('direction', '=', 'inbound')
        .groupBy('disposition')
        .execute();
      log(
        `mail filed: Accord ${dispositions.map((d) => `${d.disposition} ${int(Number(d.n))}`).join(', ')}; ` +
          `floor ${int(await countTickets(floorTarget, { channel: 'email', at: startedAt }))} email tickets`,
      );
    }
    log(
      `tickets at the end: Accord ${int(await countTickets(accordTarget))}, floor ${int(await countTickets(floorTarget))}`,
    );
  } catch (error) {
    result.failed = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (!wasInterrupted()) log(`FAILED: ${result.failed}`);
  } finally {
    for (const server of servers.reverse()) await server.stop();
    await floorTarget.cleanup();
    await accordTarget.cleanup();
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Summary

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const ratio = (pair: Pair) => (pair.floor.perSecond > 0 ? pair.accord.perSecond / pair.floor.perSecond : 0);

interface SummaryRow {
  operation: string;
  clients: string;
  database: string;
  accord: string;
  floor: string;
  ratio: string;
  accordLatency: string;
  floorLatency: string;
}

function summarize(results: DatabaseResult[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const key of OPERATION_KEYS) {
    for (const r of results) {
      const found = r.operations.find((o) => o.operation.key === key);
      if (!found || found.pairs.length === 0) continue;
      const { operation, pairs } = found;
      const side = (pick: (p: Pair) => LoadOutcome) => ({
        rate: median(pairs.map((p) => pick(p).perSecond)),
        p50: median(pairs.map((p) => pick(p).p50)),
        p99: median(pairs.map((p) => pick(p).p99)),
        flagged: pairs.some((p) => Object.keys(pick(p).problems).length > 0),
      });
      const a = side((p) => p.accord);
      const f = side((p) => p.floor);
      const mark = (s: { flagged: boolean }) => (s.flagged ? ' (!)' : '');
      rows.push({
        operation: operation.title,
        clients: operation.clients,
        database: LABEL[r.dialect],
        accord: `${int(a.rate)} ${operation.unit}${mark(a)}`,
        floor: `${int(f.rate)} ${operation.unit}${mark(f)}`,
        ratio: median(pairs.map(ratio)).toFixed(2),
        accordLatency: `${a.p50} / ${a.p99} ms`,
        floorLatency: `${f.p50} / ${f.p99} ms`,
      });
    }
  }
  return rows;
}

const HEADERS: Record<keyof SummaryRow, string> = {
  operation: 'operation',
  clients: 'load',
  database: 'database',
  accord: 'Accord',
  floor: 'floor',
  ratio: 'Accord / floor',
  accordLatency: 'Accord p50 / p99',
  floorLatency: 'floor p50 / p99',
};
const COLUMNS = Object.keys(HEADERS) as (keyof SummaryRow)[];

function printTable(rows: SummaryRow[]) {
  const widths = COLUMNS.map((c) => Math.max(HEADERS[c].length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`\n${line(COLUMNS.map((c) => HEADERS[c]))}\n`);
  process.stdout.write(`${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const r of rows) process.stdout.write(`${line(COLUMNS.map((c) => r[c]))}\n`);
}

function printMarkdown(rows: SummaryRow[], results: DatabaseResult[]) {
  const cells = (values: string[]) => `| ${values.join(' | ')} |`;
  const lines = [
    cells(COLUMNS.map((c) => HEADERS[c])),
    cells(COLUMNS.map((c) => (c === 'operation' || c === 'clients' || c === 'database' ? '---' : '---:'))),
    ...rows.map((r) => cells(COLUMNS.map((c) => r[c]))),
  ];
  const engines = results
    .filter((r) => r.engine)
    .map((r) => r.engine!)
    .join('; ');
  process.stdout.write(
    `\nMarkdown (README):\n\n${lines.join('\n')}\n\n` +
      `${machine()}; ${engines}. Medians of ${PAIRS} pairs of ${DURATION} s runs, Accord then the floor in turn; ` +
      `ratio = Accord's rate / the floor's, median of the pairs.\n`,
  );
}

async function main() {
  process.stdout.write(
    `Accord against the floor: ${int(OPEN)} open tickets, ${PAIRS} pairs of ${DURATION} s per operation; ${machine()}\n`,
  );
  if (DATABASES.length === 0) throw new Error('BENCH_DATABASES names no database (sqlite, postgres)');
  if (OPERATION_KEYS.length === 0)
    throw new Error('BENCH_OPERATIONS names no operation (queue, create, mail)');
  const [load] = os.loadavg();
  if (load !== undefined && load > os.cpus().length / 2)
    process.stdout.write(
      `!! load average ${load.toFixed(1)} before the run: other work is running; figures will be noisy.\n`,
    );
  const results = await eachDatabase(DATABASES, runDatabase);
  if (!results) return;
  log.stage = '';
  const rows = summarize(results);
  printTable(rows);
  printMarkdown(rows, results);
  for (const r of results) {
    if (r.skipped) process.stdout.write(`${LABEL[r.dialect]}: skipped (unreachable)\n`);
    if (r.failed) process.stdout.write(`${LABEL[r.dialect]}: failed, see the log above\n`);
  }
  if (results.some((r) => r.failed)) process.exitCode = 1;
}

runBenchmark(main);
