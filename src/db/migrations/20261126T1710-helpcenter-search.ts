import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The help center's search index. One row per published translation, kept by the help center
 * service rather than by foreign keys: removing a document must also decrement its words in the
 * vocabulary, which a cascade could not do. On SQLite the words go into an FTS5 table (its rowid is
 * the document's id); on PostgreSQL into a tsvector column under a GIN index. The vocabulary and its
 * trigrams correct misspelled queries the same way on both.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema
    .createTable('hc_search_documents')
    .addColumn('id', postgres ? 'bigint' : 'integer', (c) =>
      // SQLite: an integer primary key is the rowid itself, which VACUUM keeps and FTS5 can share.
      postgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey(),
    )
    .addColumn('translation_id', 'text', (c) => c.notNull().unique())
    .addColumn('article_id', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('audience_tiers', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('words', 'text', (c) => c.notNull())
    .$call((table) =>
      postgres ? table.addColumn('search_vector', sql`tsvector`, (c) => c.notNull()) : table,
    )
    .execute();
  // Unpublishing or deleting an article removes all its translations.
  await db.schema
    .createIndex('hc_search_documents_article_idx')
    .on('hc_search_documents')
    .column('article_id')
    .execute();

  if (postgres) {
    await sql`create index hc_search_documents_vector_idx on hc_search_documents using gin (search_vector)`.execute(
      db,
    );
  } else {
    // Stems computed in JavaScript (already folded); remove_diacritics 2 keeps anything else typed
    // into a title accent-insensitive too. Contentless: snippets come from hc_search_documents.
    await sql`create virtual table hc_search_fts using fts5(
      title, body,
      content = '', contentless_delete = 1,
      tokenize = 'unicode61 remove_diacritics 2'
    )`.execute(db);
  }

  const withoutRowid = sql`without rowid`;
  await db.schema
    .createTable('hc_search_words')
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('word', 'text', (c) => c.notNull())
    .addColumn('stem', 'text', (c) => c.notNull())
    .addColumn('documents', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('hc_search_words_pk', ['locale', 'word'])
    .$call((table) => (postgres ? table : table.modifyEnd(withoutRowid)))
    .execute();
  // Whether a query word's stem occurs anywhere, and how often.
  await db.schema
    .createIndex('hc_search_words_stem_idx')
    .on('hc_search_words')
    .columns(['locale', 'stem'])
    .execute();

  await db.schema
    .createTable('hc_search_trigrams')
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('trigram', 'text', (c) => c.notNull())
    .addColumn('length', 'integer', (c) => c.notNull())
    .addColumn('word', 'text', (c) => c.notNull())
    // Candidates for a correction: the words with these trigrams, of about the same length.
    .addPrimaryKeyConstraint('hc_search_trigrams_pk', ['locale', 'trigram', 'length', 'word'])
    .$call((table) => (postgres ? table : table.modifyEnd(withoutRowid)))
    .execute();
  // A word's trigrams go when its last document does.
  await db.schema
    .createIndex('hc_search_trigrams_word_idx')
    .on('hc_search_trigrams')
    .columns(['locale', 'word'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('hc_search_trigrams').execute();
  await db.schema.dropTable('hc_search_words').execute();
  if (!(db.getExecutor().adapter instanceof PostgresAdapter))
    await db.schema.dropTable('hc_search_fts').execute();
  await db.schema.dropTable('hc_search_documents').execute();
}
