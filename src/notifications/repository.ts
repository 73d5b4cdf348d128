import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Cursor } from '../shared/pagination.js';

/** A user's in-app notifications (SLA warnings, breaches, escalations), newest first. */
export class NotificationsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(userId: string, unreadOnly: boolean, limit: number, after: Cursor | undefined) {
    let q = this.db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
    if (unreadOnly) q = q.where('read_at', 'is', null);
    if (after) {
      const at = Number(after.k);
      q = q.where((eb) =>
        eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', after.id)])]),
      );
    }
    return q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
  }

  async markRead(userId: string, id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('notifications')
      .set({ read_at: now })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) return true;
    return (
      (await this.db
        .selectFrom('notifications')
        .select('id')
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst()) !== undefined
    );
  }
}
