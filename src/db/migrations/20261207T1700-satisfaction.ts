import type { Kysely } from 'kysely';

/**
 * Satisfaction surveys: one per ticket, made when it is first resolved, with the requester's answer
 * (good or bad, an optional comment) once given. The link mailed to the requester carries a random
 * token; only its SHA-256 is stored. Per-tier settings turn the survey off for a tier (no row: on).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('satisfaction_surveys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // One survey per ticket, ever: a reopened ticket resolved again is not asked twice.
    .addColumn('ticket_id', 'text', (c) => c.notNull().unique().references('tickets.id').onDelete('cascade'))
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('requester_id', 'text', (c) => c.notNull())
    // The ticket's tier, priority and assignee when it was resolved: what the report groups by.
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    // 1 when the question went out by mail; 0 when it is asked in the portal only.
    .addColumn('mailed', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('rating', 'text')
    .addColumn('comment', 'text')
    .addColumn('answered_at', 'bigint')
    .addColumn('answered_via', 'text')
    .execute();
  await db.schema
    .createIndex('satisfaction_surveys_created_idx')
    .on('satisfaction_surveys')
    .columns(['created_at'])
    .execute();
  await db.schema
    .createIndex('satisfaction_surveys_org_created_idx')
    .on('satisfaction_surveys')
    .columns(['organization_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('satisfaction_settings')
    .addColumn('tier', 'text', (c) => c.primaryKey())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('satisfaction_settings').execute();
  await db.schema.dropTable('satisfaction_surveys').execute();
}
