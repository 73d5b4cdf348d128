/**
 * The burst mode of `npm run bench:sla` (BENCH_BURST=10000): a mass incident, where BENCH_BURST open
 * tickets all fall due for the SLA scheduler at the same instant. The tickets (premium, opened 100
 * minutes ago, 80% P2, 18% P1, 2% P0, so warnings, breaches and escalations with their staff mails)
 * and their opening events are written in one transaction; its commit is the instant they fall due.
 *
 * - SQLite (one server process): `SlaService.runDue(now)` in this process, timed from the commit to
 *   its return.
 * - PostgreSQL: BENCH_BURST_PROCESSES (default 2) `accord serve` processes, started before the burst
 *   with SCHEDULER_INTERVAL_MS=BENCH_BURST_INTERVAL_MS (default 1000), drain it between them; timed
 *   from the commit until no ticket is left due (polled every 50 ms; a batch's effects and its
 *   tickets' next wake-ups commit together).
 *
 * Each run then checks that every effect was recorded once: no ticket left due, one event in the
 * ticket's log per recorded effect, one notification per effect and recipient, and the same number of
 * effects on both databases for the same tickets.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db, DialectName } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { TicketRow } from '../src/db/tables.js';
import type { Priority } from '../src/policy/tiers.js';
import { startServices } from '../src/services.js';
import { newId } from '../src/shared/ids.js';
import {
  DAY,
  LABEL,
  MAX_PARAMETERS,
  MINUTE,
  PG_URL,
  eachDatabase,
  int,
  intEnv,
  openTarget,
  registerCleanup,
  secs,
  type Log,
} from './support/common.js';
import { openingEventRows } from './support/desk.js';

const PROCESSES = Math.max(1, intEnv('BENCH_BURST_PROCESSES', 2));
const INTERVAL_MS = Math.max(100, intEnv('BENCH_BURST_INTERVAL_MS', 1000));
const ROOT = path.resolve(import.meta.dirname, '..');
const OPENED_MINUTES_AGO = 100;
/** The burst's priorities, by share of 100. */
const MIX: readonly [Priority, number][] = [
  ['P0', 2],
  ['P1', 18],
  ['P2', 80],
];

interface BurstResult {
  dialect: DialectName;
  skipped?: boolean;
  tickets?: number;
  drainMs?: number;
  effects?: number;
  processes?: number;
  failed?: string;
}

interface BurstDesk {
  organizationId: string;
  requesterId: string;
  assigneeId: string;
  policyVersionId: string;
}

function priorityOf(i: number): Priority {
  let slot = i % 100;
  for (const [priority, share] of MIX) {
    if (slot < share) return priority;
    slot -= share;
  }
  return 'P2';
}

function burstTicket(desk: BurstDesk, i: number, now: number): TicketRow {
  const createdAt = now - OPENED_MINUTES_AGO * MINUTE;
  return {
    id: newId(),
    number: 1001 + i,
    subject: `Work orders fail to save (${i + 1})`,
    organization_id: desk.organizationId,
    requester_id: desk.requesterId,
    created_by_id: desk.requesterId,
    channel: 'portal',
    request_type: 'problem',
    tier: 'premium',
    priority: priorityOf(i),
    status: 'new',
    assignee_id: i % 2 === 0 ? desk.assigneeId : null,
    repro_steps: null,
    repro_expected: null,
    repro_actual: null,
    repro_environment: null,
    created_at: createdAt,
    updated_at: createdAt,
    resolved_at: null,
    closed_at: null,
    policy_version_id: desk.policyVersionId,
    // The scheduler recomputes everything from the events; what matters is that all are due now.
    sla_first_response_due_at: now,
    sla_first_response_at: null,
    sla_next_response_due_at: null,
    sla_next_response_at: null,
    sla_resolution_due_at: null,
    sla_resolved_at: null,
    sla_update_due_at: null,
    sla_escalation_due_at: null,
    sla_escalation_level: 0,
    sla_next_due_at: now,
    sla_next_check_at: now,
    sla_first_response_target_ms: null,
    sla_first_response_clock: null,
    sla_first_response_ms: null,
    external_id: null,
    merged_into_id: null,
  };
}

