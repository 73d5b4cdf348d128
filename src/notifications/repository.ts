import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/tables.js';
import { newId } from '../shared/ids.js';
import type { Cursor } from '../shared/pagination.js';

/** One in-app notice to one staff member. */
export interface NewNotification {
  userId: string;
  ticketId: string | null;
  kind: string;
  title: string;
  body: string;
  at: number;
}

/** Users' in-app notifications (SLA warnings, breaches, escalations, fair-use alerts), newest first. */
export class NotificationsRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  withExecutor(executor: Kysely<Database> | Transaction<Database>) {
    return new NotificationsRepository(executor);
  }

  async insert(rows: NewNotification[]) {
    if (rows.length === 0) return;
    await this.db
      .insertInto('notifications')
      .values(
        rows.map((r) => ({
          id: newId(),
          user_id: r.userId,
          ticket_id: r.ticketId,
          kind: r.kind,
          title: r.title,
          body: r.body,
          created_at: r.at,
          read_at: null,
        })),
      )
      .execute();
  }

  /**
   * Tells active staff, by id and by role (e.g. the member of staff a mail claims to be and the
   * leads and admins who review the spam folder), each person once.
   */
  async toStaff(
    who: { ids?: string[]; roles?: string[] },
    notice: Omit<NewNotification, 'userId'>,
  ): Promise<number> {
    const ids = who.ids ?? [];
    const roles = who.roles ?? [];
    if (ids.length === 0 && roles.length === 0) return 0;
    const staff = await this.db
      .selectFrom('users')
      .select('id')
      .where('role', 'in', ['agent', 'lead', 'admin'])
      .where('deactivated_at', 'is', null)
      .where((eb) =>
        eb.or([
          ...(ids.length ? [eb('id', 'in', ids)] : []),
          ...(roles.length ? [eb('role', 'in', roles)] : []),
        ]),
      )
      .limit(1000)
      .execute();
    await this.insert(staff.map((u) => ({ ...notice, userId: u.id })));
    return staff.length;
  }

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
