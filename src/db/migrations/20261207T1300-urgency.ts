import { sql, type Kysely } from 'kysely';

/**
 * The agent queue by urgency: P0 and P1 (the urgent band) before P2 and P3, soonest due first within
 * each. The band is an expression on priority, and the queue seeks one band at a time, alone or
 * under a status, so each walk follows an index in due order and stops after a page.
 *
 * The expression must stay exactly as the ticket list writes it (src/tickets/repository.ts
 * `urgencyBand`), literals included, or the planners do not recognize it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const band = sql`(case when priority in ('P0', 'P1') then 0 else 1 end)`;
  await db.schema
    .createIndex('tickets_urgency_due_idx')
    .on('tickets')
    .expression(band)
    .columns(['sla_next_due_at', 'id'])
    .execute();
  await db.schema
    .createIndex('tickets_status_urgency_due_idx')
    .on('tickets')
    .column('status')
    .expression(band)
    .columns(['sla_next_due_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('tickets_status_urgency_due_idx').execute();
  await db.schema.dropIndex('tickets_urgency_due_idx').execute();
}
