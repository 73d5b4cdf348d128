import type { Kysely } from 'kysely';

/**
 * Free tags on tickets, written by the ticket ledger only (with tag_added and tag_removed events).
 * The (tag, ticket_id) index serves the queue's tag filter and the tags report; the primary key
 * serves a ticket's own tags.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ticket_tags')
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('added_by_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_tags_pkey', ['ticket_id', 'tag'])
    .execute();
  await db.schema
    .createIndex('ticket_tags_tag_idx')
    .on('ticket_tags')
    .columns(['tag', 'ticket_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ticket_tags').execute();
}
