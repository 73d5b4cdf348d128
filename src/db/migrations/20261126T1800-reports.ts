import type { Kysely } from 'kysely';

/**
 * What the reports measure, stored per ticket when its SLA is computed: the first-response target
 * (in milliseconds of its own clock, and which clock) and the time the first response took on that
 * clock. Medians per tier and priority then read one indexed range of tickets, never recompute a
 * business clock. Imported tickets keep the id they had in the helpdesk they came from.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('sla_first_response_target_ms', 'bigint').execute();
  await db.schema.alterTable('tickets').addColumn('sla_first_response_clock', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('sla_first_response_ms', 'bigint').execute();
  await db.schema.alterTable('tickets').addColumn('external_id', 'text').execute();
  await db.schema
    .createIndex('tickets_external_id_key')
    .on('tickets')
    .column('external_id')
    .unique()
    .execute();
  // The response-time report: a period's tickets by tier and priority with the measured time, read
  // from the index alone.
  await db.schema
    .createIndex('tickets_report_idx')
    .on('tickets')
    .columns([
      'created_at',
      'tier',
      'priority',
      'sla_first_response_ms',
      'sla_first_response_target_ms',
      'sla_first_response_due_at',
    ])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('tickets_report_idx').execute();
  await db.schema.dropIndex('tickets_external_id_key').execute();
  for (const column of [
    'external_id',
    'sla_first_response_ms',
    'sla_first_response_clock',
    'sla_first_response_target_ms',
  ])
    await db.schema.alterTable('tickets').dropColumn(column).execute();
}
