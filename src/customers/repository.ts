import type { Kysely, Transaction } from 'kysely';
import type { DialectName } from '../db/database.js';
import { forUpdate } from '../db/dialect.js';
import type {
  Database,
  NewUser,
  OrganizationRow,
  SubscriptionRow,
  UserRow,
  UserUpdate,
} from '../db/tables.js';
import type { Cursor } from '../shared/pagination.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Organizations, their domains and subscriptions, and users. */
export class CustomersRepository {
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: DialectName,
  ) {}

  transaction<T>(work: (repo: CustomersRepository, trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(new CustomersRepository(trx, this.dialect), trx));
  }

  async insertOrganization(org: OrganizationRow, domains: string[]) {
    await this.db.insertInto('organizations').values(org).execute();
    await this.replaceDomains(org.id, domains);
  }

  async replaceDomains(organizationId: string, domains: string[]) {
    await this.db.deleteFrom('organization_domains').where('organization_id', '=', organizationId).execute();
    const unique = [...new Set(domains)];
    if (unique.length > 0) {
      await this.db
        .insertInto('organization_domains')
        .values(unique.map((domain) => ({ domain, organization_id: organizationId })))
        .execute();
    }
  }

  async updateOrganization(
    id: string,
    patch: Partial<Pick<OrganizationRow, 'name' | 'locale' | 'email_signup' | 'updated_at'>>,
  ) {
    await this.db.updateTable('organizations').set(patch).where('id', '=', id).execute();
  }

  /**
   * The active admins, locked until the transaction ends on PostgreSQL: the rows that guard the
   * last-admin rule, as lockOrganization guards the last contact.
   */
  lockActiveAdmins(): Promise<{ id: string }[]> {
    return forUpdate(
      this.dialect,
      this.db
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'admin')
        .where('deactivated_at', 'is', null)
        .orderBy('id'),
    ).execute();
  }

  findOrganization(id: string): Promise<OrganizationRow | undefined> {
    return this.db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Reads the organization and, on PostgreSQL, locks it until the transaction ends. */
  lockOrganization(id: string): Promise<OrganizationRow | undefined> {
    return forUpdate(
      this.dialect,
      this.db.selectFrom('organizations').selectAll().where('id', '=', id),
    ).executeTakeFirst();
  }

  listOrganizations(limit: number, after: Cursor | undefined): Promise<OrganizationRow[]> {
    let q = this.db.selectFrom('organizations').selectAll();
    if (after) {
      const name = String(after.k);
      q = q.where((eb) =>
        eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', after.id)])]),
      );
    }
    return q
      .orderBy('name')
      .orderBy('id')
      .limit(limit + 1)
      .execute();
  }

  async domainsOf(organizationIds: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>(organizationIds.map((id) => [id, []]));
    if (organizationIds.length === 0) return result;
    const rows = await this.db
      .selectFrom('organization_domains')
      .selectAll()
      .where('organization_id', 'in', organizationIds)
      .orderBy('domain')
      .execute();
    for (const row of rows) result.get(row.organization_id)?.push(row.domain);
    return result;
  }

  findDomainOwners(domains: string[]) {
    if (domains.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('organization_domains').selectAll().where('domain', 'in', domains).execute();
  }

  /** The subscription in force at an instant for each organization (the latest-starting one if terms overlap). */
  async activeSubscriptions(organizationIds: string[], at: number): Promise<Map<string, SubscriptionRow>> {
    const result = new Map<string, SubscriptionRow>();
    if (organizationIds.length === 0) return result;
    const rows = await this.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('organization_id', 'in', organizationIds)
      .where('term_start', '<=', at)
      .where('term_end', '>', at)
      .orderBy('term_start', 'desc')
      .execute();
    for (const row of rows) if (!result.has(row.organization_id)) result.set(row.organization_id, row);
    return result;
  }

  async insertSubscription(row: SubscriptionRow) {
    await this.db.insertInto('subscriptions').values(row).execute();
  }

  findSubscription(organizationId: string, id: string): Promise<SubscriptionRow | undefined> {
    return this.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('id', '=', id)
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
  }

  async updateSubscription(id: string, patch: { tier?: string; term_end?: number }) {
    await this.db.updateTable('subscriptions').set(patch).where('id', '=', id).execute();
  }

  overlappingSubscriptions(organizationId: string, start: number, end: number) {
    return this.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('term_start', '<', end)
      .where('term_end', '>', start)
      .execute();
  }

  listSubscriptions(organizationId: string) {
    return this.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .orderBy('term_start', 'desc')
      .limit(500)
      .execute();
  }

  async insertUser(user: NewUser) {
    await this.db.insertInto('users').values(user).execute();
  }

  findUser(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findUserByEmail(email: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
  }

  async updateUser(id: string, patch: UserUpdate) {
    await this.db.updateTable('users').set(patch).where('id', '=', id).execute();
  }

  async countActiveContacts(organizationId: string, excludingUserId: string): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organization_id', '=', organizationId)
      .where('role', '=', 'contact')
      .where('deactivated_at', 'is', null)
      .where('id', '!=', excludingUserId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  listUsers(
    filter: { organizationId?: string | undefined; role?: string | undefined; userId?: string | undefined },
    limit: number,
    after: Cursor | undefined,
  ): Promise<UserRow[]> {
    let q = this.db.selectFrom('users').selectAll();
    if (filter.organizationId) q = q.where('organization_id', '=', filter.organizationId);
    if (filter.role) q = q.where('role', '=', filter.role);
    if (filter.userId) q = q.where('id', '=', filter.userId);
    if (after) {
      const at = Number(after.k);
      q = q.where((eb) =>
        eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('id', '>', after.id)])]),
      );
    }
    return q
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit + 1)
      .execute();
  }

  async endUserAccess(userId: string) {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }
}

export type { Executor };