/** Writes the burst in one transaction; resolves at its commit. */
async function writeBurst(db: Db, desk: BurstDesk, count: number, now: number) {
  const tickets = Array.from({ length: count }, (_, i) => burstTicket(desk, i, now));
  const events = tickets.flatMap(openingEventRows);
  const chunk = (columns: number) => Math.floor(MAX_PARAMETERS[db.dialect] / columns);
  const perTicket = chunk(Object.keys(tickets[0]!).length);
  const perEvent = chunk(Object.keys(events[0]!).length);
  await db.kysely.transaction().execute(async (trx) => {
    for (let i = 0; i < tickets.length; i += perTicket)
      await trx
        .insertInto('tickets')
        .values(tickets.slice(i, i + perTicket))
        .execute();
    for (let i = 0; i < events.length; i += perEvent)
      await trx
        .insertInto('ticket_events')
        .values(events.slice(i, i + perEvent))
        .execute();
  });
}

async function dueCount(db: Db, now: number): Promise<number> {
  const row = await db.kysely
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sla_next_check_at', '<=', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every effect once: its own event in the ticket's log, its notifications, nothing left due. */
async function verify(db: Db, now: number, leads: number) {
  const count = async (table: 'sla_events' | 'notifications' | 'ticket_events', where?: string[]) => {
    let q = db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
    if (where) q = q.where('type' as never, 'in', where as never);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  const effects = await count('sla_events');
  const logged = await count('ticket_events', ['sla_warning', 'sla_breach', 'sla_escalation']);
  const left = await dueCount(db, now);
  const perRecipient = await sql<{ n: number }>`
    select count(*) as n from sla_events e join tickets t on t.id = e.ticket_id
    where e.kind = 'escalation' or t.assignee_id is null`.execute(db.kysely);
  const expectedNotifications = effects + Number(perRecipient.rows[0]!.n) * (leads - 1);
  const notifications = await count('notifications');
  const problems = [
    ...(left > 0 ? [`${left} tickets still due`] : []),
    ...(logged !== effects ? [`${logged} effect events in the tickets' logs for ${effects} effects`] : []),
    ...(notifications !== expectedNotifications
      ? [`${notifications} notifications, expected ${expectedNotifications}`]
      : []),
  ];
  if (problems.length > 0) throw new Error(`burst not recorded once: ${problems.join('; ')}`);
  return effects;
}

interface ServerChild {
  stop: () => Promise<void>;
}

/** `accord serve` against the run's database, resolved once it says where it listens. */
function startServe(env: Record<string, string>): Promise<ServerChild> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), 'serve'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const stop = registerCleanup(
      () =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
    );
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`accord serve did not start in 120 s:\n${output}`));
    }, 120_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (/running at http/.test(output)) {
        clearTimeout(timer);
        resolve({ stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`accord serve exited with ${code}:\n${output}`));
    });
  });
}

