import type { Kysely } from 'kysely';

/**
 * The help center: categories and sections, articles and known issues (one row each, with a
 * translation per locale), their revision history, links from tickets, votes, daily views, searches
 * (for the content gaps) and the suggestions shown while a ticket is being written (for deflection).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('hc_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    // JSON objects keyed by locale: {"en": "...", "fr": "..."}.
    .addColumn('titles', 'text', (c) => c.notNull())
    .addColumn('descriptions', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('hc_sections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('category_id', 'text', (c) => c.notNull().references('hc_categories.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('titles', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('hc_sections_category_idx').on('hc_sections').column('category_id').execute();

  await db.schema
    .createTable('hc_articles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Stable across locales and imports: an import finds the article it wrote before by its key.
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('section_id', 'text', (c) => c.references('hc_sections.id').onDelete('set null'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    // JSON array of tiers when audience = 'tiers'.
    .addColumn('audience_tiers', 'text')
    // Known issues only.
    .addColumn('issue_status', 'text')
    .addColumn('fixed_in', 'text')
    .addColumn('affected_area', 'text')
    .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('published_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('hc_articles_section_idx')
    .on('hc_articles')
    .columns(['section_id', 'status', 'position'])
    .execute();
  // Staff lists (newest first, by kind and status) and the known-issues page.
  await db.schema
    .createIndex('hc_articles_kind_idx')
    .on('hc_articles')
    .columns(['kind', 'status', 'updated_at'])
    .execute();

  await db.schema
    .createTable('hc_translations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('hc_articles.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('symptom', 'text')
    .addColumn('workaround_md', 'text')
    .addColumn('workaround_html', 'text')
    .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('hc_translations_article_locale_key', ['article_id', 'locale'])
    .addUniqueConstraint('hc_translations_locale_slug_key', ['locale', 'slug'])
    .execute();

  await db.schema
    .createTable('hc_revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('hc_articles.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('symptom', 'text')
    .addColumn('workaround_md', 'text')
    .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('hc_revisions_article_locale_revision_key', ['article_id', 'locale', 'revision'])
    .execute();

  await db.schema
    .createTable('hc_ticket_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('article_id', 'text', (c) => c.notNull().references('hc_articles.id').onDelete('cascade'))
    // known_issue: the ticket reports this known issue; answer: staff answered with the article.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('hc_ticket_links_key', ['ticket_id', 'article_id', 'kind'])
    .execute();
  await db.schema
    .createIndex('hc_ticket_links_article_idx')
    .on('hc_ticket_links')
    .columns(['article_id', 'at'])
    .execute();

  await db.schema
    .createTable('hc_votes')
    .addColumn('article_id', 'text', (c) => c.notNull().references('hc_articles.id').onDelete('cascade'))
    // A signed-in user's id, or an anonymous visitor's cookie: one vote each, changeable.
    .addColumn('voter', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('helpful', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('hc_votes_pk', ['article_id', 'voter'])
    .execute();
  await db.schema.createIndex('hc_votes_at_idx').on('hc_votes').columns(['at']).execute();

  await db.schema
    .createTable('hc_views')
    .addColumn('article_id', 'text', (c) => c.notNull().references('hc_articles.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    // Start of the UTC day, epoch milliseconds: one counter row per article, locale and day.
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('views', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('hc_views_pk', ['article_id', 'locale', 'day'])
    .execute();
  await db.schema.createIndex('hc_views_day_idx').on('hc_views').columns(['day']).execute();

  await db.schema
    .createTable('hc_searches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('results', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('hc_searches_at_idx').on('hc_searches').columns(['at', 'locale']).execute();

  await db.schema
    .createTable('hc_suggestion_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('organization_id', 'text', (c) => c.references('organizations.id').onDelete('set null'))
    .addColumn('ticket_id', 'text', (c) => c.references('tickets.id').onDelete('set null').unique())
    .addColumn('last_query', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('hc_suggestion_sessions_created_idx')
    .on('hc_suggestion_sessions')
    .columns(['created_at', 'locale'])
    .execute();

  await db.schema
    .createTable('hc_suggestions_shown')
    .addColumn('session_id', 'text', (c) =>
      c.notNull().references('hc_suggestion_sessions.id').onDelete('cascade'),
    )
    .addColumn('article_id', 'text', (c) => c.notNull().references('hc_articles.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('shown_at', 'bigint', (c) => c.notNull())
    .addColumn('opened_at', 'bigint')
    .addPrimaryKeyConstraint('hc_suggestions_shown_pk', ['session_id', 'article_id'])
    .execute();
  await db.schema
    .createIndex('hc_suggestions_shown_article_idx')
    .on('hc_suggestions_shown')
    .columns(['article_id', 'shown_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'hc_suggestions_shown',
    'hc_suggestion_sessions',
    'hc_searches',
    'hc_views',
    'hc_votes',
    'hc_ticket_links',
    'hc_revisions',
    'hc_translations',
    'hc_articles',
    'hc_sections',
    'hc_categories',
  ])
    await db.schema.dropTable(table).execute();
}
