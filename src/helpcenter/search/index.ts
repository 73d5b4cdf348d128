import { expressionBuilder, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../db/tables.js';
import { analyseDocument, analyseQuery, tokenize, type QueryWord } from './analysis.js';
import { postgresEngine } from './postgres-search.js';
import { buildSnippet, highlightTitle } from './snippet.js';
import { sqliteEngine } from './sqlite-search.js';
import type { HcSearchDocumentTable, SearchSchema } from './tables.js';
import type {
  HcKind,
  HelpCenterSearch,
  QueryTerm,
  SearchDb,
  SearchDocument,
  SearchEngine,
  SearchQuery,
  SearchResult,
  SearchViewer,
} from './types.js';
import { correctWord, stemFrequencies, updateVocabulary, type Correction } from './vocabulary.js';

export type * from './types.js';

/** Terms searched at most: a ticket's text keeps its rarest words, which say the most about it. */
const MAX_TERMS = 16;
/** Misspelled words corrected per query, each one indexed lookup. */
const MAX_CORRECTIONS = 8;
const MAX_LIMIT = 50;
/** 'any' mode: documents the terms may reach together (counted per term), and the terms kept regardless. */
const ANY_POSTINGS_BUDGET = 4_000;
const MIN_ANY_TERMS = 3;
/** How long a word's correction is reused; this process's own index changes forget them all at once. */
const CORRECTION_TTL_MS = 60_000;
const MAX_CACHED_CORRECTIONS = 20_000;

type CorrectWord = (db: SearchDb, locale: SearchQuery['locale'], word: string) => Promise<Correction | null>;

/**
 * Corrections of the words no document has, kept for a while: a ticket's text brings the same
 * greetings and everyday words every time ("hello", "thanks"), and each correction is a lookup over
 * the vocabulary's trigrams. Another process's index changes are seen once an entry expires.
 */
function correctionCache(now: () => number = () => performance.now()) {
  const entries = new Map<string, { correction: Promise<Correction | null>; expiresAt: number }>();
  const correct: CorrectWord = (db, locale, word) => {
    const key = `${locale} ${word}`;
    const at = now();
    const cached = entries.get(key);
    if (cached && cached.expiresAt > at) return cached.correction;
    entries.delete(key);
    if (entries.size >= MAX_CACHED_CORRECTIONS) entries.delete(entries.keys().next().value!);
    const correction = correctWord(db, locale, word);
    entries.set(key, { correction, expiresAt: at + CORRECTION_TTL_MS });
    // A failed lookup is not kept.
    correction.catch(() => entries.delete(key));
    return correction;
  };
  return { correct, forget: () => entries.clear() };
}

/** Runs the work in the caller's transaction, or in one of its own: a document is indexed whole or not at all. */
async function inTransaction(db: Kysely<Database>, work: (db: SearchDb) => Promise<void>): Promise<void> {
  if (db.isTransaction) return work(db.withTables<SearchSchema>());
  return db.transaction().execute((trx) => work(trx.withTables<SearchSchema>()));
}

async function findDocument(db: SearchDb, translationId: string) {
  return db
    .selectFrom('hc_search_documents')
    .select(['id', 'locale', 'words'])
    .where('translation_id', '=', translationId)
    .executeTakeFirst();
}

function storedWords(words: string): string[] {
  return words.length > 0 ? words.split(' ') : [];
}

async function indexDocument(db: SearchDb, engine: SearchEngine, doc: SearchDocument): Promise<void> {
  const existing = await findDocument(db, doc.translationId);
  const analysed = analyseDocument(doc.locale, doc.title, doc.text);
  await engine.saveDocument(
    db,
    existing?.id ?? null,
    {
      translation_id: doc.translationId,
      article_id: doc.articleId,
      locale: doc.locale,
      kind: doc.kind,
      audience: doc.audience,
      audience_tiers: doc.audience === 'tiers' ? `,${[...new Set(doc.tiers)].sort().join(',')},` : '',
      title: doc.title,
      body: doc.text,
      words: analysed.words.join(' '),
    },
    analysed,
  );
  await updateVocabulary(
    db,
    existing ? { locale: existing.locale, words: storedWords(existing.words) } : null,
    { locale: doc.locale, words: analysed.words },
  );
}

async function removeDocument(
  db: SearchDb,
  engine: SearchEngine,
  row: { id: number; locale: SearchDocument['locale']; words: string },
): Promise<void> {
  await engine.deleteDocument(db, row.id);
  await updateVocabulary(db, { locale: row.locale, words: storedWords(row.words) }, null);
}

/** Which documents a viewer may see, of the kinds asked for, on the documents table aliased `d`. */
function visibleTo(viewer: SearchViewer, kinds: readonly HcKind[] | undefined): Expression<SqlBool> {
  const eb = expressionBuilder<{ d: HcSearchDocumentTable }, 'd'>();
  const conditions: Expression<SqlBool>[] = [];
  if (!viewer.staff) {
    const audiences = [eb('d.audience', '=', 'public')];
    if (viewer.signedIn) {
      audiences.push(eb('d.audience', '=', 'signed_in'));
      if (viewer.tier)
        audiences.push(
          eb.and([eb('d.audience', '=', 'tiers'), eb('d.audience_tiers', 'like', `%,${viewer.tier},%`)]),
        );
    }
    conditions.push(eb.or(audiences));
  }
  if (kinds) conditions.push(eb('d.kind', 'in', [...kinds]));
  return eb.and(conditions);
}

interface PlannedTerms {
  terms: QueryTerm[];
  /** Misspelled folded word → its correction. */
  corrections: Map<string, string>;
}

interface Candidate extends QueryTerm {
  /** Documents using the stem (an upper bound: summed over its surface words); 0 when unknown. */
  documents: number;
  position: number;
}

const rarestFirst = (a: Candidate, b: Candidate) =>
  // Unknown words last: they match nothing, yet in 'all' mode one of them would empty the result.
  (a.documents || Infinity) - (b.documents || Infinity) || a.position - b.position;

/** At most `count` terms, the rarest, in query order. */
function keepRarest(candidates: Candidate[], count: number): Candidate[] {
  if (candidates.length <= count) return candidates;
  return [...candidates]
    .sort(rarestFirst)
    .slice(0, count)
    .sort((a, b) => a.position - b.position);
}

/**
 * 'any' mode ranks every document that has one of the terms, so a ticket's common words ("site",
 * "change", "report") would have the database rank most of the help center. The rarest terms are
 * kept while the documents they reach stay within a budget; those are also the words that tell
 * one article from another.
 */
function withinBudget(candidates: Candidate[]): Candidate[] {
  const kept: Candidate[] = [];
  let postings = 0;
  for (const candidate of [...candidates].filter((c) => c.documents > 0).sort(rarestFirst)) {
    if (kept.length >= MAX_TERMS) break;
    if (kept.length >= MIN_ANY_TERMS && postings + candidate.documents > ANY_POSTINGS_BUDGET) break;
    kept.push(candidate);
    postings += candidate.documents;
  }
  // Nothing the vocabulary knows (only stopwords, say): search what there is.
  if (kept.length === 0) return keepRarest(candidates, MAX_TERMS);
  return kept.sort((a, b) => a.position - b.position);
}

/**
 * The query's terms: unknown words corrected to the closest vocabulary word, and when there are
 * too many, the rarest kept (the words common to every article say little about which one is meant).
 */
async function planTerms(
  db: SearchDb,
  query: SearchQuery,
  mode: 'all' | 'any',
  words: QueryWord[],
  correct: CorrectWord,
): Promise<PlannedTerms> {
  const frequencies = await stemFrequencies(
    db,
    query.locale,
    words.map((w) => w.stem),
  );
  const corrections = new Map<string, string>();
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  let attempts = 0;
  for (const [position, word] of words.entries()) {
    let term = { word: word.word, stem: word.stem, documents: frequencies.get(word.stem) ?? 0 };
    if (term.documents === 0 && !word.stopword && attempts < MAX_CORRECTIONS) {
      attempts++;
      const correction = await correct(db, query.locale, word.word);
      if (correction) {
        corrections.set(word.word, correction.word);
        term = { word: correction.word, stem: correction.stem, documents: correction.documents };
      }
    }
    if (seen.has(term.stem)) continue;
    seen.add(term.stem);
    candidates.push({ ...term, position });
  }
  const kept = mode === 'all' ? keepRarest(candidates, MAX_TERMS) : withinBudget(candidates);
  const searched = new Set(kept.map((t) => t.word));
  // A correction whose word was left out of the search is not reported as what was searched.
  for (const [typed, corrected] of corrections) if (!searched.has(corrected)) corrections.delete(typed);
  return { terms: kept.map(({ word, stem }) => ({ word, stem })), corrections };
}

/** The query as typed, each corrected word replaced by its correction. */
function correctedText(text: string, corrections: Map<string, string>): string | null {
  if (corrections.size === 0) return null;
  let result = '';
  let from = 0;
  for (const token of tokenize(text)) {
    const correction = corrections.get(token.word);
    if (correction === undefined) continue;
    result += text.slice(from, token.start) + correction;
    from = token.end;
  }
  return (result + text.slice(from)).trim();
}

/** The help center's search on either database: same analysis, typo tolerance and snippets on both. */
export function createHelpCenterSearch(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
): HelpCenterSearch {
  const engine = dialect === 'postgres' ? postgresEngine : sqliteEngine;
  const searchDb = db.withTables<SearchSchema>();
  const empty: SearchResult = { hits: [], total: 0, correctedQuery: null };
  const corrections = correctionCache();
  // The vocabulary changes with the index: corrections are forgotten before the change and after it.
  const changingVocabulary = async (work: Promise<void>) => {
    corrections.forget();
    try {
      await work;
    } finally {
      corrections.forget();
    }
  };

  return {
    index: (target, doc) =>
      changingVocabulary(inTransaction(target, (trx) => indexDocument(trx, engine, doc))),

    remove: (target, translationId) =>
      changingVocabulary(
        inTransaction(target, async (trx) => {
          const row = await findDocument(trx, translationId);
          if (row) await removeDocument(trx, engine, row);
        }),
      ),

    removeArticle: (target, articleId) =>
      changingVocabulary(
        inTransaction(target, async (trx) => {
          const rows = await trx
            .selectFrom('hc_search_documents')
            .select(['id', 'locale', 'words'])
            .where('article_id', '=', articleId)
            .execute();
          for (const row of rows) await removeDocument(trx, engine, row);
        }),
      ),

    async search(query) {
      const limit = Math.min(MAX_LIMIT, Math.max(1, Math.trunc(query.limit) || 1));
      const offset = Math.max(0, Math.trunc(query.offset ?? 0) || 0);
      if (query.kinds?.length === 0) return empty;
      const words = analyseQuery(query.locale, query.text);
      if (words.length === 0) return empty;
      const mode = query.mode ?? 'all';
      const { terms, corrections: corrected } = await planTerms(
        searchDb,
        query,
        mode,
        words,
        corrections.correct,
      );
      const request = {
        locale: query.locale,
        terms,
        mode,
        visible: visibleTo(query.viewer, query.kinds),
        limit,
        offset,
      };
      let page = await engine.page(searchDb, request);
      if (page.total === 0 && request.mode === 'all' && terms.length > 1)
        page = await engine.page(searchDb, { ...request, mode: 'any' });
      const stems = new Set(terms.map((t) => t.stem));
      return {
        hits: page.rows.map((row) => ({
          translationId: row.translation_id,
          articleId: row.article_id,
          kind: row.kind,
          title: row.title,
          titleHtml: highlightTitle(query.locale, row.title, stems),
          snippetHtml: buildSnippet(query.locale, row.body, stems),
          score: row.score,
        })),
        total: page.total,
        // A correction that finds nothing this viewer may read is no help, and would name a word
        // that only documents hidden from them contain.
        correctedQuery: page.total > 0 ? correctedText(query.text, corrected) : null,
      };
    },
  };
}
