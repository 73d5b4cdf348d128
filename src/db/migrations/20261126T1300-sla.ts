import type { Kysely } from 'kysely';

/**
 * Support policy versions, contract overrides, and each ticket's SLA deadlines in indexed columns,
 * so the scheduler asks only for what is due and the queue orders by urgency without computing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('policy_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('policy_id', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addColumn('published_by', 'text')
    .addColumn('regression_allowed', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('policy_versions_policy_version_key', ['policy_id', 'version'])
    .execute();
  await db.schema
    .createIndex('policy_versions_effective_idx')
    .on('policy_versions')
    .columns(['policy_id', 'effective_from'])
    .execute();

  await db.schema.alterTable('subscriptions').addColumn('policy_version_id', 'text').execute();

  await db.schema
    .createTable('policy_overrides')
    .addColumn('organization_id', 'text', (c) =>
      c.primaryKey().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('overrides', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  for (const column of [
    'sla_first_response_due_at',
    'sla_first_response_at',
    'sla_next_response_due_at',
    'sla_next_response_at',
    'sla_resolution_due_at',
    'sla_resolved_at',
    'sla_update_due_at',
    'sla_escalation_due_at',
    'sla_next_due_at',
    'sla_next_check_at',
  ]) {
    await db.schema.alterTable('tickets').addColumn(column, 'bigint').execute();
  }
  await db.schema.alterTable('tickets').addColumn('policy_version_id', 'text').execute();
  await db.schema
    .alterTable('tickets')
    .addColumn('sla_escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // The scheduler's only question: which tickets need a look now.
  await db.schema
    .createIndex('tickets_sla_next_check_idx')
    .on('tickets')
    .column('sla_next_check_at')
    .execute();
  // The agent queue: soonest due first.
  await db.schema
    .createIndex('tickets_sla_next_due_idx')
    .on('tickets')
    .columns(['sla_next_due_at', 'id'])
    .execute();

  await db.schema
    .createTable('sla_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('level', 'integer')
    .addColumn('fired_at', 'bigint', (c) => c.notNull())
    // Recording the same effect twice is impossible, whichever process tries.
    .addUniqueConstraint('sla_events_once_key', ['ticket_id', 'kind', 'target', 'due_at'])
    .execute();
  await db.schema
    .createIndex('sla_events_fired_idx')
    .on('sla_events')
    .columns(['kind', 'fired_at'])
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('ticket_id', 'text', (c) => c.references('tickets.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('notifications_user_idx')
    .on('notifications')
    .columns(['user_id', 'created_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notifications').execute();
  await db.schema.dropTable('sla_events').execute();
  await db.schema.dropIndex('tickets_sla_next_due_idx').execute();
  await db.schema.dropIndex('tickets_sla_next_check_idx').execute();
  for (const column of [
    'sla_escalation_level',
    'policy_version_id',
    'sla_next_check_at',
    'sla_next_due_at',
    'sla_escalation_due_at',
    'sla_update_due_at',
    'sla_resolved_at',
    'sla_resolution_due_at',
    'sla_next_response_at',
    'sla_next_response_due_at',
    'sla_first_response_at',
    'sla_first_response_due_at',
  ]) {
    await db.schema.alterTable('tickets').dropColumn(column).execute();
  }
  await db.schema.dropTable('policy_overrides').execute();
  await db.schema.alterTable('subscriptions').dropColumn('policy_version_id').execute();
  await db.schema.dropTable('policy_versions').execute();
}
