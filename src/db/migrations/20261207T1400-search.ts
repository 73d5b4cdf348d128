import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Ticket search. One row per ticket holding the stems of what a search reads, in three streams:
 * the head (number, subject, requester's name and email, organization's name), public messages and
 * internal notes. On SQLite an external-content FTS5 table indexes the streams (its rowid is the
 * row's id); on PostgreSQL a tsvector (head A, public B, internal C) under a GIN index. The search
 * context keeps the rows current inside the ticket ledger's transactions; tickets that predate this
 * migration are indexed when the desk starts (TicketSearch.backfill).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('ticket_search_documents')
    .addColumn('id', postgres ? 'bigint' : 'integer', (c) =>
      postgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey(),
    )
    .addColumn('ticket_id', 'text', (c) => c.notNull().unique().references('tickets.id').onDelete('cascade'))
    .addColumn('head', 'text', (c) => c.notNull())
    .addColumn('public', 'text', (c) => c.notNull())
    .addColumn('internal', 'text', (c) => c.notNull())
    .$call((table) =>
      postgres ? table.addColumn('search_vector', sql`tsvector`, (c) => c.notNull()) : table,
    )
    .execute();
  if (postgres) {
    await sql`create index ticket_search_vector_idx on ticket_search_documents using gin (search_vector)`.execute(
      db,
    );
  } else {
    // The stems are computed in JavaScript, already folded; the FTS5 table reads them from the rows.
    await sql`create virtual table ticket_search_fts using fts5(
      head, public, internal,
      content = 'ticket_search_documents', content_rowid = 'id',
      tokenize = 'unicode61 remove_diacritics 2'
    )`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (!postgres) await sql`drop table ticket_search_fts`.execute(db);
  await db.schema.dropTable('ticket_search_documents').execute();
}
