import type { Kysely, Transaction } from 'kysely';
import { CustomersRepository } from '../customers/repository.js';
import type { DialectName } from '../db/database.js';
import type { Database, NewUser, UserRow } from '../db/tables.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** What a ticket import reads, and the users it adds through the customers' repository. */
export class TicketImportRepository {
  constructor(
    readonly db: Executor,
    readonly dialect: DialectName,
  ) {}

  withExecutor(executor: Executor) {
    return new TicketImportRepository(executor, this.dialect);
  }

  findImported(externalId: string): Promise<{ id: string; number: number } | undefined> {
    return this.db
      .selectFrom('tickets')
      .select(['id', 'number'])
      .where('external_id', '=', externalId)
      .executeTakeFirst();
  }

  /** Organizations with this name, exactly or ignoring letter case as the database compares it. */
  organizationsNamed(name: string): Promise<{ id: string; name: string }[]> {
    return this.db
      .selectFrom('organizations')
      .select(['id', 'name'])
      .where((eb) =>
        eb.or([
          eb('name', '=', name),
          eb(eb.fn<string>('lower', ['name']), '=', eb.fn<string>('lower', [eb.val(name)])),
        ]),
      )
      .orderBy('name')
      .limit(5)
      .execute();
  }

  organizationWithDomain(domain: string): Promise<{ id: string; name: string } | undefined> {
    return this.db
      .selectFrom('organization_domains as d')
      .innerJoin('organizations as o', 'o.id', 'd.organization_id')
      .select(['o.id', 'o.name'])
      .where('d.domain', '=', domain)
      .executeTakeFirst();
  }

  async organizationName(id: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('organizations')
      .select('name')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.name;
  }

  /** The tier of the subscription in force at an instant (the latest-starting one if terms overlap). */
  async subscribedTierAt(organizationId: string, at: number): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('subscriptions')
      .select('tier')
      .where('organization_id', '=', organizationId)
      .where('term_start', '<=', at)
      .where('term_end', '>', at)
      .orderBy('term_start', 'desc')
      .executeTakeFirst();
    return row?.tier;
  }

  /** The active admin with this email, or the desk's first active admin. */
  activeAdmin(email?: string): Promise<UserRow | undefined> {
    let query = this.db
      .selectFrom('users')
      .selectAll()
      .where('role', '=', 'admin')
      .where('deactivated_at', 'is', null);
    query = email
      ? query.where('email', '=', email.toLowerCase())
      : query.orderBy('created_at').orderBy('id');
    return query.limit(1).executeTakeFirst();
  }

  /** Users by (lower-case) email. */
  usersByEmail(emails: string[]): Promise<UserRow[]> {
    if (emails.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('users').selectAll().where('email', 'in', emails).execute();
  }

  /** A new authorized user of the ticket's organization, written by the customers context's repository. */
  async insertUser(user: NewUser) {
    await new CustomersRepository(this.db, this.dialect).insertUser(user);
  }
}
