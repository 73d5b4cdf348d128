import type { Kysely } from 'kysely';

/**
 * The email channel: every mail in or out (for threading by Message-ID, duplicate delivery and the
 * per-sender rate cap), each ticket's secret reply address, the durable outbox, bounces, and whether
 * an organization lets unknown senders from its domains join it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mail_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('ticket_message_id', 'text')
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('to_addresses', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('disposition', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('raw_path', 'text')
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('mail_messages_direction_message_key', ['direction', 'message_id'])
    .execute();
  // Threading looks a Message-ID up whichever way the mail went.
  await db.schema.createIndex('mail_messages_message_idx').on('mail_messages').column('message_id').execute();
  // The per-sender rate cap counts one sender's recent mail.
  await db.schema
    .createIndex('mail_messages_sender_idx')
    .on('mail_messages')
    .columns(['from_address', 'at'])
    .execute();

  await db.schema
    .createTable('ticket_reply_tokens')
    .addColumn('ticket_id', 'text', (c) => c.primaryKey().references('tickets.id').onDelete('cascade'))
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .execute();

  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text')
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  // The delivery worker's only question: which mail is due now.
  await db.schema
    .createIndex('mail_outbox_due_idx')
    .on('mail_outbox')
    .columns(['status', 'next_attempt_at'])
    .execute();

  await db.schema
    .createTable('mail_bounces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_bounces_email_idx').on('mail_bounces').columns(['email', 'at']).execute();

  await db.schema
    .alterTable('organizations')
    .addColumn('email_signup', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('organizations').dropColumn('email_signup').execute();
  await db.schema.dropTable('mail_bounces').execute();
  await db.schema.dropTable('mail_outbox').execute();
  await db.schema.dropTable('ticket_reply_tokens').execute();
  await db.schema.dropTable('mail_messages').execute();
}
