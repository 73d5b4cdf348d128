import type { Kysely } from 'kysely';
import { isLeadOrAdmin, isStaff, type Principal } from '../auth/principal.js';
import type { Database } from '../db/tables.js';
import { forbidden, notFound, unprocessable } from '../shared/problem.js';
import { toIso, type Clock } from '../shared/time.js';
import { diffPolicies } from './diff.js';
import { assertApplicable, policyOverridesSchema, type PolicyOverrides } from './overrides.js';
import type { PolicyVersion, PolicyVersions } from './versions.js';
import { PolicyVersionsRepository } from './versions-repository.js';

/** The policy as the API shows it: versions, their differences, and contract overrides. */
export class PolicyService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly versions: PolicyVersions,
    private readonly clock: Clock,
  ) {}

  private repo() {
    return new PolicyVersionsRepository(this.db);
  }

  async current() {
    return this.presentVersion(await this.versions.inForceAt(this.clock()), true);
  }

  async listVersions() {
    return (await this.versions.list()).map((v) => this.presentVersion(v, false));
  }

  async diff(fromId: string, toId: string) {
    const [from, to] = await Promise.all([this.versions.find(fromId), this.versions.find(toId)]);
    if (!from || !to) throw notFound('The policy version');
    return { from: from.version, to: to.version, changes: diffPolicies(from.policy, to.policy) };
  }

  async getOverrides(actor: Principal, organizationId: string) {
    if (!isStaff(actor) && !(actor.role === 'contact' && actor.organizationId === organizationId))
      throw notFound('The organization');
    await this.assertOrganization(organizationId);
    const row = (await this.repo().overridesFor([organizationId]))[0];
    return {
      organizationId,
      overrides: row ? policyOverridesSchema.parse(JSON.parse(row.overrides)) : {},
      reason: row?.reason ?? null,
      updatedAt: row ? toIso(row.updated_at) : null,
    };
  }

  /** Records what an organization's Agreement changes in the policy; the change applies to its open tickets at their next update. */
  async setOverrides(actor: Principal, organizationId: string, overrides: PolicyOverrides, reason: string) {
    if (!isLeadOrAdmin(actor)) throw forbidden('Only leads and admins record contract overrides.');
    await this.assertOrganization(organizationId);
    // Measure every duration now, so an override that cannot be used is refused here, not at a ticket.
    const version = await this.versions.inForceAt(this.clock());
    try {
      assertApplicable(version.policy, overrides);
    } catch (error) {
      throw unprocessable(
        'invalid-override',
        `This override cannot be applied: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await this.repo().saveOverrides({
      organization_id: organizationId,
      overrides: JSON.stringify(overrides),
      reason,
      updated_at: this.clock(),
      updated_by: actor.userId,
    });
    return this.getOverrides(actor, organizationId);
  }

  async deleteOverrides(actor: Principal, organizationId: string) {
    if (!isLeadOrAdmin(actor)) throw forbidden('Only leads and admins record contract overrides.');
    await this.assertOrganization(organizationId);
    await this.repo().deleteOverrides(organizationId);
  }

  private async assertOrganization(id: string) {
    if (!(await this.db.selectFrom('organizations').select('id').where('id', '=', id).executeTakeFirst()))
      throw notFound('The organization');
  }

  private presentVersion(v: PolicyVersion, withPolicy: boolean) {
    return {
      id: v.id,
      policyId: v.policy.id,
      version: v.version,
      effectiveFrom: toIso(v.effectiveFrom),
      ...(withPolicy ? { policy: v.policy as unknown as Record<string, unknown> } : {}),
    };
  }
}
