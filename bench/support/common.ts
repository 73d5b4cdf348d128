/**
 * What the benchmarks share: environment, output, the cleanup registry that Ctrl-C runs, and the
 * benchmark database (a temporary DATA_DIR with SQLite, or a fresh PostgreSQL schema).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Db, type DialectName } from '../../src/db/database.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// Environment

/** A whole number from the environment (underscores allowed: 1_000_000), or the fallback when unset. */
export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not ${raw}`);
  return value;
}

/** The databases named in a comma-separated variable (default both); unknown names are left out. */
export function dialectsEnv(name: string): DialectName[] {
  return (process.env[name] ?? 'sqlite,postgres')
    .split(',')
    .map((d) => d.trim())
    .filter((d): d is DialectName => d === 'sqlite' || d === 'postgres');
}

/** Leaves the SQLite file and the PostgreSQL schema in place, to look at the desk afterwards. */
export const KEEP = process.env.BENCH_KEEP === '1';
export const PG_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export const LABEL: Record<DialectName, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

// SQLite binds at most 32766 variables per statement, PostgreSQL 65535 parameters.
export const MAX_PARAMETERS: Record<DialectName, number> = { sqlite: 32_766, postgres: 65_535 };

// ---------------------------------------------------------------------------------------------
// Output

export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const secs = (s: number) => `${s.toFixed(1)} s`;
export const ms = (n: number) => `${n < 10 ? n.toFixed(3) : n.toFixed(1)} ms`;

/** Node's version and the machine's CPUs, for a benchmark's first line. */
export const machine = () =>
  `Node ${process.version}, ${os.cpus().length} \u00d7 ${os.cpus()[0]?.model ?? 'CPU'}`;

export interface Log {
  /** Writes `[elapsed stage] line`. */
  (line: string): void;
  /** What the run is doing now (the database), shown on every line. */
  stage: string;
}

/** A log whose lines carry the seconds since the start and the stage, padded to `width`. */
export function createLog(width: number): Log {
  const startedAt = performance.now();
  const log: Log = Object.assign(
    (line: string) => {
      const t = ((performance.now() - startedAt) / 1000).toFixed(0).padStart(4);
      process.stdout.write(`[${t}s ${log.stage.padEnd(width)}] ${line}\n`);
    },
    { stage: '' },
  );
  return log;
}

// ---------------------------------------------------------------------------------------------
// Cleanup, Ctrl-C and the end of the run

const cleanups = new Set<() => Promise<void>>();
let interrupted = false;

/** Whether Ctrl-C stopped the run. */
export const wasInterrupted = () => interrupted;

/**
 * Registers work for the end of the run: Ctrl-C runs it too. The returned function runs it once,
 * however many times it is called (Ctrl-C may race the normal end), and takes it off the registry.
 */
export function registerCleanup(work: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  const cleanup = () => {
    cleanups.delete(cleanup);
    return (done ??= work());
  };
  cleanups.add(cleanup);
  return cleanup;
}

/** Measures each database in turn; undefined when Ctrl-C stopped the run. */
export async function eachDatabase<R>(
  dialects: readonly DialectName[],
  run: (dialect: DialectName) => Promise<R>,
): Promise<R[] | undefined> {
  const results: R[] = [];
  for (const dialect of dialects) {
    if (interrupted) return undefined;
    results.push(await run(dialect));
  }
  return interrupted ? undefined : results;
}

/** Runs a benchmark's main; Ctrl-C still drops the PostgreSQL schema and removes the data folder. */
export function runBenchmark(main: () => Promise<void>): void {
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
}

// ---------------------------------------------------------------------------------------------
// The benchmark database

export interface Target {
  db: Db;
  config: Config;
  /** The temporary DATA_DIR. */
  dataDir: string;
  /** `SQLite 3.x (WAL, synchronous=NORMAL)` or `PostgreSQL 16.x`. */
  engine: string;
  /** The SQLite file (SQLite only). */
  file?: string;
  /** The PostgreSQL schema of the run (PostgreSQL only). */
  schema?: string;
  /** Closes the database, removes the data folder and drops the schema (unless BENCH_KEEP=1); runs once. */
  cleanup: () => Promise<void>;
}

export interface TargetOptions {
  log: Log;
  /** Prefix of the temporary DATA_DIR's name. */
  tmpPrefix: string;
  /** Prefix of the PostgreSQL schema's name, followed by `_<timestamp>`. */
  schemaPrefix: string;
  /** More configuration for loadConfig. */
  env?: Record<string, string>;
}

/**
 * Opens a new benchmark database, its cleanup registered; logs why and returns undefined when
 * PostgreSQL cannot be reached.
 */
export async function openTarget(dialect: DialectName, options: TargetOptions): Promise<Target | undefined> {
  const { log } = options;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), options.tmpPrefix));
  const removeDir = () => {
    if (!KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const env = { DATA_DIR: dataDir, ...options.env, LOG_LEVEL: 'silent' as const };
  if (dialect === 'sqlite') {
    const config = loadConfig(env);
    const file = path.join(config.dataDir, 'accord.sqlite');
    const db = openDatabase({ sqliteFile: file });
    const row = await sql<{ v: string }>`select sqlite_version() as v`.execute(db.kysely);
    return {
      db,
      config,
      dataDir,
      engine: `SQLite ${row.rows[0]?.v ?? '?'} (WAL, synchronous=NORMAL)`,
      file,
      cleanup: registerCleanup(async () => {
        await db.close();
        removeDir();
        if (KEEP) log(`kept ${file}`);
      }),
    };
  }
  const schema = `${options.schemaPrefix}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  let version: string;
  try {
    await admin.connect();
    version = String(
      (await admin.query<{ server_version: string }>('show server_version')).rows[0]?.server_version,
    );
    await admin.query(`create schema ${schema}`);
  } catch (error) {
    removeDir();
    const reason = `PostgreSQL is not reachable at ${PG_URL.replace(/:[^:@/]*@/, ':***@')} (${error instanceof Error ? error.message : String(error)})`;
    log(`SKIPPED: ${reason}. Set BENCH_DATABASE_URL to a reachable server to measure PostgreSQL.`);
    return undefined;
  } finally {
    await admin.end().catch(() => undefined);
  }
  const config = loadConfig({ ...env, DATABASE_URL: PG_URL });
  const db = openDatabase({ databaseUrl: PG_URL, pgSchema: schema });
  return {
    db,
    config,
    dataDir,
    engine: `PostgreSQL ${version}`,
    schema,
    cleanup: registerCleanup(async () => {
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

/** PostgreSQL's VACUUM ANALYZE of some tables: what autovacuum does after a bulk load. */
export async function vacuumAnalyze(db: Db, tables: readonly (string | [string, string])[]): Promise<void> {
  const names = tables.map((t) => (typeof t === 'string' ? sql.id(t) : sql.id(...t)));
  await sql`vacuum (analyze) ${sql.join(names)}`.execute(db.kysely);
}

/** Writes SQLite's WAL back into the database file. */
export async function checkpoint(db: Db): Promise<void> {
  await sql`pragma wal_checkpoint(truncate)`.execute(db.kysely);
}

/** What a settled database looks like after a bulk load: VACUUM ANALYZE on PostgreSQL, a WAL checkpoint on SQLite. */
export async function settleDatabase(db: Db, tables: readonly string[]): Promise<void> {
  if (db.dialect === 'postgres') await vacuumAnalyze(db, tables);
  else await checkpoint(db);
}
