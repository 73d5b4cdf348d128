import type { Kysely } from 'kysely';

/**
 * Admin → Mail lists one status newest first; the outbox keeps every sent mail, so that list reads
 * an index instead of sorting the whole table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('mail_outbox_status_created_idx')
    .on('mail_outbox')
    .columns(['status', 'created_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('mail_outbox_status_created_idx').execute();
}
