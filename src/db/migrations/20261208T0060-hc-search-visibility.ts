import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * SQLite: the columns a help center search filters its full-text matches on (locale, kind,
 * audience), keyed by the document's id. A common word matches thousands of documents; read through
 * this narrow index, filtering them does not walk the wide rows that hold the texts. PostgreSQL
 * filters on its GIN index's heap rows and needs none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await db.schema
    .createIndex('hc_search_documents_visible_idx')
    .on('hc_search_documents')
    .columns(['id', 'locale', 'kind', 'audience', 'audience_tiers'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await db.schema.dropIndex('hc_search_documents_visible_idx').execute();
}
