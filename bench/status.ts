/**
 * `npm run bench:status`: on SQLite and on PostgreSQL, BENCH_SUBSCRIBERS (default 10,000) confirmed
 * email subscribers; one incident update is published (the update row and the subscriber listener in
 * one transaction: a single INSERT … SELECT of the deliveries), then, while the status delivery
 * worker drains the deliveries into the mail outbox in the server process, the public status page
 * (GET /status) and GET /api/v2/summary.json are loaded with autocannon over loopback. Reported:
 * the publish time, the drain time of all deliveries, and requests/s and p50/p99 of each path during
 * the drain and then idle, and summary.json's p99 during the drain against its target (< 100 ms).
 * Both paths are served from the renderings the status page keeps between changes (the publish
 * changes the data, so the first requests of the drain render anew), with an ETag; the load
 * sends no If-None-Match, so every answer carries the whole body.
 *
 * Environment: BENCH_SUBSCRIBERS, BENCH_DURATION (seconds per load run, default 10),
 * BENCH_CONNECTIONS (clients per path, default 50), BENCH_DATABASES (sqlite,postgres),
 * BENCH_DATABASE_URL, BENCH_KEEP=1, BENCH_WORKERS (autocannon worker threads, default 1).
 */
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { Kysely } from 'kysely';
import type { DialectName } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { Database } from '../src/db/tables.js';
import { buildApp } from '../src/server.js';
import { startServices } from '../src/services.js';
import { newId } from '../src/shared/ids.js';
import type { StatusIncidentRow, StatusIncidentUpdateRow } from '../src/status/model.js';
import { StatusDeliveryWorker } from '../src/status/subscribers/delivery.js';
import { SubscriberNotifier } from '../src/status/subscribers/notifier.js';
import {
  LABEL,
  createLog,
  dialectsEnv,
  eachDatabase,
  int,
  intEnv,
  machine,
  openTarget,
  registerCleanup,
  runBenchmark,
  secs,
} from './support/common.js';

const SUBSCRIBERS = Math.max(1, intEnv('BENCH_SUBSCRIBERS', 10_000));
const DURATION = Math.max(1, intEnv('BENCH_DURATION', 10));
const CONNECTIONS = Math.max(1, intEnv('BENCH_CONNECTIONS', 50));
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const DATABASES = dialectsEnv('BENCH_DATABASES');
/** The public page (src/status/site) and the hosted-status-page JSON (src/status/v2-routes.ts). */
const PATHS = ['/status', '/api/v2/summary.json'] as const;
const INSERT_BATCH = 1000;

const log = createLog(8);

