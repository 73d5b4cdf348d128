import type { Expression, Kysely, SqlBool } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { Tier } from '../../policy/tiers.js';
import type { HcAudience, HcKind, HcLocale, SearchSchema } from './tables.js';

export type { HcAudience, HcKind, HcLocale, Tier };

export interface SearchDocument {
  translationId: string;
  articleId: string;
  locale: HcLocale;
  kind: HcKind;
  audience: HcAudience;
  /** Meaningful when audience === 'tiers'. */
  tiers: Tier[];
  title: string;
  /** Plain text: summary, body, symptom and workaround with Markdown stripped. */
  text: string;
}

/** Who searches: anonymous visitors see public documents; signed-in customers also signed_in ones and those of their tier; staff see all. */
export interface SearchViewer {
  signedIn: boolean;
  staff: boolean;
  tier: Tier | null;
}

export interface SearchQuery {
  text: string;
  locale: HcLocale;
  viewer: SearchViewer;
  /** 1..50 */
  limit: number;
  offset?: number;
  kinds?: HcKind[];
  /** 'all': every query word must match (site search; falls back to 'any' when 'all' finds nothing). 'any': ranked by how many match (suggestions from a ticket's text). */
  mode?: 'all' | 'any';
}

export interface SearchHit {
  translationId: string;
  articleId: string;
  kind: HcKind;
  title: string;
  /** Escaped, matches in <mark>. */
  titleHtml: string;
  /** Escaped, matches in <mark>. */
  snippetHtml: string;
  /** Higher is better. */
  score: number;
}

export interface SearchResult {
  hits: SearchHit[];
  total: number;
  correctedQuery: string | null;
}

export interface HelpCenterSearch {
  /** Adds or replaces a published translation; `db` may be a transaction. */
  index(db: Kysely<Database>, doc: SearchDocument): Promise<void>;
  remove(db: Kysely<Database>, translationId: string): Promise<void>;
  removeArticle(db: Kysely<Database>, articleId: string): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
}

// ---------------------------------------------------------------------------------------------
// What each database's full-text engine provides to the shared search code.

export type SearchDb = Kysely<Database & SearchSchema>;

/** A document row as written, with the analysed text each engine indexes. */
export interface DocumentRow {
  translation_id: string;
  article_id: string;
  locale: HcLocale;
  kind: HcKind;
  audience: HcAudience;
  audience_tiers: string;
  title: string;
  body: string;
  words: string;
}

export interface AnalysedDocument {
  /** Title and text accent-folded, for an engine that stems by itself. */
  foldedTitle: string;
  foldedText: string;
  /** Title and text as space-separated stems, for an engine that does not. */
  titleStems: string;
  textStems: string;
}

/** One query term after analysis and spelling correction. */
export interface QueryTerm {
  /** Folded surface word, for an engine that stems by itself. */
  word: string;
  stem: string;
}

export interface PageRequest {
  locale: HcLocale;
  terms: QueryTerm[];
  mode: 'all' | 'any';
  /** Audience and kinds, on the documents table aliased `d`. */
  visible: Expression<SqlBool>;
  limit: number;
  offset: number;
}

export interface PageRow {
  translation_id: string;
  article_id: string;
  kind: HcKind;
  title: string;
  body: string;
  score: number;
}

export interface SearchEngine {
  /** Writes the document row and its full-text entry; `existingId` is the row being replaced. */
  saveDocument(
    db: SearchDb,
    existingId: number | null,
    row: DocumentRow,
    analysed: AnalysedDocument,
  ): Promise<void>;
  deleteDocument(db: SearchDb, id: number): Promise<void>;
  page(db: SearchDb, request: PageRequest): Promise<{ rows: PageRow[]; total: number }>;
}