async function runBurstOn(dialect: DialectName, count: number, log: Log): Promise<BurstResult> {
  log.stage = LABEL[dialect];
  const target = await openTarget(dialect, {
    log,
    tmpPrefix: 'accord-bench-burst-',
    schemaPrefix: 'bench_burst',
  });
  if (!target) return { dialect, skipped: true };
  const servers: ServerChild[] = [];
  try {
    const { db, config } = target;
    log(target.engine);
    await migrateToLatest(db);
    const services = await startServices(config, db);
    await services.live.close();
    const version = (await services.policy.list()).at(-1)!;
    const now = Date.now();
    const org = await services.organizations.create(null, {
      name: 'Burst Customer',
      domains: ['customer.burst.test'],
      locale: 'en',
      subscription: {
        tier: 'premium',
        termStart: new Date(now - 365 * DAY).toISOString(),
        termEnd: new Date(now + 365 * DAY).toISOString(),
      },
    });
    const requester = await services.users.create(null, {
      email: 'contact@customer.burst.test',
      name: 'Burst Contact',
      role: 'contact',
      organizationId: org.id,
    });
    const agent = await services.users.create(null, {
      email: 'agent@burst.test',
      name: 'Agent',
      role: 'agent',
    });
    const leads = 2;
    for (let i = 0; i < leads; i++)
      await services.users.create(null, { email: `lead${i}@burst.test`, name: `Lead ${i}`, role: 'lead' });
    const desk: BurstDesk = {
      organizationId: org.id,
      requesterId: requester.id,
      assigneeId: agent.id,
      policyVersionId: version.id,
    };

    let processes = 1;
    let drainMs: number;
    if (dialect === 'sqlite') {
      await writeBurst(db, desk, count, now);
      const started = performance.now();
      await services.sla.runDue(Date.now());
      drainMs = performance.now() - started;
    } else {
      processes = PROCESSES;
      const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${target.schema!}`)}`;
      const env = {
        DATABASE_URL: url,
        DATA_DIR: config.dataDir,
        ACCORD_DEMO: '0',
        SCHEDULER_INTERVAL_MS: String(INTERVAL_MS),
      };
      servers.push(...(await Promise.all(Array.from({ length: PROCESSES }, () => startServe(env)))));
      log(`${PROCESSES} server processes up, scheduler every ${INTERVAL_MS} ms`);
      await writeBurst(db, desk, count, now);
      const started = performance.now();
      while ((await dueCount(db, now)) > 0) {
        if (performance.now() - started > 600_000) throw new Error('the burst was not drained in 10 minutes');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      drainMs = performance.now() - started;
    }
    const effects = await verify(db, now, leads);
    log(
      `${int(count)} tickets due at once: drained in ${secs(drainMs / 1000)} by ${processes} process${processes > 1 ? 'es' : ''}, ` +
        `${int(effects)} effects recorded once each (${int(effects / (drainMs / 1000))} effects/s)`,
    );
    return { dialect, tickets: count, drainMs, effects, processes };
  } catch (error) {
    log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { dialect, failed: error instanceof Error ? error.message : String(error) };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await target.cleanup();
  }
}

/** Runs the burst on each database and prints the drain times; false when a check failed. */
export async function runBurst(
  databases: DialectName[],
  count: number,
  log: Log,
): Promise<{ ok: boolean; lines: string[] }> {
  const results = await eachDatabase(databases, (dialect) => runBurstOn(dialect, count, log));
  const lines = [''];
  let ok = true;
  const effectCounts = new Set<number>();
  for (const r of results ?? []) {
    if (r.skipped) lines.push(`${LABEL[r.dialect]}: skipped (unreachable)`);
    else if (r.failed) {
      ok = false;
      lines.push(`${LABEL[r.dialect]}: FAILED: ${r.failed}`);
    } else {
      effectCounts.add(r.effects!);
      lines.push(
        `${LABEL[r.dialect]}: burst of ${int(r.tickets!)} due tickets drained in ${secs(r.drainMs! / 1000)} ` +
          `by ${r.processes} process${r.processes! > 1 ? 'es' : ''}; ${int(r.effects!)} effects, each once ` +
          `(${int(r.effects! / (r.drainMs! / 1000))}/s); target: within 60 s on PostgreSQL`,
      );
      if (r.dialect === 'postgres' && r.drainMs! > 60_000) ok = false;
    }
  }
  if (effectCounts.size > 1) {
    ok = false;
    lines.push(`!! the databases recorded different numbers of effects: ${[...effectCounts].join(', ')}`);
  }
  return { ok, lines };
}
