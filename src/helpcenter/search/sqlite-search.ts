import { sql } from 'kysely';
import type { PageRequest, PageRow, SearchDb, SearchEngine } from './types.js';

/**
 * SQLite's engine: an FTS5 table of stems computed in JavaScript (FTS5's own porter tokenizer only
 * knows English), ranked by bm25 with the title weighing more than the body.
 */

// bm25 column weights: (title, body).
const TITLE_WEIGHT = 5;
const BODY_WEIGHT = 1;

/**
 * An FTS5 expression in which every term is a quoted string, its quotes doubled: whatever the
 * visitor typed, MATCH sees no operator, column filter, NEAR or prefix star of theirs.
 */
export function matchExpression(stems: readonly string[], mode: 'all' | 'any'): string {
  return stems.map((s) => `"${s.replaceAll('"', '""')}"`).join(mode === 'all' ? ' AND ' : ' OR ');
}

export const sqliteEngine: SearchEngine = {
  async saveDocument(db, existingId, row, analysed) {
    let id: number;
    if (existingId === null) {
      const inserted = await db
        .insertInto('hc_search_documents')
        .values(row)
        .returning('id')
        .executeTakeFirstOrThrow();
      id = inserted.id;
    } else {
      id = existingId;
      await db.updateTable('hc_search_documents').set(row).where('id', '=', id).execute();
      await db.deleteFrom('hc_search_fts').where('rowid', '=', id).execute();
    }
    await db
      .insertInto('hc_search_fts')
      .values({ rowid: id, title: analysed.titleStems, body: analysed.textStems })
      .execute();
  },

  async deleteDocument(db, id) {
    await db.deleteFrom('hc_search_fts').where('rowid', '=', id).execute();
    await db.deleteFrom('hc_search_documents').where('id', '=', id).execute();
  },

  async page(db: SearchDb, request: PageRequest) {
    const stems = request.terms.map((t) => t.stem).filter((s) => s.length > 0);
    if (stems.length === 0) return { rows: [], total: 0 };
    // FTS5 takes MATCH and bm25 on the table's own name, never on an alias, and bm25 only where the
    // full-text query drives the scan: the ranked matches are materialized first, then filtered.
    // The filter reads the narrow visibility index, not the rows that hold the texts (the planner
    // would look each match up by rowid in the table itself).
    const matches = sql`with m as materialized (
        select rowid, -bm25(hc_search_fts, ${sql.lit(TITLE_WEIGHT)}, ${sql.lit(BODY_WEIGHT)}) as score
        from hc_search_fts where hc_search_fts match ${matchExpression(stems, request.mode)}
      )`;
    const visible = sql`m inner join hc_search_documents as d indexed by hc_search_documents_visible_idx
      on d.id = m.rowid
      where d.locale = ${request.locale} and ${request.visible}`;
    // Ranked and counted on (id, score) alone; the texts are read for the page's rows only.
    const { rows } = await sql<PageRow & { id: number; total: number }>`${matches}
      select hit.translation_id, hit.article_id, hit.kind, hit.title, hit.body, p.score, p.total
      from (
        select d.id, m.score, count(*) over () as total from ${visible}
        order by m.score desc, d.id limit ${request.limit} offset ${request.offset}
      ) as p
      inner join hc_search_documents as hit on hit.id = p.id
      order by p.score desc, p.id`.execute(db);
    let total = Number(rows[0]?.total ?? 0);
    if (rows.length === 0 && request.offset > 0) {
      const counted = await sql<{ n: number }>`${matches} select count(*) as n from ${visible}`.execute(db);
      total = Number(counted.rows[0]?.n ?? 0);
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
