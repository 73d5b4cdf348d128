import type { Kysely, Transaction } from 'kysely';
import type { Database, PolicyVersionRow } from '../db/tables.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Published policy versions, contract overrides, and the subscriptions that keep a version. */
export class PolicyVersionsRepository {
  constructor(readonly db: Executor) {}

  async insert(row: PolicyVersionRow) {
    await this.db.insertInto('policy_versions').values(row).execute();
  }

  /** Every version of a policy, oldest first; a policy has a handful, never a table's worth. */
  list(policyId?: string): Promise<PolicyVersionRow[]> {
    let q = this.db.selectFrom('policy_versions').selectAll();
    if (policyId) q = q.where('policy_id', '=', policyId);
    return q.orderBy('effective_from').orderBy('published_at').limit(1000).execute();
  }

  find(id: string): Promise<PolicyVersionRow | undefined> {
    return this.db.selectFrom('policy_versions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByVersion(policyId: string, version: string): Promise<PolicyVersionRow | undefined> {
    return this.db
      .selectFrom('policy_versions')
      .selectAll()
      .where('policy_id', '=', policyId)
      .where('version', '=', version)
      .executeTakeFirst();
  }

  /** Subscriptions still running at `at`, with their organization, for the publish report. */
  activeSubscriptions(at: number) {
    return this.db
      .selectFrom('subscriptions as s')
      .innerJoin('organizations as o', 'o.id', 's.organization_id')
      .select([
        's.id',
        's.organization_id',
        'o.name as organization_name',
        's.tier',
        's.term_start',
        's.term_end',
        's.policy_version_id',
      ])
      .where('s.term_end', '>', at)
      .orderBy('s.term_end')
      .execute();
  }

  async pinSubscription(subscriptionId: string, policyVersionId: string) {
    await this.db
      .updateTable('subscriptions')
      .set({ policy_version_id: policyVersionId })
      .where('id', '=', subscriptionId)
      .execute();
  }

  /** The subscription in force for an organization at an instant (the latest-starting one). */
  subscriptionAt(organizationId: string, at: number) {
    return this.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('term_start', '<=', at)
      .where('term_end', '>', at)
      .orderBy('term_start', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  overridesFor(organizationIds: string[]) {
    if (organizationIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('policy_overrides')
      .selectAll()
      .where('organization_id', 'in', organizationIds)
      .execute();
  }

  async saveOverrides(row: {
    organization_id: string;
    overrides: string;
    reason: string;
    updated_at: number;
    updated_by: string | null;
  }) {
    await this.db
      .insertInto('policy_overrides')
      .values(row)
      .onConflict((oc) =>
        oc.column('organization_id').doUpdateSet({
          overrides: row.overrides,
          reason: row.reason,
          updated_at: row.updated_at,
          updated_by: row.updated_by,
        }),
      )
      .execute();
  }

  async deleteOverrides(organizationId: string) {
    await this.db.deleteFrom('policy_overrides').where('organization_id', '=', organizationId).execute();
  }
}
