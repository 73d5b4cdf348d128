import { z } from 'zod';
import { tierSchema } from '../policy/tiers.js';
import { idSchema, isoOut } from '../shared/schema.js';
import { ARTICLE_KINDS, ARTICLE_STATUSES, AUDIENCES, HC_LOCALES, ISSUE_STATUSES } from './model.js';
import { SLUG_PATTERN } from './slug.js';

const noNul = (s: string) => !s.includes('\u0000');
const text = (max: number) => z.string().max(max).refine(noNul, { message: 'must not contain NUL' });
const line = (max: number) => text(max).trim();

export const hcLocaleSchema = z.enum(HC_LOCALES);
export const keySchema = z
  .string()
  .min(1)
  .max(80)
  .regex(SLUG_PATTERN, 'must be lowercase letters, digits and hyphens (e.g. reset-password)');
export const slugSchema = keySchema;
const localized = z.partialRecord(hcLocaleSchema, line(200));

export const sectionOut = z.object({
  id: z.string(),
  categoryId: z.string(),
  key: z.string(),
  position: z.number().int(),
  titles: localized,
});
export const categoryOut = z.object({
  id: z.string(),
  key: z.string(),
  position: z.number().int(),
  titles: localized,
  descriptions: z.partialRecord(hcLocaleSchema, z.string()),
  sections: z.array(sectionOut),
});
export type CategoryOut = z.infer<typeof categoryOut>;
export type SectionOut = z.infer<typeof sectionOut>;

export const categoryCreate = z.strictObject({
  key: keySchema,
  position: z.number().int().min(0).max(10_000).default(0),
  titles: localized.refine((t) => Object.keys(t).length > 0, { message: 'needs a title in one locale' }),
  descriptions: z.partialRecord(hcLocaleSchema, line(500)).default({}),
});
export const categoryUpdate = z.strictObject({
  position: z.number().int().min(0).max(10_000).optional(),
  titles: localized.optional(),
  descriptions: z.partialRecord(hcLocaleSchema, line(500)).optional(),
});
export const sectionCreate = z.strictObject({
  categoryId: idSchema,
  key: keySchema,
  position: z.number().int().min(0).max(10_000).default(0),
  titles: localized.refine((t) => Object.keys(t).length > 0, { message: 'needs a title in one locale' }),
});
export const sectionUpdate = z.strictObject({
  categoryId: idSchema.optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  titles: localized.optional(),
});

export const MAX_ARTICLE_MARKDOWN = 200_000;

export const translationInput = z.strictObject({
  title: line(200).pipe(z.string().min(1, 'must not be empty')),
  slug: slugSchema.optional(),
  summary: line(300).optional(),
  body: text(MAX_ARTICLE_MARKDOWN),
  symptom: line(1000).optional(),
  workaround: text(50_000).optional(),
});
export type TranslationInput = z.infer<typeof translationInput>;

const articleFields = {
  sectionId: idSchema.nullable().optional(),
  position: z.number().int().min(0).max(100_000).optional(),
  status: z.enum(ARTICLE_STATUSES).optional(),
  audience: z.enum(AUDIENCES).optional(),
  tiers: z.array(tierSchema).max(4).optional(),
  issueStatus: z.enum(ISSUE_STATUSES).nullable().optional(),
  fixedIn: line(40).nullable().optional(),
  affectedArea: line(120).nullable().optional(),
};

export const articleCreate = z.strictObject({
  key: keySchema.optional(),
  kind: z.enum(ARTICLE_KINDS).default('article'),
  ...articleFields,
  translations: z.partialRecord(hcLocaleSchema, translationInput).refine((t) => Object.keys(t).length > 0, {
    message: 'needs a translation in one locale',
  }),
});
export type ArticleCreate = z.infer<typeof articleCreate>;
export const articleUpdate = z.strictObject(articleFields);
export type ArticleUpdate = z.infer<typeof articleUpdate>;

