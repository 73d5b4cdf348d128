import type { Kysely } from 'kysely';

/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): one row per key a caller sent to a
 * create route, written in the transaction that made the resource, with the first answer once it
 * is presented. Rows live 24 hours; an index on the expiry lets pruning read only what is due.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // The route the key was sent to, e.g. "POST /tickets/:id/messages": a key is the caller's, per route.
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    // SHA-256 of the request (path parameters and body): the same key with another request is refused.
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    // The ticket or message the request made.
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer', (c) => c.notNull())
    // JSON of the first answer; null until it is stored, just after the commit.
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('idempotency_keys_scope_key')
    .on('idempotency_keys')
    .columns(['user_id', 'route', 'key'])
    .unique()
    .execute();
  await db.schema
    .createIndex('idempotency_keys_expires_idx')
    .on('idempotency_keys')
    .columns(['expires_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
}
