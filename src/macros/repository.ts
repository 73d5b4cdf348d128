import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, MacroTable } from '../db/tables.js';

export type MacroRow = Selectable<MacroTable>;
export type MacroWithAssignee = MacroRow & { assignee_name: string | null };

/** Macros: the one library of saved replies and actions (the chat's canned replies included). */
export class MacrosRepository {
  constructor(readonly db: Kysely<Database>) {}

  private select() {
    return this.db
      .selectFrom('macros as m')
      .leftJoin('users as a', 'a.id', 'm.assignee_id')
      .selectAll('m')
      .select('a.name as assignee_name');
  }

  /** The shared macros and those of this owner, by title; `q` matches the title or a text, literally. */
  list(
    ownerId: string,
    query: { q?: string | undefined; textOnly?: boolean; language?: 'en' | 'fr' | undefined },
    limit: number,
  ): Promise<MacroWithAssignee[]> {
    let q = this.select().where((eb) =>
      eb.or([eb('m.owner_id', 'is', null), eb('m.owner_id', '=', ownerId)]),
    );
    if (query.textOnly)
      q = q
        .where('m.status', 'is', null)
        .where('m.priority', 'is', null)
        .where('m.assignee_id', 'is', null)
        .where('m.tags', '=', '[]')
        .where('m.visibility', '=', 'public')
        .where((eb) => eb.or([eb('m.body_en', 'is not', null), eb('m.body_fr', 'is not', null)]));
    if (query.language) q = q.where(query.language === 'en' ? 'm.body_en' : 'm.body_fr', 'is not', null);
    if (query.q) {
      const pattern = `%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const like = sql<string>`${pattern} escape '\\'`;
      q = q.where((eb) =>
        eb.or([
          eb(sql`lower(m.title)`, 'like', like),
          eb(sql`lower(m.body_en)`, 'like', like),
          eb(sql`lower(m.body_fr)`, 'like', like),
        ]),
      );
    }
    return q.orderBy('m.title').orderBy('m.id').limit(limit).execute();
  }

  find(id: string): Promise<MacroWithAssignee | undefined> {
    return this.select().where('m.id', '=', id).executeTakeFirst();
  }

  async insert(row: MacroRow) {
    await this.db.insertInto('macros').values(row).execute();
  }

  async update(id: string, patch: Partial<Omit<MacroRow, 'id'>>) {
    await this.db.updateTable('macros').set(patch).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('macros').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
