import { existsSync } from 'node:fs';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
    /** Names this run's PostgreSQL schemas, so the run can drop any a failed suite left behind. */
    runId: string;
    /** Chromium for the browser tests; null when this machine has none. */
    chromiumPath: string | null;
  }
}

/**
 * The integration suites run once per database. PostgreSQL is used whenever a server answers;
 * CI (CI=true) or ACCORD_REQUIRE_POSTGRES=1 makes its absence a failure instead of a notice.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const required = process.env.CI === 'true' || process.env.ACCORD_REQUIRE_POSTGRES === '1';
  let reason = '';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
  if (reason) {
    const message = `PostgreSQL is not reachable at ${url.replace(/:[^:@/]*@/, ':***@')} (${reason})`;
    if (required) throw new Error(`${message}; CI requires it.`);
    process.stdout.write(
      `\n*** ${message}: the PostgreSQL half of the suite is SKIPPED. Set TEST_DATABASE_URL to run it. ***\n\n`,
    );
    project.provide('postgresUrl', null);
  } else {
    process.stdout.write(
      `\nIntegration suites run on SQLite and on PostgreSQL (${url.replace(/:[^:@/]*@/, ':***@')}).\n`,
    );
    project.provide('postgresUrl', url);
  }
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(chromium)) {
    process.stdout.write(`Browser tests run in Chromium (${chromium}).\n`);
    project.provide('chromiumPath', chromium);
  } else {
    const message = `Chromium is not installed at ${chromium}`;
    if (process.env.CI === 'true')
      throw new Error(`${message}; CI requires it (apt-get install -y chromium).`);
    process.stdout.write(
      `\n*** ${message}: the browser tests are SKIPPED. Install it with apt-get install -y chromium, or set CHROMIUM_PATH. ***\n\n`,
    );
    project.provide('chromiumPath', null);
  }
  const runId = `${process.pid}`;
  project.provide('runId', runId);
  // Suites drop their own schemas; this sweeps up after a suite that failed before it could.
  return async () => {
    if (reason) return;
    const sweeper = new pg.Client({ connectionString: url });
    await sweeper.connect();
    const { rows } = await sweeper.query<{ nspname: string }>(
      `select nspname from pg_namespace where nspname like $1`,
      [`t\\_${runId}\\_%`],
    );
    for (const { nspname } of rows) await sweeper.query(`drop schema "${nspname}" cascade`);
    await sweeper.end();
  };
}
