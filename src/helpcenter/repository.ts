import type { Kysely, Transaction } from 'kysely';
import type { DialectName } from '../db/database.js';
import { isUniqueViolation } from '../db/dialect.js';
import type {
  Database,
  HcArticleRow,
  HcArticleTable,
  HcCategoryRow,
  HcSectionRow,
  HcTicketLinkTable,
  HcTranslationRow,
} from '../db/tables.js';
import type { Cursor } from '../shared/pagination.js';
import type { ArticleKind, ArticleStatus, HcLocale, HcViewer } from './model.js';

export type HcExecutor = Kysely<Database> | Transaction<Database>;

export interface ArticleFilter {
  kind?: ArticleKind;
  status?: ArticleStatus;
  sectionId?: string;
  /** Only articles with a translation in this locale. */
  locale?: HcLocale;
  /** Customers and visitors: only what this reader's audience admits (staff pass no viewer). */
  visibleTo?: HcViewer;
}

export class SlugTakenError extends Error {}

/** All I/O for the help center's content: categories, sections, articles, translations, revisions. */
export class HelpCenterRepository {
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: DialectName,
  ) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  // Categories and sections: a help center has tens of them, so they are read whole.
  listCategories(db: HcExecutor = this.db): Promise<HcCategoryRow[]> {
    return db.selectFrom('hc_categories').selectAll().orderBy('position').orderBy('key').execute();
  }

  listSections(db: HcExecutor = this.db): Promise<HcSectionRow[]> {
    return db.selectFrom('hc_sections').selectAll().orderBy('position').orderBy('key').execute();
  }

  findCategory(id: string, db: HcExecutor = this.db) {
    return db.selectFrom('hc_categories').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findCategoryByKey(key: string, db: HcExecutor = this.db) {
    return db.selectFrom('hc_categories').selectAll().where('key', '=', key).executeTakeFirst();
  }

  findSection(id: string, db: HcExecutor = this.db) {
    return db.selectFrom('hc_sections').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findSectionByKey(key: string, db: HcExecutor = this.db) {
    return db.selectFrom('hc_sections').selectAll().where('key', '=', key).executeTakeFirst();
  }

  async insertCategory(row: HcCategoryRow, db: HcExecutor = this.db) {
    await db.insertInto('hc_categories').values(row).execute();
  }

  async updateCategory(id: string, values: Partial<HcCategoryRow>, db: HcExecutor = this.db) {
    await db.updateTable('hc_categories').set(values).where('id', '=', id).execute();
  }

  async deleteCategory(id: string, db: HcExecutor = this.db) {
    await db.deleteFrom('hc_categories').where('id', '=', id).execute();
  }

  async insertSection(row: HcSectionRow, db: HcExecutor = this.db) {
    await db.insertInto('hc_sections').values(row).execute();
  }

  async updateSection(id: string, values: Partial<HcSectionRow>, db: HcExecutor = this.db) {
    await db.updateTable('hc_sections').set(values).where('id', '=', id).execute();
  }

  async deleteSection(id: string, db: HcExecutor = this.db) {
    await db.deleteFrom('hc_sections').where('id', '=', id).execute();
  }

  findArticle(id: string, db: HcExecutor = this.db) {
    return db.selectFrom('hc_articles').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findArticleByKey(key: string, db: HcExecutor = this.db) {
    return db.selectFrom('hc_articles').selectAll().where('key', '=', key).executeTakeFirst();
  }

  async insertArticle(row: HcArticleRow, db: HcExecutor = this.db) {
    await db.insertInto('hc_articles').values(row).execute();
  }

  async updateArticle(id: string, values: Partial<HcArticleTable>, db: HcExecutor = this.db) {
    await db.updateTable('hc_articles').set(values).where('id', '=', id).execute();
  }

  async deleteArticle(id: string, db: HcExecutor = this.db) {
    await db.deleteFrom('hc_articles').where('id', '=', id).execute();
  }

  translations(articleIds: readonly string[], db: HcExecutor = this.db): Promise<HcTranslationRow[]> {
    if (articleIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('hc_translations')
      .selectAll()
      .where('article_id', 'in', articleIds)
      .orderBy('locale')
      .execute();
  }

  translationsByIds(ids: readonly string[], db: HcExecutor = this.db): Promise<HcTranslationRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('hc_translations').selectAll().where('id', 'in', ids).execute();
  }

  findTranslationBySlug(locale: HcLocale, slug: string, db: HcExecutor = this.db) {
    return db
      .selectFrom('hc_translations')
      .selectAll()
      .where('locale', '=', locale)
      .where('slug', '=', slug)
      .executeTakeFirst();
  }

  async slugTaken(locale: HcLocale, slug: string, exceptArticleId: string | null, db: HcExecutor = this.db) {
    let query = db
      .selectFrom('hc_translations')
      .select('id')
      .where('locale', '=', locale)
      .where('slug', '=', slug);
    if (exceptArticleId) query = query.where('article_id', '!=', exceptArticleId);
    return (await query.executeTakeFirst()) !== undefined;
  }

  /** Writes a translation (new or changed) and its revision; a slug another article holds is refused. */
  async saveTranslation(row: HcTranslationRow, isNew: boolean, revisionId: string, db: HcExecutor) {
    try {
      if (isNew) await db.insertInto('hc_translations').values(row).execute();
      else {
        const { id, article_id: _article, locale: _locale, created_at: _created, ...changes } = row;
        await db.updateTable('hc_translations').set(changes).where('id', '=', id).execute();
      }
    } catch (error) {
      if (isUniqueViolation(error)) throw new SlugTakenError(row.slug);
      throw error;
    }
    await db
      .insertInto('hc_revisions')
      .values({
        id: revisionId,
        article_id: row.article_id,
        locale: row.locale,
        revision: row.revision,
        title: row.title,
        summary: row.summary,
        body_md: row.body_md,
        symptom: row.symptom,
        workaround_md: row.workaround_md,
        author_id: row.author_id,
        at: row.updated_at,
      })
      .execute();
  }

  findTranslation(articleId: string, locale: HcLocale, db: HcExecutor = this.db) {
    return db
      .selectFrom('hc_translations')
      .selectAll()
      .where('article_id', '=', articleId)
      .where('locale', '=', locale)
      .executeTakeFirst();
  }

  async deleteTranslation(articleId: string, locale: HcLocale, db: HcExecutor) {
    await db
      .deleteFrom('hc_translations')
      .where('article_id', '=', articleId)
      .where('locale', '=', locale)
      .execute();
  }

  revisions(articleId: string, locale: HcLocale | undefined, limit: number) {
    let query = this.db
      .selectFrom('hc_revisions')
      .leftJoin('users', 'users.id', 'hc_revisions.author_id')
      .selectAll('hc_revisions')
      .select('users.name as author_name')
      .where('hc_revisions.article_id', '=', articleId);
    if (locale) query = query.where('hc_revisions.locale', '=', locale);
    return query
      .orderBy('hc_revisions.at', 'desc')
      .orderBy('hc_revisions.revision', 'desc')
      .limit(limit)
      .execute();
  }

  /** Articles newest change first, one keyset page. */
  listArticles(filter: ArticleFilter, limit: number, cursor: Cursor | undefined) {
    let query = this.db.selectFrom('hc_articles').selectAll('hc_articles');
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.sectionId) query = query.where('section_id', '=', filter.sectionId);
    const viewer = filter.visibleTo;
    if (viewer && !viewer.staff) {
      query = query.where((eb) => {
        const admitted = [eb('audience', '=', 'public')];
        if (viewer.signedIn) admitted.push(eb('audience', '=', 'signed_in'));
        if (viewer.signedIn && viewer.tier)
          admitted.push(
            eb.and([eb('audience', '=', 'tiers'), eb('audience_tiers', 'like', `%"${viewer.tier}"%`)]),
          );
        return eb.or(admitted);
      });
    }
    if (filter.locale) {
      const locale = filter.locale;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('hc_translations')
            .select('hc_translations.id')
            .whereRef('hc_translations.article_id', '=', 'hc_articles.id')
            .where('hc_translations.locale', '=', locale),
        ),
      );
    }
    if (cursor) {
      const k = Number(cursor.k);
      query = query.where((eb) =>
        eb.or([eb('updated_at', '<', k), eb.and([eb('updated_at', '=', k), eb('id', '<', cursor.id)])]),
      );
    }
    return query
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
  }

  /** A section's published articles, in their order: the site's section and category pages. */
  publishedInSection(sectionId: string, limit: number) {
    return this.db
      .selectFrom('hc_articles')
      .selectAll()
      .where('section_id', '=', sectionId)
      .where('status', '=', 'published')
      .orderBy('position')
      .orderBy('published_at')
      .limit(limit)
      .execute();
  }

  articlesByIds(ids: readonly string[], db: HcExecutor = this.db): Promise<HcArticleRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('hc_articles').selectAll().where('id', 'in', ids).execute();
  }

  /** Every published translation's address, for the sitemap; a keyset page at a time. */
  publishedTranslationsPage(afterId: string | null, limit: number) {
    let query = this.db
      .selectFrom('hc_translations')
      .innerJoin('hc_articles', 'hc_articles.id', 'hc_translations.article_id')
      .select([
        'hc_translations.id',
        'hc_translations.article_id',
        'hc_translations.locale',
        'hc_translations.slug',
        'hc_translations.updated_at',
        'hc_articles.audience',
        'hc_articles.kind',
      ])
      .where('hc_articles.status', '=', 'published')
      .where('hc_articles.audience', '=', 'public');
    if (afterId) query = query.where('hc_translations.id', '>', afterId);
    return query.orderBy('hc_translations.id').limit(limit).execute();
  }

  // --- Links from tickets --------------------------------------------------------------------

  async insertTicketLink(row: HcTicketLinkTable): Promise<boolean> {
    const inserted = await this.db
      .insertInto('hc_ticket_links')
      .values(row)
      .onConflict((oc) => oc.columns(['ticket_id', 'article_id', 'kind']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async deleteTicketLink(ticketId: string, articleId: string, kind: HcTicketLinkTable['kind']) {
    const deleted = await this.db
      .deleteFrom('hc_ticket_links')
      .where('ticket_id', '=', ticketId)
      .where('article_id', '=', articleId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return Number(deleted.numDeletedRows) > 0;
  }

  ticketLinks(ticketId: string) {
    return this.db
      .selectFrom('hc_ticket_links')
      .leftJoin('users', 'users.id', 'hc_ticket_links.created_by')
      .selectAll('hc_ticket_links')
      .select('users.name as created_by_name')
      .where('ticket_id', '=', ticketId)
      .orderBy('at')
      .limit(100)
      .execute();
  }

  /** The tickets that reported a known issue, newest first. */
  linkedTickets(articleId: string, limit: number) {
    return this.db
      .selectFrom('hc_ticket_links')
      .innerJoin('tickets', 'tickets.id', 'hc_ticket_links.ticket_id')
      .innerJoin('organizations', 'organizations.id', 'tickets.organization_id')
      .select([
        'tickets.id',
        'tickets.number',
        'tickets.subject',
        'tickets.status',
        'tickets.priority',
        'organizations.name as organization_name',
        'hc_ticket_links.at',
      ])
      .where('hc_ticket_links.article_id', '=', articleId)
      .where('hc_ticket_links.kind', '=', 'known_issue')
      .orderBy('hc_ticket_links.at', 'desc')
      .limit(limit)
      .execute();
  }

  async userLocale(userId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('users')
      .select('locale')
      .where('id', '=', userId)
      .executeTakeFirst();
    return row?.locale ?? null;
  }
}
