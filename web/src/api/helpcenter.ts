/** The help center's shapes as the API returns them (src/helpcenter/schema.ts). */
import type { z } from 'zod';
import type {
  ArticleKind,
  ArticleStatus,
  Audience,
  IssueStatus,
  SuggestionChannel,
} from '../../../src/helpcenter/model';
import type {
  articleHitOut,
  articleOut,
  categoryOut,
  linkedArticleOut,
  metricsOut,
  revisionOut,
  searchResultsOut,
  sectionOut,
  suggestionsOut,
  ticketHelpCenterOut,
  translationOut,
} from '../../../src/helpcenter/schema';
import type { Assert, Locale, NamesAll } from './types';

/** SuggestionChannel: where a ticket form asking for suggestions is shown. */
export type { ArticleKind, ArticleStatus, Audience, IssueStatus, SuggestionChannel };

export const ARTICLE_KINDS = ['article', 'known_issue'] satisfies ArticleKind[];
export const ARTICLE_STATUSES = ['draft', 'published', 'archived'] satisfies ArticleStatus[];
export const AUDIENCES = ['public', 'signed_in', 'tiers'] satisfies Audience[];
export const ISSUE_STATUSES = ['investigating', 'workaround_available', 'fixed'] satisfies IssueStatus[];

type _ListsNameEveryMember = [
  Assert<NamesAll<typeof ARTICLE_KINDS, ArticleKind>>,
  Assert<NamesAll<typeof ARTICLE_STATUSES, ArticleStatus>>,
  Assert<NamesAll<typeof AUDIENCES, Audience>>,
  Assert<NamesAll<typeof ISSUE_STATUSES, IssueStatus>>,
];

/** A search hit or suggestion: titleHtml and snippetHtml are escaped text with matches in <mark>. */
export type ArticleHit = z.output<typeof articleHitOut>;
export type Suggestions = z.output<typeof suggestionsOut>;
export type SearchResults = z.output<typeof searchResultsOut>;

/** bodyHtml is sanitized by the desk when saved. */
export type Translation = z.output<typeof translationOut>;
export type Article = z.output<typeof articleOut>;
export type Revision = z.output<typeof revisionOut>;

export type LocalizedTitles = Section['titles'];
export type Section = z.output<typeof sectionOut>;
export type Category = z.output<typeof categoryOut>;

/** An article as a ticket shows it: in the requester's language. */
export type LinkedArticle = z.output<typeof linkedArticleOut>;
/** GET /tickets/{id}/helpcenter; shownBeforeSending and suggestions are empty for customers. */
export type TicketHelpCenter = z.output<typeof ticketHelpCenterOut>;

export type HelpCenterMetrics = z.output<typeof metricsOut>;
export type EngagementCounts = HelpCenterMetrics['totals'];

/** The translation to show a reader of `locale`: theirs, else English, else any. */
export function translationFor(article: Article, locale: Locale): Translation | undefined {
  return (
    article.translations.find((t) => t.locale === locale) ??
    article.translations.find((t) => t.locale === 'en') ??
    article.translations[0]
  );
}

/** The help center's words for a ticket, refreshed with the ticket (the live stream's ['ticket', id]). */
export const ticketHelpCenterKey = (ticketId: string) => ['ticket', ticketId, 'helpcenter'] as const;
