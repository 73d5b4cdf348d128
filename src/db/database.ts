import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Database } from './tables.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  close(): Promise<void>;
  /**
   * PostgreSQL only: a dedicated connection that LISTENs on a channel and hands each notification's
   * payload over, until the returned function closes it.
   */
  listen?: (
    channel: string,
    onPayload: (payload: string) => void,
    onError: (error: Error) => void,
  ) => Promise<() => Promise<void>>;
}

export interface DbOptions {
  /** postgres:// URL; when absent, an SQLite file is used. */
  databaseUrl?: string | undefined;
  /** The SQLite file, used when databaseUrl is absent. */
  sqliteFile?: string;
  /** PostgreSQL schema to use (tests give each suite its own). */
  pgSchema?: string;
  poolSize?: number;
}

// int8 (bigint) holds epoch milliseconds and counts: both fit a JavaScript number exactly.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

const STATEMENT_CACHE_SIZE = 500;

/**
 * Reuses prepared statements by their SQL text: Kysely asks SQLite to prepare every query anew, and
 * preparing is a large share of a short query's cost. Kysely runs one query at a time per
 * connection, so a cached statement is never in use twice at once.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (statement) {
        // Most recently used last, so the first entry is the one to evict.
        cache.delete(text);
      } else {
        statement = sqlite.prepare(text);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}

export function openDatabase(options: DbOptions): Db {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: pgTypes,
      ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const listen: Db['listen'] = async (channel, onPayload, onError) => {
      const client = new pg.Client({
        connectionString: options.databaseUrl,
        ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
      });
      client.on('notification', (message) => {
        if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
      });
      client.on('error', onError);
      await client.connect();
      await client.query(`listen ${client.escapeIdentifier(channel)}`);
      return async () => {
        client.removeAllListeners('error');
        client.on('error', () => undefined);
        await client.end();
      };
    };
    return { kysely, dialect: 'postgres', close: () => kysely.destroy(), listen };
  }
  const file = options.sqliteFile;
  if (!file) throw new Error('openDatabase: sqliteFile is required without databaseUrl');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return { kysely, dialect: 'sqlite', close: () => kysely.destroy() };
}
