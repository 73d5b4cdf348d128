import type { Kysely } from 'kysely';

/**
 * Who sent an inbound mail, as far as the desk can tell: each mail's sender-authentication verdict
 * (DKIM, SPF, DMARC) and the Authentication-Results it was read from; the secret reply address of
 * each member of staff on each ticket, the only way staff answer by mail; and the lookups that tell
 * whether a bounce is about mail the desk really sent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('mail_messages').addColumn('auth_verdict', 'text').execute();
  await db.schema.alterTable('mail_messages').addColumn('auth_results', 'text').execute();
  // A ticket's messages show how the mail behind each was authenticated.
  await db.schema
    .createIndex('mail_messages_ticket_message_idx')
    .on('mail_messages')
    .column('ticket_message_id')
    .execute();

  await db.schema
    .createTable('staff_reply_tokens')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('staff_reply_tokens_ticket_user_key', ['ticket_id', 'user_id'])
    .execute();

  // A bounce that names a reply address counts for the people the desk mailed on that ticket.
  await db.schema
    .createIndex('mail_outbox_ticket_to_idx')
    .on('mail_outbox')
    .columns(['ticket_id', 'to_address'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('mail_outbox_ticket_to_idx').execute();
  await db.schema.dropTable('staff_reply_tokens').execute();
  await db.schema.dropIndex('mail_messages_ticket_message_idx').execute();
  await db.schema.alterTable('mail_messages').dropColumn('auth_results').execute();
  await db.schema.alterTable('mail_messages').dropColumn('auth_verdict').execute();
}
