import { Migrator, sql, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './database.js';
import * as foundation from './migrations/20261126T1200-foundation.js';
import * as sla from './migrations/20261126T1300-sla.js';
import * as queue from './migrations/20261126T1400-queue.js';
import * as email from './migrations/20261126T1500-email.js';
import * as outboxList from './migrations/20261126T1600-outbox-list.js';
import * as helpcenter from './migrations/20261126T1700-helpcenter.js';
import * as helpcenterSearch from './migrations/20261126T1710-helpcenter-search.js';
import * as reports from './migrations/20261126T1800-reports.js';
import * as status from './migrations/20261126T1900-status.js';
import * as chat from './migrations/20261126T2000-chat.js';
import * as fairuse from './migrations/20261126T2100-fairuse.js';
import * as idempotency from './migrations/20261207T1100-idempotency.js';
import * as mailAuth from './migrations/20261207T1200-mail-auth.js';
import * as urgency from './migrations/20261207T1300-urgency.js';
import * as search from './migrations/20261207T1400-search.js';
import * as tags from './migrations/20261207T1500-tags.js';
import * as macros from './migrations/20261207T1510-macros.js';
import * as satisfaction from './migrations/20261207T1700-satisfaction.js';
import * as merge from './migrations/20261207T1600-merge.js';
import * as ticketFilters from './migrations/20261208T0040-ticket-filters.js';
import * as statusVersion from './migrations/20261208T0050-status-version.js';
import * as hcSearchVisibility from './migrations/20261208T0060-hc-search-visibility.js';

/** Every migration, in order. Names are timestamps so that they sort the way they were written. */
const migrations: Record<string, Migration> = {
  '20261126T1200-foundation': foundation,
  '20261126T1300-sla': sla,
  '20261126T1400-queue': queue,
  '20261126T1500-email': email,
  '20261126T1600-outbox-list': outboxList,
  '20261126T1700-helpcenter': helpcenter,
  '20261126T1710-helpcenter-search': helpcenterSearch,
  '20261126T1800-reports': reports,
  '20261126T1900-status': status,
  '20261126T2000-chat': chat,
  '20261126T2100-fairuse': fairuse,
  '20261207T1100-idempotency': idempotency,
  '20261207T1200-mail-auth': mailAuth,
  '20261207T1300-urgency': urgency,
  '20261207T1400-search': search,
  '20261207T1500-tags': tags,
  '20261207T1510-macros': macros,
  '20261207T1700-satisfaction': satisfaction,
  '20261207T1600-merge': merge,
  '20261208T0040-ticket-filters': ticketFilters,
  '20261208T0050-status-version': statusVersion,
  '20261208T0060-hc-search-visibility': hcSearchVisibility,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export class MigrationError extends Error {}

/** Brings the schema to the latest version; on PostgreSQL, concurrent callers wait on Kysely's lock. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  // On PostgreSQL the bookkeeping tables are named with the connection's schema (search_path may
  // choose it): Kysely's existence check looks across schemas, and another schema's table must not
  // be mistaken for ours.
  const schema =
    db.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db.kysely)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: db.kysely,
    provider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new MigrationError(
      `migration ${failed?.migrationName ?? '(unknown)'} failed: ${result.error instanceof Error ? result.error.message : JSON.stringify(result.error)}`,
    );
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
