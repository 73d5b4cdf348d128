import { sql, type Kysely } from 'kysely';

/**
 * The queue's filters at any size of desk. The console's orders (urgency, due) walk one band at a
 * time in due order; under a filter on organization, assignee, priority, tier or channel each walk
 * seeks these indexes instead of reading the whole backlog for the few tickets that match. They are
 * partial: only tickets that owe something have a due time, so they hold the backlog, not the
 * history, and a closed ticket leaves them. The band indexes of 20261207T1300-urgency become partial
 * too: equally small, the planner weighs them fairly against the others ("mine": a status walk that
 * holds nothing is not read through the assignee's whole backlog).
 *
 * Newest first, a status and a priority (the open P0s) seek both instead of reading the priority's
 * whole history when fewer than a page match.
 *
 * The repeat-of-a-resolved-ticket check reads an organization's latest resolved tickets from a
 * partial index that holds only those, with what it needs (id, last change) in the index itself.
 *
 * The band expression must stay exactly as the ticket list writes it (src/tickets/repository.ts
 * `urgencyBand`), and the conditions as the queries write them, literals included, or the planners
 * do not recognize them.
 */
const FILTERS = [
  ['tickets_org_urgency_due_idx', 'organization_id'],
  ['tickets_assignee_urgency_due_idx', 'assignee_id'],
  ['tickets_priority_urgency_due_idx', 'priority'],
  ['tickets_tier_urgency_due_idx', 'tier'],
  ['tickets_channel_urgency_due_idx', 'channel'],
] as const;
const BANDS: [string, string[]][] = [
  ['tickets_urgency_due_idx', []],
  ['tickets_status_urgency_due_idx', ['status']],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  const band = sql`(case when priority in ('P0', 'P1') then 0 else 1 end)`;
  for (const [name, column] of FILTERS) {
    await db.schema
      .createIndex(name)
      .on('tickets')
      .column(column)
      .expression(band)
      .columns(['sla_next_due_at', 'id'])
      .where(sql.ref('sla_next_due_at'), 'is not', null)
      .execute();
  }
  for (const [name, lead] of BANDS) {
    await db.schema.dropIndex(name).execute();
    await db.schema
      .createIndex(name)
      .on('tickets')
      .columns(lead)
      .expression(band)
      .columns(['sla_next_due_at', 'id'])
      .where(sql.ref('sla_next_due_at'), 'is not', null)
      .execute();
  }
  await db.schema
    .createIndex('tickets_status_priority_created_idx')
    .on('tickets')
    .columns(['status', 'priority', 'created_at', 'id'])
    .execute();
  await db.schema.dropIndex('tickets_org_done_idx').execute();
  await db.schema
    .createIndex('tickets_org_done_idx')
    .on('tickets')
    .column('organization_id')
    .expression(sql`coalesce(resolved_at, closed_at)`)
    .columns(['updated_at', 'id'])
    .where(sql<boolean>`status in ('resolved', 'closed')`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('tickets_org_done_idx').execute();
  await db.schema
    .createIndex('tickets_org_done_idx')
    .on('tickets')
    .column('organization_id')
    .expression(sql`coalesce(resolved_at, closed_at)`)
    .execute();
  await db.schema.dropIndex('tickets_status_priority_created_idx').execute();
  const band = sql`(case when priority in ('P0', 'P1') then 0 else 1 end)`;
  for (const [name, lead] of BANDS) {
    await db.schema.dropIndex(name).execute();
    await db.schema
      .createIndex(name)
      .on('tickets')
      .columns(lead)
      .expression(band)
      .columns(['sla_next_due_at', 'id'])
      .execute();
  }
  for (const [name] of FILTERS) await db.schema.dropIndex(name).execute();
}
