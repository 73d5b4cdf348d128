import type { HcArticleRow, HcCategoryRow, HcSectionRow, HcTranslationRow } from '../db/tables.js';
import type { Tier } from '../policy/tiers.js';
import { toIso, toIsoOrNull } from '../shared/time.js';
import type { HcLocale } from './model.js';
import type { ArticleOut, CategoryOut, SectionOut, TranslationOut } from './schema.js';

export const parseLocalized = (json: string): Partial<Record<HcLocale, string>> =>
  JSON.parse(json) as Partial<Record<HcLocale, string>>;

export const articleTiers = (row: Pick<HcArticleRow, 'audience_tiers'>): Tier[] =>
  row.audience_tiers ? (JSON.parse(row.audience_tiers) as Tier[]) : [];

/** Where a translation is read on the public site. */
export const articlePath = (locale: string, slug: string) => `/hc/${locale}/articles/${slug}`;

export function presentSection(row: HcSectionRow): SectionOut {
  return {
    id: row.id,
    categoryId: row.category_id,
    key: row.key,
    position: row.position,
    titles: parseLocalized(row.titles),
  };
}

export function presentCategory(row: HcCategoryRow, sections: HcSectionRow[]): CategoryOut {
  return {
    id: row.id,
    key: row.key,
    position: row.position,
    titles: parseLocalized(row.titles),
    descriptions: parseLocalized(row.descriptions),
    sections: sections.filter((s) => s.category_id === row.id).map(presentSection),
  };
}

export function presentTranslation(row: HcTranslationRow): TranslationOut {
  return {
    id: row.id,
    locale: row.locale as HcLocale,
    slug: row.slug,
    url: articlePath(row.locale, row.slug),
    title: row.title,
    summary: row.summary,
    bodyMarkdown: row.body_md,
    bodyHtml: row.body_html,
    symptom: row.symptom,
    workaroundMarkdown: row.workaround_md,
    workaroundHtml: row.workaround_html,
    revision: row.revision,
    updatedAt: toIso(row.updated_at),
  };
}

export function presentArticle(row: HcArticleRow, translations: HcTranslationRow[]): ArticleOut {
  return {
    id: row.id,
    key: row.key,
    kind: row.kind,
    status: row.status,
    audience: row.audience,
    tiers: articleTiers(row),
    sectionId: row.section_id,
    position: row.position,
    issueStatus: row.issue_status,
    fixedIn: row.fixed_in,
    affectedArea: row.affected_area,
    authorId: row.author_id,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    publishedAt: toIsoOrNull(row.published_at),
    translations: translations.filter((t) => t.article_id === row.id).map(presentTranslation),
  };
}
