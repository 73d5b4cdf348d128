import type { Transaction } from 'kysely';
import { isLeadOrAdmin, isStaff, type Principal } from '../auth/principal.js';
import type { OrganizationsService } from '../customers/organizations-service.js';
import type { Database, HcArticleRow, HcTranslationRow } from '../db/tables.js';
import type { Tier } from '../policy/tiers.js';
import { newId } from '../shared/ids.js';
import { toPage, type Cursor } from '../shared/pagination.js';
import { badRequest, conflict, forbidden, notFound } from '../shared/problem.js';
import type { Clock } from '../shared/time.js';
import { markdownToText, renderMarkdown } from './markdown.js';
import {
  audienceAdmits,
  viewerOf,
  type ArticleKind,
  type ArticleStatus,
  type Audience,
  type HcLocale,
  type HcViewer,
  type IssueStatus,
} from './model.js';
import { articleTiers, presentArticle } from './presenters.js';
import { SlugTakenError, type ArticleFilter, type HelpCenterRepository } from './repository.js';
import type { ArticleCreate, ArticleUpdate, TranslationInput } from './schema.js';
import type { HelpCenterSearch } from './search/types.js';
import { slugify } from './slug.js';

export interface HelpCenterServiceDeps {
  repo: HelpCenterRepository;
  search: HelpCenterSearch;
  organizations: Pick<OrganizationsService, 'tierAt'>;
  clock: Clock;
}

/** A published article as the public site reads it: the translation asked for and its siblings. */
export interface PublishedArticle {
  article: HcArticleRow;
  translation: HcTranslationRow;
  translations: HcTranslationRow[];
}

function requireStaff(actor: Principal) {
  if (!isStaff(actor)) throw forbidden('Only staff write the help center.');
}

function requireLeadOrAdmin(actor: Principal, what: string) {
  if (!isLeadOrAdmin(actor)) throw forbidden(`Only leads and admins ${what}.`);
}

/** The help center's articles and known issues, their translations and revisions, and who may read them. */
export class HelpCenterService {
  constructor(private readonly deps: HelpCenterServiceDeps) {}

  /** The reader behind a request: anonymous, a customer of a tier, or staff. */
  async viewer(principal: Principal | null): Promise<HcViewer> {
    if (!principal) return viewerOf(null, null);
    const tier: Tier | null = principal.organizationId
      ? await this.deps.organizations.tierAt(principal.organizationId, this.deps.clock())
      : null;
    return viewerOf(principal, tier);
  }

  /** A customer as a reader, by id: what a ticket's requester may read today. */
  async customerViewer(userId: string, organizationId: string): Promise<HcViewer> {
    const tier = await this.deps.organizations.tierAt(organizationId, this.deps.clock());
    return { signedIn: true, staff: false, tier, userId, organizationId };
  }

  // --- Articles ----------------------------------------------------------------------------

  async listArticles(viewer: HcViewer, filter: ArticleFilter, limit: number, cursor: Cursor | undefined) {
    const restricted = !viewer.staff;
    const rows = await this.deps.repo.listArticles(
      restricted ? { ...filter, status: 'published', visibleTo: viewer } : filter,
      limit,
      cursor,
    );
    const translations = await this.deps.repo.translations(rows.slice(0, limit).map((r) => r.id));
    return toPage(
      rows,
      limit,
      (row) => presentArticle(row, translations),
      (row) => ({ k: row.updated_at, id: row.id }),
    );
  }

  /** One article as this reader may see it; drafts and other audiences are "not found" to customers. */
  async getArticle(viewer: HcViewer, id: string) {
    const row = await this.deps.repo.findArticle(id);
    if (!row || !this.canRead(viewer, row)) throw notFound('The article');
    return presentArticle(row, await this.deps.repo.translations([row.id]));
  }

  canRead(viewer: HcViewer, row: HcArticleRow): boolean {
    if (viewer.staff) return true;
    return row.status === 'published' && audienceAdmits(row.audience, articleTiers(row), viewer);
  }

  /**
   * A published translation by its address, for the public site. `hidden` means it exists but the
   * reader's audience does not admit it (the site asks anonymous readers to sign in).
   */
  async findPublished(
    viewer: HcViewer,
    locale: HcLocale,
    slug: string,
  ): Promise<PublishedArticle | 'hidden' | null> {
    const translation = await this.deps.repo.findTranslationBySlug(locale, slug);
    if (!translation) return null;
    const article = await this.deps.repo.findArticle(translation.article_id);
    if (!article || article.status !== 'published') return null;
    if (!audienceAdmits(article.audience, articleTiers(article), viewer)) return 'hidden';
    return { article, translation, translations: await this.deps.repo.translations([article.id]) };
  }

