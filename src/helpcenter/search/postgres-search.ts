import { sql, type SqlBool } from 'kysely';
import type { AnalysedDocument, HcLocale, PageRequest, PageRow, SearchDb, SearchEngine } from './types.js';

/**
 * PostgreSQL's engine: a weighted tsvector (title A, body B) under a GIN index, stemmed by the
 * locale's Snowball configuration. It is fed accent-folded text, since the unaccent extension may
 * not be installed, and ranked with ts_rank_cd (ts_rank for the many alternatives of 'any' mode).
 */

const CONFIGURATIONS: Record<HcLocale, string> = { en: 'english', fr: 'french' };

// ts_rank_cd weights for D, C, B, A: a title word counts several times a body word.
const WEIGHTS = '{0.05, 0.1, 0.25, 1.0}';
// Divides the rank by 1 + log(length): a short article about the words beats a long one that mentions them.
const NORMALIZATION = 1;

function configuration(locale: HcLocale) {
  return sql`${CONFIGURATIONS[locale]}::regconfig`;
}

function searchVector(locale: HcLocale, analysed: AnalysedDocument) {
  const cfg = configuration(locale);
  return sql<string>`setweight(to_tsvector(${cfg}, ${analysed.foldedTitle}), 'A') || setweight(to_tsvector(${cfg}, ${analysed.foldedText}), 'B')`;
}

/**
 * to_tsquery text from analysed words: each a quoted lexeme of letters and digits only, so that no
 * operator, weight or prefix of the visitor's reaches the parser.
 */
export function tsqueryText(words: readonly string[], mode: 'all' | 'any'): string {
  return words
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter((w) => w.length > 0)
    .map((w) => `'${w}'`)
    .join(mode === 'all' ? ' & ' : ' | ');
}

export const postgresEngine: SearchEngine = {
  async saveDocument(db, existingId, row, analysed) {
    const values = { ...row, search_vector: searchVector(row.locale, analysed) };
    if (existingId === null) await db.insertInto('hc_search_documents').values(values).execute();
    else await db.updateTable('hc_search_documents').set(values).where('id', '=', existingId).execute();
  },

  async deleteDocument(db, id) {
    await db.deleteFrom('hc_search_documents').where('id', '=', id).execute();
  },

  async page(db: SearchDb, request: PageRequest) {
    const text = tsqueryText(
      request.terms.map((t) => t.word),
      request.mode,
    );
    if (text.length === 0) return { rows: [], total: 0 };
    const query = sql`to_tsquery(${configuration(request.locale)}, ${text})`;
    // Cover density rewards the words standing close together, which is what a site search means;
    // with a ticket's many alternatives it costs several times more and ts_rank ranks as well.
    const rank =
      request.mode === 'all'
        ? sql<number>`ts_rank_cd(${WEIGHTS}::float4[], d.search_vector, ${query}, ${sql.lit(NORMALIZATION)})`
        : sql<number>`ts_rank(${WEIGHTS}::float4[], d.search_vector, ${query}, ${sql.lit(NORMALIZATION)})`;
    const visible = db
      .selectFrom('hc_search_documents as d')
      .where(sql<SqlBool>`d.search_vector @@ ${query}`)
      .where('d.locale', '=', request.locale)
      .where(request.visible);
    // Ranked and counted on (id, score) alone; the texts are read for the page's rows only.
    const rows = await db
      .selectFrom(
        visible
          .select(['d.id', rank.as('score'), sql<number>`count(*) over ()`.as('total')])
          .orderBy('score', 'desc')
          .orderBy('d.id')
          .limit(request.limit)
          .offset(request.offset)
          .as('p'),
      )
      .innerJoin('hc_search_documents as hit', 'hit.id', 'p.id')
      .select([
        'hit.translation_id',
        'hit.article_id',
        'hit.kind',
        'hit.title',
        'hit.body',
        'p.score',
        'p.total',
      ])
      .orderBy('p.score', 'desc')
      .orderBy('p.id')
      .execute();
    let total = Number(rows[0]?.total ?? 0);
    if (rows.length === 0 && request.offset > 0) {
      const counted = await visible.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      total = Number(counted?.n ?? 0);
    }
    return {
      rows: rows.map((r): PageRow => ({
        translation_id: r.translation_id,
        article_id: r.article_id,
        kind: r.kind,
        title: r.title,
        body: r.body,
        score: Number(r.score),
      })),
      total,
    };
  },
};
