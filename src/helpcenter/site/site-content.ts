import type { HcArticleRow, HcTranslationRow } from '../../db/tables.js';
import type { Cursor } from '../../shared/pagination.js';
import { audienceAdmits, HC_LOCALES, type HcLocale, type HcViewer } from '../model.js';
import { articlePath, articleTiers } from '../presenters.js';
import type { HelpCenterRepository } from '../repository.js';
import type { CategoryOut, SectionOut } from '../schema.js';
import type { HelpCenterService, PublishedArticle } from '../service.js';
import type { HelpCenterStructure } from '../structure-service.js';

/** An article as a line in a list: its title in the page's locale and where to read it. */
export interface ArticleLink {
  title: string;
  summary: string;
  path: string;
  kind: HcArticleRow['kind'];
  issueStatus: HcArticleRow['issue_status'];
  fixedIn: string | null;
}

export interface SectionView {
  key: string;
  title: string;
  path: string;
  articles: ArticleLink[];
  /** More articles than listed: the section's page shows them. */
  more: boolean;
}

export interface CategoryView {
  key: string;
  title: string;
  description: string;
  path: string;
  sections: SectionView[];
}

export interface Crumb {
  title: string;
  path: string;
}

export interface ArticleView extends PublishedArticle {
  category: Crumb | null;
  section: Crumb | null;
}

export interface SitemapEntry {
  path: string;
  lastmod: number | null;
  alternates: { locale: HcLocale; path: string }[];
}

export const homePath = (locale: HcLocale) => `/hc/${locale}`;
export const categoryPath = (locale: HcLocale, key: string) => `/hc/${locale}/categories/${key}`;
export const sectionPath = (locale: HcLocale, key: string) => `/hc/${locale}/sections/${key}`;
export const knownIssuesPath = (locale: HcLocale) => `/hc/${locale}/known-issues`;
export const searchPath = (locale: HcLocale) => `/hc/${locale}/search`;

/** A title in the reader's locale, else in English, else in whichever locale it was written. */
export function localized(texts: Partial<Record<HcLocale, string>>, locale: HcLocale, fallback = ''): string {
  return texts[locale] ?? texts.en ?? Object.values(texts)[0] ?? fallback;
}

const HOME_ARTICLES_PER_SECTION = 5;
const CATEGORY_ARTICLES_PER_SECTION = 10;
// A section is a shelf of related articles; one with more than this is a section to split.
const SECTION_PAGE_CAP = 500;
const SITEMAP_PAGE = 500;

/**
 * What the public site's pages show, read through the help center's content service and repository:
 * only published articles the reader's audience admits, in the page's locale.
 */
export class SiteContent {
  constructor(
    private readonly content: HelpCenterService,
    private readonly structure: HelpCenterStructure,
    private readonly repo: HelpCenterRepository,
  ) {}

  /** Every category with its sections and their first articles; empty ones are left out. */
  async home(viewer: HcViewer, locale: HcLocale): Promise<CategoryView[]> {
    const categories = await this.structure.listCategories();
    const sections = await this.sectionViews(
      categories.flatMap((c) => c.sections),
      viewer,
      locale,
      HOME_ARTICLES_PER_SECTION,
    );
    return categories
      .map((c) => categoryView(c, locale, sections))
      .map((c) => ({ ...c, sections: c.sections.filter((s) => s.articles.length > 0) }))
      .filter((c) => c.sections.length > 0);
  }

  async category(viewer: HcViewer, locale: HcLocale, key: string): Promise<CategoryView | null> {
    const category = (await this.structure.listCategories()).find((c) => c.key === key);
    if (!category) return null;
    const sections = await this.sectionViews(
      category.sections,
      viewer,
      locale,
      CATEGORY_ARTICLES_PER_SECTION,
    );
    const view = categoryView(category, locale, sections);
    return { ...view, sections: view.sections.filter((s) => s.articles.length > 0) };
  }

  async section(
    viewer: HcViewer,
    locale: HcLocale,
    key: string,
  ): Promise<{ category: Crumb; section: SectionView } | null> {
    const categories = await this.structure.listCategories();
    const category = categories.find((c) => c.sections.some((s) => s.key === key));
    const section = category?.sections.find((s) => s.key === key);
    if (!category || !section) return null;
    const [view] = await this.sectionViews([section], viewer, locale, SECTION_PAGE_CAP);
    return { category: categoryCrumb(category, locale), section: view! };
  }