  async createArticle(actor: Principal, input: ArticleCreate) {
    requireStaff(actor);
    const now = this.deps.clock();
    const locales = Object.keys(input.translations) as HcLocale[];
    const first = input.translations[locales.includes('en') ? 'en' : locales[0]!]!;
    const key = input.key ?? (await this.freeKey(slugify(first.title) || 'article'));
    if (input.key && (await this.deps.repo.findArticleByKey(input.key)))
      throw conflict('key-taken', `An article with the key "${input.key}" exists.`);
    await this.checkSection(input.sectionId);
    const status: ArticleStatus = input.status ?? 'draft';
    const row: HcArticleRow = {
      id: newId(),
      key,
      kind: input.kind,
      section_id: input.sectionId ?? null,
      position: input.position ?? 0,
      status,
      ...audienceColumns(input.audience ?? 'public', input.tiers),
      ...issueColumns(input.kind, input),
      author_id: actor.userId,
      created_at: now,
      updated_at: now,
      published_at: status === 'published' ? now : null,
    };
    await this.deps.repo.transaction(async (trx) => {
      await this.deps.repo.insertArticle(row, trx);
      for (const locale of locales)
        await this.writeTranslation(trx, row, locale, input.translations[locale]!, actor.userId, now);
      await this.reindex(trx, row);
    });
    return this.getArticle(await this.viewer(actor), row.id);
  }