export const translationOut = z.object({
  id: z.string(),
  locale: hcLocaleSchema,
  slug: z.string(),
  url: z.string(),
  title: z.string(),
  summary: z.string(),
  bodyMarkdown: z.string(),
  bodyHtml: z.string(),
  symptom: z.string().nullable(),
  workaroundMarkdown: z.string().nullable(),
  workaroundHtml: z.string().nullable(),
  revision: z.number().int(),
  updatedAt: isoOut,
});
export const articleOut = z.object({
  id: z.string(),
  key: z.string(),
  kind: z.enum(ARTICLE_KINDS),
  status: z.enum(ARTICLE_STATUSES),
  audience: z.enum(AUDIENCES),
  tiers: z.array(tierSchema),
  sectionId: z.string().nullable(),
  position: z.number().int(),
  issueStatus: z.enum(ISSUE_STATUSES).nullable(),
  fixedIn: z.string().nullable(),
  affectedArea: z.string().nullable(),
  authorId: z.string().nullable(),
  createdAt: isoOut,
  updatedAt: isoOut,
  publishedAt: isoOut.nullable(),
  translations: z.array(translationOut),
});
export type ArticleOut = z.infer<typeof articleOut>;
export type TranslationOut = z.infer<typeof translationOut>;

export const revisionOut = z.object({
  id: z.string(),
  locale: hcLocaleSchema,
  revision: z.number().int(),
  title: z.string(),
  summary: z.string(),
  bodyMarkdown: z.string(),
  symptom: z.string().nullable(),
  workaroundMarkdown: z.string().nullable(),
  author: z.object({ id: z.string(), name: z.string() }).nullable(),
  at: isoOut,
});

// --- Search, suggestions, the help center on a ticket, metrics -----------------------------------

/** A search hit or suggestion. */
export const articleHitOut = z.object({
  articleId: z.string(),
  kind: z.enum(ARTICLE_KINDS),
  locale: hcLocaleSchema,
  title: z.string(),
  titleHtml: z.string().describe('The title, HTML-escaped, with the matched words in <mark>.'),
  snippetHtml: z.string().describe('A passage, HTML-escaped, with the matched words in <mark>.'),
  url: z.string().describe('The article on the public help center.'),
  issueStatus: z.enum(ISSUE_STATUSES).nullable(),
});

export const searchResultsOut = z.object({
  query: z.string(),
  correctedQuery: z.string().nullable().describe('Set when misspelled words were corrected.'),
  total: z.number().int(),
  results: z.array(articleHitOut),
});

export const suggestionsOut = z.object({
  sessionId: z.string().nullable(),
  suggestions: z.array(articleHitOut),
});

/** An article as a ticket shows it: in the requester's language. */
export const linkedArticleOut = z.object({
  articleId: z.string(),
  kind: z.enum(ARTICLE_KINDS),
  title: z.string(),
  url: z.string(),
  locale: hcLocaleSchema,
  issueStatus: z.enum(ISSUE_STATUSES).nullable(),
  fixedIn: z.string().nullable(),
});

export const ticketHelpCenterOut = z.object({
  locale: hcLocaleSchema.describe('The requester’s language, in which links and suggestions are given.'),
  links: z.array(
    z.object({
      kind: z.enum(['known_issue', 'answer']),
      at: isoOut,
      by: z.object({ id: z.string(), name: z.string() }).nullable(),
      article: linkedArticleOut,
    }),
  ),
  shownBeforeSending: z
    .array(z.object({ article: linkedArticleOut, opened: z.boolean() }))
    .describe('Staff only: the suggestions the customer saw while writing the ticket.'),
  suggestions: z
    .array(articleHitOut)
    .describe('Staff only: articles matching the ticket, readable by its requester.'),
});

const counts = {
  searches: z.number().int(),
  searchesWithoutResults: z.number().int(),
  views: z.number().int(),
  suggestionSessions: z.number().int(),
  suggestionsShown: z.number().int(),
  suggestionsOpened: z.number().int(),
  deflections: z.number().int(),
  ticketsAfterSuggestions: z.number().int(),
  helpfulYes: z.number().int(),
  helpfulNo: z.number().int(),
};
export const metricsOut = z.object({
  from: isoOut,
  to: isoOut,
  locale: hcLocaleSchema.nullable(),
  totals: z.object(counts),
  locales: z.array(z.object({ locale: hcLocaleSchema, ...counts })),
  contentGaps: z.array(z.object({ query: z.string(), locale: z.string(), count: z.number().int() })),
  articles: z.array(
    z.object({
      articleId: z.string(),
      title: z.string(),
      views: z.number().int(),
      suggested: z.number().int(),
      opened: z.number().int(),
      deflections: z.number().int(),
      helpfulYes: z.number().int(),
      helpfulNo: z.number().int(),
    }),
  ),
});
