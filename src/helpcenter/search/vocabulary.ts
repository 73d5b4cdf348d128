import { distance } from 'fastest-levenshtein';
import { sql } from 'kysely';
import { stem, trigrams, wordLength } from './analysis.js';
import type { HcLocale, SearchDb } from './types.js';

/**
 * Typo tolerance, the same on both databases: the folded words of the indexed documents with how
 * many documents use each, and their trigrams. A query word whose stem no document has is replaced
 * by the closest vocabulary word. Counts follow every re-index and removal, so a word disappears
 * with the last document that used it.
 */

/** The words of one document, as stored beside it. */
export interface DocumentWords {
  locale: HcLocale;
  words: readonly string[];
}

export interface Correction {
  word: string;
  stem: string;
  documents: number;
}

// Rows per statement: SQLite binds at most 32,766 values and PostgreSQL 65,535.
const CHUNK = 500;
// Candidates fetched per misspelled word before edit distance decides among them.
const CANDIDATES = 40;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** Moves the counts from a document's previous words to its new ones (either may be absent). */
export async function updateVocabulary(
  db: SearchDb,
  before: DocumentWords | null,
  after: DocumentWords | null,
): Promise<void> {
  const sameLocale = before !== null && after !== null && before.locale === after.locale;
  const previous = new Set(before?.words ?? []);
  const next = new Set(after?.words ?? []);
  if (before) {
    const removed = sameLocale ? before.words.filter((w) => !next.has(w)) : before.words;
    await removeWords(db, before.locale, removed);
  }
  if (after) {
    const added = sameLocale ? after.words.filter((w) => !previous.has(w)) : after.words;
    await addWords(db, after.locale, added);
  }
}

async function addWords(db: SearchDb, locale: HcLocale, words: readonly string[]): Promise<void> {
  // Sorted, so that concurrent writers on PostgreSQL take the row locks in one order.
  for (const chunk of chunks([...words].sort())) {
    const counted = await db
      .insertInto('hc_search_words')
      .values(chunk.map((word) => ({ locale, word, stem: stem(locale, word), documents: 1 })))
      .onConflict((oc) =>
        oc.columns(['locale', 'word']).doUpdateSet({ documents: sql`hc_search_words.documents + 1` }),
      )
      .returning(['word', 'documents'])
      .execute();
    const created = counted.filter((row) => Number(row.documents) === 1).map((row) => row.word);
    const rows = created.flatMap((word) => {
      const length = wordLength(word);
      return trigrams(word).map((trigram) => ({ locale, trigram, length, word }));
    });
    for (const part of chunks(rows))
      await db
        .insertInto('hc_search_trigrams')
        .values(part)
        .onConflict((oc) => oc.doNothing())
        .execute();
  }
}

async function removeWords(db: SearchDb, locale: HcLocale, words: readonly string[]): Promise<void> {
  for (const chunk of chunks([...words].sort())) {
    const counted = await db
      .updateTable('hc_search_words')
      .set({ documents: sql`documents - 1` })
      .where('locale', '=', locale)
      .where('word', 'in', chunk)
      .returning(['word', 'documents'])
      .execute();
    const unused = counted.filter((row) => Number(row.documents) <= 0).map((row) => row.word);
    if (unused.length === 0) continue;
    await db
      .deleteFrom('hc_search_trigrams')
      .where('locale', '=', locale)
      .where('word', 'in', unused)
      .execute();
    await db
      .deleteFrom('hc_search_words')
      .where('locale', '=', locale)
      .where('word', 'in', unused)
      .where('documents', '<=', 0)
      .execute();
  }
}

/** How many documents use each stem (summed over its surface words); a stem absent here is unknown. */
export async function stemFrequencies(
  db: SearchDb,
  locale: HcLocale,
  stems: readonly string[],
): Promise<Map<string, number>> {
  const frequencies = new Map<string, number>();
  if (stems.length === 0) return frequencies;
  const rows = await db
    .selectFrom('hc_search_words')
    .select(['stem', (eb) => eb.fn.sum<number>('documents').as('documents')])
    .where('locale', '=', locale)
    .where('stem', 'in', [...stems])
    .groupBy('stem')
    .execute();
  for (const row of rows) frequencies.set(row.stem, Number(row.documents));
  return frequencies;
}

/**
 * How far a word may be from its correction: words under 4 letters are too short to guess, and
 * words with digits are references (error codes, model numbers), not misspellings.
 */
export function allowedDistance(word: string): number {
  const length = wordLength(word);
  if (length < 4 || /\p{N}/u.test(word)) return 0;
  return length <= 5 ? 1 : 2;
}

/**
 * The vocabulary word closest to a word no document has: candidates share the most trigrams with
 * it (an indexed lookup, bounded by length since an edit changes it by one), the edit distance
 * decides, and between equally close words the one more documents use.
 */
export async function correctWord(db: SearchDb, locale: HcLocale, word: string): Promise<Correction | null> {
  const maxDistance = allowedDistance(word);
  if (maxDistance === 0) return null;
  const length = wordLength(word);
  const shared = db
    .selectFrom('hc_search_trigrams')
    .select(['word', (eb) => eb.fn.countAll<number>().as('shared')])
    .where('locale', '=', locale)
    .where('trigram', 'in', trigrams(word))
    .where('length', '>=', length - maxDistance)
    .where('length', '<=', length + maxDistance)
    .groupBy('word')
    .orderBy('shared', 'desc')
    .orderBy('word')
    .limit(CANDIDATES);
  const candidates = await db
    .selectFrom(shared.as('c'))
    .innerJoin('hc_search_words as w', (join) =>
      join.onRef('w.word', '=', 'c.word').on('w.locale', '=', locale),
    )
    .select(['w.word', 'w.stem', 'w.documents', 'c.shared'])
    .execute();
  let best: (Correction & { distance: number; shared: number }) | null = null;
  for (const candidate of candidates) {
    const d = distance(word, candidate.word);
    if (d > maxDistance) continue;
    const documents = Number(candidate.documents);
    const shared = Number(candidate.shared);
    if (
      !best ||
      d < best.distance ||
      (d === best.distance && documents > best.documents) ||
      (d === best.distance && documents === best.documents && shared > best.shared)
    )
      best = { word: candidate.word, stem: candidate.stem, documents, distance: d, shared };
  }
  return best && { word: best.word, stem: best.stem, documents: best.documents };
}