  /** A published translation with its breadcrumbs; `hidden` when the reader's audience excludes it. */
  async article(viewer: HcViewer, locale: HcLocale, slug: string): Promise<ArticleView | 'hidden' | null> {
    const found = await this.content.findPublished(viewer, locale, slug);
    if (found === null || found === 'hidden') return found;
    let category: Crumb | null = null;
    let section: Crumb | null = null;
    if (found.article.section_id) {
      for (const c of await this.structure.listCategories()) {
        const s = c.sections.find((x) => x.id === found.article.section_id);
        if (!s) continue;
        category = categoryCrumb(c, locale);
        section = { title: localized(s.titles, locale, s.key), path: sectionPath(locale, s.key) };
      }
    }
    return { ...found, category, section };
  }

  /** Published known issues, newest change first, a keyset page at a time. */
  knownIssues(viewer: HcViewer, locale: HcLocale, limit: number, cursor: Cursor | undefined) {
    return this.content.listArticles(
      viewer,
      { kind: 'known_issue', status: 'published', locale },
      limit,
      cursor,
    );
  }

  /**
   * The sitemap's addresses: the home, known-issues, category and section pages in every locale,
   * then every public article's translations, read a keyset page at a time.
   */
  async *sitemap(): AsyncGenerator<SitemapEntry> {
    const both = (pathOf: (locale: HcLocale) => string) =>
      HC_LOCALES.map((locale) => ({
        path: pathOf(locale),
        lastmod: null,
        alternates: HC_LOCALES.map((l) => ({ locale: l, path: pathOf(l) })),
      }));
    yield* both(homePath);
    yield* both(knownIssuesPath);
    for (const category of await this.structure.listCategories()) {
      yield* both((locale) => categoryPath(locale, category.key));
      for (const section of category.sections) yield* both((locale) => sectionPath(locale, section.key));
    }
    let after: string | null = null;
    for (;;) {
      const rows = await this.repo.publishedTranslationsPage(after, SITEMAP_PAGE);
      if (rows.length === 0) break;
      // An article's other translations may sit on another page; ask for this page's articles' siblings.
      const siblings = await this.repo.translations([...new Set(rows.map((r) => r.article_id))]);
      for (const row of rows) {
        yield {
          path: articlePath(row.locale, row.slug),
          lastmod: row.updated_at,
          alternates: siblings
            .filter((t) => t.article_id === row.article_id)
            .map((t) => ({ locale: t.locale as HcLocale, path: articlePath(t.locale, t.slug) })),
        };
      }
      if (rows.length < SITEMAP_PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
  }

  /** Each section's first `perSection` readable articles (one indexed query per section). */
  private async sectionViews(
    sections: SectionOut[],
    viewer: HcViewer,
    locale: HcLocale,
    perSection: number,
  ): Promise<SectionView[]> {
    // Some fetched articles may be hidden from this reader or untranslated; fetch extra to fill the list.
    const fetch = perSection >= SECTION_PAGE_CAP ? SECTION_PAGE_CAP : perSection * 3 + 1;
    const perSectionRows = await Promise.all(sections.map((s) => this.repo.publishedInSection(s.id, fetch)));
    const readable = perSectionRows.map((rows) =>
      rows.filter((a) => audienceAdmits(a.audience, articleTiers(a), viewer)),
    );
    const translations = await this.repo.translations(readable.flat().map((a) => a.id));
    return sections.map((section, i) => {
      const links = readable[i]!.flatMap((article) => {
        const t = translations.find((x) => x.article_id === article.id && x.locale === locale);
        return t ? [articleLink(article, t)] : [];
      });
      return {
        key: section.key,
        title: localized(section.titles, locale, section.key),
        path: sectionPath(locale, section.key),
        articles: links.slice(0, perSection),
        more: links.length > perSection || perSectionRows[i]!.length >= fetch,
      };
    });
  }
}

function articleLink(article: HcArticleRow, t: HcTranslationRow): ArticleLink {
  return {
    title: t.title,
    summary: t.summary,
    path: articlePath(t.locale, t.slug),
    kind: article.kind,
    issueStatus: article.issue_status,
    fixedIn: article.fixed_in,
  };
}

function categoryCrumb(category: CategoryOut, locale: HcLocale): Crumb {
  return {
    title: localized(category.titles, locale, category.key),
    path: categoryPath(locale, category.key),
  };
}

function categoryView(category: CategoryOut, locale: HcLocale, sections: SectionView[]): CategoryView {
  return {
    ...categoryCrumb(category, locale),
    key: category.key,
    description: localized(category.descriptions, locale),
    sections: category.sections.flatMap((s) => sections.filter((v) => v.key === s.key)),
  };
}
