import type { Kysely } from 'kysely';

/**
 * Merging tickets: a merged ticket points at the ticket its conversation continues in, and a message
 * that moved with a merge remembers the ticket it was written on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('tickets')
    .addColumn('merged_into_id', 'text', (c) => c.references('tickets.id'))
    .execute();
  await db.schema
    .alterTable('ticket_messages')
    .addColumn('merged_from_ticket_id', 'text', (c) => c.references('tickets.id'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ticket_messages').dropColumn('merged_from_ticket_id').execute();
  await db.schema.alterTable('tickets').dropColumn('merged_into_id').execute();
}
