import type { Kysely, Transaction } from 'kysely';
import type { Database, SupportLimitTable } from '../../db/tables.js';

type Executor = Kysely<Database> | Transaction<Database>;

export type LimitRow = SupportLimitTable & { created_by_name: string | null };

/** Statuses in which a ticket still asks something of support. */
const OPEN_STATUSES = ['new', 'open', 'waiting_on_customer'];

/** Support limits, and what the filing check counts: an organization's open and recent tickets. */
export class LimitsRepository {
  constructor(readonly db: Executor) {}

  withExecutor(executor: Executor) {
    return new LimitsRepository(executor);
  }

  private limits() {
    return this.db
      .selectFrom('support_limits as l')
      .leftJoin('users as u', 'u.id', 'l.created_by')
      .selectAll('l')
      .select('u.name as created_by_name');
  }

  async insert(row: SupportLimitTable) {
    await this.db.insertInto('support_limits').values(row).execute();
  }

  find(organizationId: string, id: string): Promise<LimitRow | undefined> {
    return this.limits()
      .where('l.id', '=', id)
      .where('l.organization_id', '=', organizationId)
      .executeTakeFirst();
  }

  /** An organization's limits, newest first; with `activeAt`, only those in force then. */
  list(organizationId: string, activeAt?: number): Promise<LimitRow[]> {
    let query = this.limits().where('l.organization_id', '=', organizationId);
    if (activeAt !== undefined)
      query = query
        .where('l.lifted_at', 'is', null)
        .where('l.starts_at', '<=', activeAt)
        .where((eb) => eb.or([eb('l.ends_at', 'is', null), eb('l.ends_at', '>', activeAt)]));
    return query.orderBy('l.created_at', 'desc').orderBy('l.id', 'desc').limit(500).execute();
  }

  /** Lifts a limit still in force; false when it was lifted meanwhile. */
  async lift(id: string, by: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('support_limits')
      .set({ lifted_at: at, lifted_by: by })
      .where('id', '=', id)
      .where('lifted_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async openTickets(organizationId: string): Promise<number> {
    const row = await this.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organization_id', '=', organizationId)
      .where('status', 'in', OPEN_STATUSES)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async filedSince(organizationId: string, since: number): Promise<number> {
    const row = await this.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organization_id', '=', organizationId)
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** When the organization's n-th ticket since an instant was opened (0: the oldest). */
  async nthFiledSince(organizationId: string, since: number, n: number): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('tickets')
      .select('created_at')
      .where('organization_id', '=', organizationId)
      .where('created_at', '>=', since)
      .orderBy('created_at')
      .offset(n)
      .limit(1)
      .executeTakeFirst();
    return row ? Number(row.created_at) : undefined;
  }

  /** The lead a P0 over a limit goes to: the longest-serving active lead, else an admin. */
  async firstLead(): Promise<{ id: string; name: string } | undefined> {
    for (const role of ['lead', 'admin']) {
      const user = await this.db
        .selectFrom('users')
        .select(['id', 'name'])
        .where('role', '=', role)
        .where('deactivated_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .executeTakeFirst();
      if (user) return user;
    }
    return undefined;
  }
}
