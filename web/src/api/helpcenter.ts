/** The help center's shapes as the API returns them (src/helpcenter/schema.ts, engagement-routes.ts). */
import type { Locale, Tier } from './types';

export type ArticleKind = 'article' | 'known_issue';
export type ArticleStatus = 'draft' | 'published' | 'archived';
export type Audience = 'public' | 'signed_in' | 'tiers';
export type IssueStatus = 'investigating' | 'workaround_available' | 'fixed';
/** Where a ticket form asking for suggestions is shown. */
export type SuggestionChannel = 'portal' | 'widget' | 'chat';

export const ARTICLE_KINDS: ArticleKind[] = ['article', 'known_issue'];
export const ARTICLE_STATUSES: ArticleStatus[] = ['draft', 'published', 'archived'];
export const AUDIENCES: Audience[] = ['public', 'signed_in', 'tiers'];
export const ISSUE_STATUSES: IssueStatus[] = ['investigating', 'workaround_available', 'fixed'];

/** A search hit or suggestion: titleHtml and snippetHtml are escaped text with matches in <mark>. */
export interface ArticleHit {
  articleId: string;
  kind: ArticleKind;
  locale: Locale;
  title: string;
  titleHtml: string;
  snippetHtml: string;
  /** The article on the public help center (/hc/…). */
  url: string;
  issueStatus: IssueStatus | null;
}

export interface Suggestions {
  sessionId: string | null;
  suggestions: ArticleHit[];
}

export interface SearchResults {
  query: string;
  correctedQuery: string | null;
  total: number;
  results: ArticleHit[];
}

export interface Translation {
  id: string;
  locale: Locale;
  slug: string;
  url: string;
  title: string;
  summary: string;
  bodyMarkdown: string;
  /** Sanitized by the desk when saved. */
  bodyHtml: string;
  symptom: string | null;
  workaroundMarkdown: string | null;
  workaroundHtml: string | null;
  revision: number;
  updatedAt: string;
}

export interface Article {
  id: string;
  key: string;
  kind: ArticleKind;
  status: ArticleStatus;
  audience: Audience;
  tiers: Tier[];
  sectionId: string | null;
  position: number;
  issueStatus: IssueStatus | null;
  fixedIn: string | null;
  affectedArea: string | null;
  authorId: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  translations: Translation[];
}

export interface Revision {
  id: string;
  locale: Locale;
  revision: number;
  title: string;
  summary: string;
  bodyMarkdown: string;
  symptom: string | null;
  workaroundMarkdown: string | null;
  author: { id: string; name: string } | null;
  at: string;
}

export type LocalizedTitles = Partial<Record<Locale, string>>;

export interface Section {
  id: string;
  categoryId: string;
  key: string;
  position: number;
  titles: LocalizedTitles;
}

export interface Category {
  id: string;
  key: string;
  position: number;
  titles: LocalizedTitles;
  descriptions: LocalizedTitles;
  sections: Section[];
}

/** An article as a ticket shows it: in the requester's language. */
export interface LinkedArticle {
  articleId: string;
  kind: ArticleKind;
  title: string;
  url: string;
  locale: Locale;
  issueStatus: IssueStatus | null;
  fixedIn: string | null;
}

/** GET /tickets/{id}/helpcenter; shownBeforeSending and suggestions are empty for customers. */
export interface TicketHelpCenter {
  locale: Locale;
  links: {
    kind: 'known_issue' | 'answer';
    at: string;
    by: { id: string; name: string } | null;
    article: LinkedArticle;
  }[];
  shownBeforeSending: { article: LinkedArticle; opened: boolean }[];
  suggestions: ArticleHit[];
}

export interface EngagementCounts {
  searches: number;
  searchesWithoutResults: number;
  views: number;
  suggestionSessions: number;
  suggestionsShown: number;
  suggestionsOpened: number;
  deflections: number;
  ticketsAfterSuggestions: number;
  helpfulYes: number;
  helpfulNo: number;
}

export interface HelpCenterMetrics {
  from: string;
  to: string;
  locale: Locale | null;
  totals: EngagementCounts;
  locales: (EngagementCounts & { locale: Locale })[];
  contentGaps: { query: string; locale: string; count: number }[];
  articles: {
    articleId: string;
    title: string;
    views: number;
    suggested: number;
    opened: number;
    deflections: number;
    helpfulYes: number;
    helpfulNo: number;
  }[];
}

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
