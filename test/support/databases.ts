import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Db, type DialectName } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export interface DatabaseTarget {
  dialect: DialectName;
  url?: string;
}

/** The databases every integration suite runs on: SQLite always, PostgreSQL when a server answers. */
export function databaseTargets(): DatabaseTarget[] {
  const url = inject('postgresUrl');
  return url ? [{ dialect: 'sqlite' }, { dialect: 'postgres', url }] : [{ dialect: 'sqlite' }];
}

export interface TestDatabase {
  db: Db;
  dataDir: string;
  /** A DATABASE_URL that reaches this database from another process (PostgreSQL only). */
  databaseUrl: string | undefined;
  sqliteFile: string | undefined;
  drop(): Promise<void>;
}

/** A fresh, migrated database: a new SQLite file, or a new PostgreSQL schema dropped afterwards. */
export async function createTestDatabase(target: DatabaseTarget): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-test-'));
  if (target.dialect === 'sqlite') {
    const sqliteFile = path.join(dataDir, 'accord.sqlite');
    const db = openDatabase({ sqliteFile });
    await migrateToLatest(db);
    return {
      db,
      dataDir,
      databaseUrl: undefined,
      sqliteFile,
      drop: async () => {
        await db.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${inject('runId')}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: target.url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = openDatabase({ databaseUrl: target.url, pgSchema: schema, poolSize: 5 });
  await migrateToLatest(db);
  const separator = target.url!.includes('?') ? '&' : '?';
  return {
    db,
    dataDir,
    databaseUrl: `${target.url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    sqliteFile: undefined,
    drop: async () => {
      await db.close();
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
