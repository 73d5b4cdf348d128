/**
 * Accord as bench:compare runs it, in a process of its own: the HTTP API (buildApp, request logs
 * off as in the other benchmarks) and the SMTP listener, on the services `accord serve` wires, over
 * a database the parent migrated and seeded. The scheduler and the mail delivery workers are not
 * started, so that only the requests under measure run; acknowledgements wait in the outbox.
 *
 * The services start through startServices, with the search backfill skipped: the parent wrote the
 * desk's open tickets in bulk, and indexing them would only delay the start. Tickets filed during
 * the run are indexed in the ledger's transaction as always.
 *
 * Configuration comes from Accord's environment (DATA_DIR, DATABASE_URL, SUPPORT_EMAIL …) plus
 * BENCH_SQLITE_FILE or BENCH_PG_SCHEMA; the ports are sent to the parent once both listen.
 */
import { startSmtpListener } from '../../src/channels/email/smtp-listener.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { TicketSearch } from '../../src/search/service.js';
import { buildApp } from '../../src/server.js';
import { startServices } from '../../src/services.js';
import type { AddressInfo } from 'node:net';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function main() {
  const config = loadConfig(process.env);
  const db = openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: process.env.BENCH_SQLITE_FILE,
    ...(process.env.BENCH_PG_SCHEMA ? { pgSchema: process.env.BENCH_PG_SCHEMA } : {}),
  });
  TicketSearch.prototype.backfill = async () => 0;
  const services = await startServices(config, db);
  const app = await buildApp({ config, services, logger: false });
  await app.listen({ host: config.host, port: config.port });
  const listener = await startSmtpListener({
    port: 0,
    host: config.host,
    maxBytes: config.mail.maxInboundBytes,
    supportEmail: config.mail.supportEmail,
    ingest: (raw, envelope) => services.emailIngest.ingest(raw, envelope),
    log: quiet,
  });
  const stop = () => {
    (async () => {
      await listener.close();
      await app.close();
      await db.close();
    })().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
  process.send?.({ type: 'ready', http: (app.server.address() as AddressInfo).port, smtp: listener.port });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
