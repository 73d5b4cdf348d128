import path from 'node:path';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';

/** Opens the configured database (PostgreSQL with DATABASE_URL, else SQLite in the data folder) and migrates it. */
export async function openMigratedDatabase(config: Config): Promise<Db> {
  const db = openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: path.join(config.dataDir, 'accord.sqlite'),
  });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