interface Load {
  perSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

/** GETs a public path (no Authorization header) from CONNECTIONS clients for DURATION seconds. */
async function load(url: string): Promise<Load> {
  const result = await autocannon({
    url,
    duration: DURATION,
    connections: CONNECTIONS,
    workers: WORKERS,
    timeout: 60,
  });
  return {
    perSecond: result.duration > 0 ? result['2xx'] / result.duration : 0,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors,
  };
}

const loadText = (l: Load) =>
  `${int(l.perSecond)} req/s, p50 ${l.p50} ms, p99 ${l.p99} ms${l.non2xx ? `, ${int(l.non2xx)} non-2xx/errors` : ''}`;

async function seedSubscribers(db: Kysely<Database>, now: number) {
  for (let done = 0; done < SUBSCRIBERS; done += INSERT_BATCH) {
    const rows = Array.from({ length: Math.min(INSERT_BATCH, SUBSCRIBERS - done) }, (_, i) => ({
      id: newId(),
      kind: 'email' as const,
      email: `subscriber${done + i}@bench.example`,
      url: null,
      secret: null,
      locale: (done + i) % 5 === 0 ? 'fr' : 'en',
      component_ids: null,
      token: `bench${done + i}_${newId().replaceAll('-', '')}`,
      confirmed_at: now,
      unsubscribed_at: null,
      created_at: now,
    }));
    await db.insertInto('status_subscribers').values(rows).execute();
  }
}

interface Result {
  dialect: DialectName;
  skipped?: boolean;
  publishMs?: number;
  drainMs?: number;
  drainedDuringLoad?: boolean;
  loads?: { path: string; during?: Load; idle?: Load; missing?: boolean }[];
}

async function runDatabase(dialect: DialectName): Promise<Result> {
  log.stage = dialect;
  const target = await openTarget(dialect, {
    log,
    tmpPrefix: 'accord-bench-status-',
    schemaPrefix: 'bench_status',
    env: { HOST: '127.0.0.1', PORT: '0', PUBLIC_URL: 'https://status.bench.example' },
  });
  if (!target) return { dialect, skipped: true };
  try {
    const { db, config } = target;
    log(target.engine);
    await migrateToLatest(db);
    const services = await startServices(config, db);
    const now = Date.now();
    await seedSubscribers(db.kysely, now);
    log(`${int(SUBSCRIBERS)} confirmed email subscribers`);

    const app = await buildApp({ config, services, logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const closeApp = registerCleanup(() => app.close());
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const served = PATHS.filter((path) => app.hasRoute({ method: 'GET', url: path }));
    for (const path of PATHS)
      if (!served.includes(path)) log(`${path} is not served by buildApp yet (not wired): not measured`);

    try {
      const incident: StatusIncidentRow = {
        id: newId(),
        kind: 'incident',
        name: 'Work orders fail to save',
        name_fr: null,
        impact: 'major',
        status: 'identified',
        scheduled_for: null,
        scheduled_until: null,
        auto_transition: 1,
        postmortem_md: null,
        postmortem_html: null,
        origin_ticket_id: null,
        created_by: null,
        created_at: now,
        updated_at: now,
        started_at: now,
        resolved_at: null,
      };
      const update: StatusIncidentUpdateRow = {
        id: newId(),
        incident_id: incident.id,
        status: 'identified',
        body: 'A full disk on the database server; we are freeing space.',
        body_fr: null,
        author_id: null,
        created_at: now,
      };
      await db.kysely.insertInto('status_incidents').values(incident).execute();
      // A desk's status page has been read before an incident: the server's code is warm. The
      // publish below changes the data, so the drain's first readers still wait for a new rendering.
      for (const path of served) await fetch(`${base}${path}`).then((res) => res.arrayBuffer());
      const notifier = new SubscriberNotifier({ dialect, clock: Date.now });
      const publishStarted = performance.now();
      await db.kysely.transaction().execute(async (trx) => {
        await trx.insertInto('status_incident_updates').values(update).execute();
        await notifier.updatePublished(trx, incident, update);
      });
      const publishMs = performance.now() - publishStarted;
      log(`published: ${int(SUBSCRIBERS)} deliveries written in ${publishMs.toFixed(0)} ms`);

      const worker = new StatusDeliveryWorker({
        db: db.kysely,
        dialect,
        outbox: services.outbox,
        clock: Date.now,
        publicUrl: config.publicUrl!,
        supportEmail: config.mail.supportEmail,
      });
      // How long the server's thread is kept from answering: the drain's statements and mails run on it.
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      const drainStarted = performance.now();
      let drainMs: number | undefined;
      const drain = worker.runOnce().then((pass) => {
        drainMs = performance.now() - drainStarted;
        log(`drained: ${int(pass.sent)} deliveries into the outbox in ${secs(drainMs / 1000)}`);
      });
      const during = await Promise.all(served.map((path) => load(`${base}${path}`)));
      const drainedDuringLoad = drainMs !== undefined;
      loopDelay.disable();
      const eventLoop = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
      log(
        `event loop delay during the load: p99 ${eventLoop.p99.toFixed(0)} ms, max ${eventLoop.max.toFixed(0)} ms`,
      );
      await drain;
      const queued = await db.kysely
        .selectFrom('mail_outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', 'status_update')
        .executeTakeFirstOrThrow();
      if (Number(queued.n) !== SUBSCRIBERS)
        throw new Error(`expected ${SUBSCRIBERS} mails, found ${queued.n}`);
      const idle: Load[] = [];
      for (const path of served) idle.push(await load(`${base}${path}`));
      return {
        dialect,
        publishMs,
        ...(drainMs !== undefined ? { drainMs } : {}),
        drainedDuringLoad,
        loads: PATHS.map((path) => {
          const i = served.indexOf(path);
          return i < 0 ? { path, missing: true } : { path, during: during[i]!, idle: idle[i]! };
        }),
      };
    } finally {
      await closeApp();
    }
  } finally {
    await target.cleanup();
  }
}

async function main() {
  log(`machine: ${machine()}`);
  log(
    `${int(SUBSCRIBERS)} subscribers; ${DURATION} s per load run, ${CONNECTIONS} connections per path, both paths at once`,
  );
  const results = await eachDatabase(DATABASES, runDatabase);
  if (!results) return;
  log.stage = 'summary';
  for (const r of results) {
    if (r.skipped) {
      log(`${LABEL[r.dialect]}: skipped (unreachable)`);
      continue;
    }
    log(
      `${LABEL[r.dialect]}: publish ${r.publishMs!.toFixed(0)} ms; ${int(SUBSCRIBERS)} deliveries drained in ${secs((r.drainMs ?? 0) / 1000)}${r.drainedDuringLoad ? '' : ' (after the load window)'}`,
    );
    for (const l of r.loads ?? [])
      log(
        l.missing
          ? `  GET ${l.path}: not served (status routes not wired yet)`
          : `  GET ${l.path}: during drain ${loadText(l.during!)}; idle ${loadText(l.idle!)}`,
      );
    const summaryJson = r.loads?.find((l) => l.path === '/api/v2/summary.json' && l.during);
    if (summaryJson)
      log(
        `  summary.json p99 during the drain: ${summaryJson.during!.p99} ms (target < 100 ms: ${summaryJson.during!.p99 < 100 ? 'met' : 'NOT met'})`,
      );
  }
}

runBenchmark(main);
