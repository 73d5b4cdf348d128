import type { ColumnType, Generated } from 'kysely';

export type HcLocale = 'en' | 'fr';
export type HcKind = 'article' | 'known_issue';
export type HcAudience = 'public' | 'signed_in' | 'tiers';

/** The help center's search index: derived from published translations, rebuilt by re-indexing them. */
export interface SearchTables {
  hc_search_documents: HcSearchDocumentTable;
  /** SQLite only: the FTS5 table, its rowid the document's id. */
  hc_search_fts: HcSearchFtsTable;
  hc_search_words: HcSearchWordTable;
  hc_search_trigrams: HcSearchTrigramTable;
}

/** One published translation, as searched. */
export interface HcSearchDocumentTable {
  /** The FTS5 rowid on SQLite, so it is an integer that VACUUM keeps. */
  id: Generated<number>;
  translation_id: string;
  article_id: string;
  locale: HcLocale;
  kind: HcKind;
  audience: HcAudience;
  /** `,premium,enterprise,` when audience = 'tiers' (a LIKE finds one tier), else empty. */
  audience_tiers: string;
  title: string;
  /** Plain text, for snippets. */
  body: string;
  /** The document's distinct vocabulary words, space-separated: what to decrement when it changes. */
  words: string;
  /** PostgreSQL only: weighted tsvector of title (A) and body (B), written as an expression. */
  search_vector: ColumnType<never, string | undefined, string>;
}

export interface HcSearchFtsTable {
  rowid: number;
  title: string;
  body: string;
}

/** Folded surface words per locale, with how many documents use them: typo correction's dictionary. */
export interface HcSearchWordTable {
  locale: HcLocale;
  word: string;
  stem: string;
  documents: number;
}

/** Which vocabulary words contain a trigram, with their length so candidates can be bounded by it. */
export interface HcSearchTrigramTable {
  locale: HcLocale;
  trigram: string;
  length: number;
  word: string;
}

/** SearchTables as plain object types: the shape Kysely's withTables() accepts. */
export type SearchSchema = {
  [T in keyof SearchTables]: { [C in keyof SearchTables[T]]: SearchTables[T][C] };
};