  async updateArticle(actor: Principal, id: string, input: ArticleUpdate) {
    requireStaff(actor);
    const now = this.deps.clock();
    await this.deps.repo.transaction(async (trx) => {
      const row = await this.deps.repo.findArticle(id, trx);
      if (!row) throw notFound('The article');
      if (input.sectionId !== undefined) await this.checkSection(input.sectionId);
      const next: HcArticleRow = {
        ...row,
        ...(input.sectionId !== undefined ? { section_id: input.sectionId } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
        ...(input.status ? { status: input.status } : {}),
        ...(input.audience || input.tiers
          ? audienceColumns(input.audience ?? row.audience, input.tiers ?? articleTiers(row))
          : {}),
        ...issueColumns(row.kind, {
          issueStatus: input.issueStatus === undefined ? row.issue_status : input.issueStatus,
          fixedIn: input.fixedIn === undefined ? row.fixed_in : input.fixedIn,
          affectedArea: input.affectedArea === undefined ? row.affected_area : input.affectedArea,
        }),
        updated_at: now,
      };
      if (next.status === 'published' && row.status !== 'published') {
        next.published_at = now;
        if ((await this.deps.repo.translations([id], trx)).length === 0)
          throw conflict('no-translation', 'An article needs a translation before it is published.');
      }
      await this.deps.repo.updateArticle(id, next, trx);
      await this.reindex(trx, next);
    });
    return this.getArticle(await this.viewer(actor), id);
  }

  /** Adds or changes one locale's words; every save is a new revision. */
  async saveTranslation(actor: Principal, id: string, locale: HcLocale, input: TranslationInput) {
    requireStaff(actor);
    const now = this.deps.clock();
    await this.deps.repo.transaction(async (trx) => {
      const row = await this.deps.repo.findArticle(id, trx);
      if (!row) throw notFound('The article');
      await this.writeTranslation(trx, row, locale, input, actor.userId, now);
      await this.deps.repo.updateArticle(id, { updated_at: now }, trx);
      await this.reindex(trx, { ...row, updated_at: now });
    });
    return this.getArticle(await this.viewer(actor), id);
  }

  async deleteTranslation(actor: Principal, id: string, locale: HcLocale) {
    requireStaff(actor);
    await this.deps.repo.transaction(async (trx) => {
      const row = await this.deps.repo.findArticle(id, trx);
      if (!row) throw notFound('The article');
      const translations = await this.deps.repo.translations([id], trx);
      const target = translations.find((t) => t.locale === locale);
      if (!target) throw notFound('The translation');
      if (translations.length === 1 && row.status === 'published')
        throw conflict('last-translation', 'A published article keeps at least one translation.');
      await this.deps.repo.deleteTranslation(id, locale, trx);
      await this.deps.search.remove(trx, target.id);
    });
  }

  async deleteArticle(actor: Principal, id: string) {
    requireLeadOrAdmin(actor, 'delete help center articles (others archive them)');
    await this.deps.repo.transaction(async (trx) => {
      if (!(await this.deps.repo.findArticle(id, trx))) throw notFound('The article');
      await this.deps.search.removeArticle(trx, id);
      await this.deps.repo.deleteArticle(id, trx);
    });
  }

  async revisions(actor: Principal, id: string, locale: HcLocale | undefined) {
    requireStaff(actor);
    if (!(await this.deps.repo.findArticle(id))) throw notFound('The article');
    return this.deps.repo.revisions(id, locale, 200);
  }

  private async checkSection(sectionId: string | null | undefined) {
    if (sectionId && !(await this.deps.repo.findSection(sectionId)))
      throw badRequest('No such section.', [{ field: 'body.sectionId', message: 'unknown section' }]);
  }

  private async freeKey(base: string): Promise<string> {
    for (let n = 1; n < 100; n++) {
      const key = n === 1 ? base : `${base.slice(0, 75)}-${n}`;
      if (!(await this.deps.repo.findArticleByKey(key))) return key;
    }
    return `${base.slice(0, 40)}-${newId()}`;
  }

  private async writeTranslation(
    trx: Transaction<Database>,
    article: HcArticleRow,
    locale: HcLocale,
    input: TranslationInput,
    authorId: string | null,
    now: number,
  ) {
    const existing = await this.deps.repo.findTranslation(article.id, locale, trx);
    let slug = input.slug ?? existing?.slug ?? (slugify(input.title) || article.key);
    if (await this.deps.repo.slugTaken(locale, slug, article.id, trx)) {
      if (input.slug) throw conflict('slug-taken', `Another ${locale} article already uses "${slug}".`);
      slug = `${slug.slice(0, 70)}-${article.key.slice(0, 8)}`;
      if (await this.deps.repo.slugTaken(locale, slug, article.id, trx))
        slug = `${slug}-${article.id.slice(-6)}`;
    }
    const bodyText = markdownToText(input.body);
    const workaround = article.kind === 'known_issue' ? (input.workaround ?? null) : null;
    const row: HcTranslationRow = {
      id: existing?.id ?? newId(),
      article_id: article.id,
      locale,
      slug,
      title: input.title,
      summary: input.summary || bodyText.replace(/\s+/g, ' ').slice(0, 157).trim(),
      body_md: input.body,
      body_html: renderMarkdown(input.body),
      symptom: article.kind === 'known_issue' ? (input.symptom ?? null) : null,
      workaround_md: workaround,
      workaround_html: workaround === null ? null : renderMarkdown(workaround),
      author_id: authorId,
      revision: (existing?.revision ?? 0) + 1,
      created_at: existing?.created_at ?? now,
      updated_at: now,
    };
    try {
      await this.deps.repo.saveTranslation(row, !existing, newId(), trx);
    } catch (error) {
      if (error instanceof SlugTakenError)
        throw conflict('slug-taken', `Another ${locale} article already uses "${slug}".`);
      throw error;
    }
  }

  /** Keeps the search index in step: published translations are searchable, nothing else is. */
  private async reindex(trx: Transaction<Database>, article: HcArticleRow) {
    const translations = await this.deps.repo.translations([article.id], trx);
    if (article.status !== 'published') {
      await this.deps.search.removeArticle(trx, article.id);
      return;
    }
    for (const t of translations) {
      await this.deps.search.index(trx, {
        translationId: t.id,
        articleId: article.id,
        locale: t.locale as HcLocale,
        kind: article.kind,
        audience: article.audience,
        tiers: articleTiers(article),
        title: t.title,
        text: searchText(t),
      });
    }
  }
}

/** A translation's searchable words; a summary taken from the body's start is not indexed twice. */
function searchText(t: HcTranslationRow): string {
  const body = markdownToText(t.body_md);
  const derivedSummary = body.replace(/\s+/g, ' ').startsWith(t.summary);
  return [
    derivedSummary ? '' : t.summary,
    t.symptom ?? '',
    body,
    t.workaround_md ? markdownToText(t.workaround_md) : '',
  ]
    .filter((part) => part.length > 0)
    .join('\n');
}

function audienceColumns(audience: Audience, tiers: readonly Tier[] | undefined) {
  if (audience === 'tiers' && (!tiers || tiers.length === 0))
    throw badRequest('An audience of tiers names at least one tier.', [
      { field: 'body.tiers', message: 'name at least one tier' },
    ]);
  return {
    audience,
    audience_tiers: audience === 'tiers' ? JSON.stringify([...new Set(tiers)].sort()) : null,
  };
}

function issueColumns(
  kind: ArticleKind,
  input: { issueStatus?: IssueStatus | null; fixedIn?: string | null; affectedArea?: string | null },
) {
  if (kind !== 'known_issue') return { issue_status: null, fixed_in: null, affected_area: null };
  const status = input.issueStatus ?? 'investigating';
  return {
    issue_status: status,
    fixed_in: input.fixedIn ?? null,
    affected_area: input.affectedArea ?? null,
  };
}
