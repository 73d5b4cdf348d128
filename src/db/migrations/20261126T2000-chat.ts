import type { Kysely } from 'kysely';

/**
 * Live chat: conversations with their visitor, agent and queue rank; messages numbered per
 * conversation (the sender's client id makes a resend harmless); files sent in a chat; the agents'
 * presence and capacity; canned replies.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chat_conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // queued | active | ended
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('visitor_name', 'text', (c) => c.notNull())
    .addColumn('visitor_email', 'text', (c) => c.notNull())
    // Set when the visitor is a signed-in user of the vendor's app (a verified identity).
    .addColumn('visitor_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('organization_id', 'text', (c) => c.references('organizations.id').onDelete('set null'))
    .addColumn('tier', 'text')
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('page', 'text')
    // The visitor's secret, hashed: it authorizes this conversation only.
    .addColumn('token_hash', 'text', (c) => c.notNull())
    // Who started it, hashed, for the per-address rate limit.
    .addColumn('client_key', 'text', (c) => c.notNull())
    // Lower is served first: tier, then priority (see queueRank).
    .addColumn('queue_rank', 'integer', (c) => c.notNull())
    .addColumn('agent_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('ticket_id', 'text', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('visitor_delivered_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('visitor_seen_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('agent_delivered_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('agent_seen_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_agent_message_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('transcript_sent_at', 'bigint')
    // Refreshed while the visitor's page is connected: a chat left waiting by a visitor who went away ends.
    .addColumn('visitor_seen_at', 'bigint', (c) => c.notNull())
    .execute();
  // The queue: what waits, best rank then oldest first.
  await db.schema
    .createIndex('chat_conversations_queue_idx')
    .on('chat_conversations')
    .columns(['status', 'queue_rank', 'created_at', 'id'])
    .execute();
  // An agent's chats (their load against the capacity).
  await db.schema
    .createIndex('chat_conversations_agent_idx')
    .on('chat_conversations')
    .columns(['agent_id', 'status'])
    .execute();
  await db.schema
    .createIndex('chat_conversations_seen_idx')
    .on('chat_conversations')
    .columns(['status', 'visitor_seen_at'])
    .execute();
  await db.schema
    .createIndex('chat_conversations_client_idx')
    .on('chat_conversations')
    .columns(['client_key', 'created_at'])
    .execute();

  await db.schema
    .createTable('chat_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('chat_conversations.id').onDelete('cascade'),
    )
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    // visitor | agent
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('chat_attachments_conversation_idx')
    .on('chat_attachments')
    .columns(['conversation_id'])
    .execute();

  await db.schema
    .createTable('chat_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('chat_conversations.id').onDelete('cascade'),
    )
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('client_id', 'text')
    // visitor | agent | system
    .addColumn('author_kind', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('attachment_id', 'text', (c) => c.references('chat_attachments.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // Reading a conversation from a seq on (resume), and one number per message.
  await db.schema
    .createIndex('chat_messages_seq_idx')
    .on('chat_messages')
    .columns(['conversation_id', 'seq'])
    .unique()
    .execute();
  // A resent message is found, not stored twice.
  await db.schema
    .createIndex('chat_messages_client_idx')
    .on('chat_messages')
    .columns(['conversation_id', 'client_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('chat_agents')
    .addColumn('agent_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    // online | away | offline
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    // Refreshed while the agent's console is connected: an agent whose console went away is not online.
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('chat_canned_replies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('locale', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'chat_canned_replies',
    'chat_agents',
    'chat_messages',
    'chat_attachments',
    'chat_conversations',
  ])
    await db.schema.dropTable(table).execute();
}
