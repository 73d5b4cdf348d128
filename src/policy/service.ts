import type { Kysely } from 'kysely';
import { isLeadOrAdmin, isStaff, type Principal } from '../auth/principal.js';
import type { Database } from '../db/tables.js';
import { conflict, forbidden, notFound, unprocessable } from '../shared/problem.js';
import { parseInstant, toIso, type Clock } from '../shared/time.js';
import { diffPolicies } from './diff.js';
import { PolicyError } from './load.js';
import { assertApplicable, policyOverridesSchema, type PolicyOverrides } from './overrides.js';
import {
  PolicyPublishError,
  PolicyRegressionError,
  type PolicyVersion,
  type PolicyVersions,
  type PublishPreview,
  type PublishResult,
} from './versions.js';
import { PolicyVersionsRepository } from './versions-repository.js';

/** A new version as an admin sends it: the policy file's text and when it takes effect. */
export interface PublishRequest {
  source: string;
  /** An ISO 8601 date (midnight UTC) or date-time, not before now. */
  effective: string;
  /** Consent to a version that lowers a service level (publish only). */
  allowRegression: boolean;
}

/** The policy as the API shows it: versions, their differences, publishing, and contract overrides. */
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

  /** What publishing would change and who would keep their version; nothing is written. */
  async previewVersion(actor: Principal, request: PublishRequest) {
    this.assertMayPublish(actor, request.effective);
    const preview = await asProblem(() =>
      this.versions.preview(request.source, { effective: request.effective }),
    );
    return {
      version: {
        policyId: preview.policy.id,
        version: preview.policy.version,
        effectiveFrom: toIso(preview.effectiveFrom),
      },
      ...this.presentPublication(preview),
    };
  }

  /** Publishes a new version, recording the admin who did; a lowering one needs `allowRegression`. */
  async publishVersion(actor: Principal, request: PublishRequest) {
    this.assertMayPublish(actor, request.effective);
    const published = await asProblem(() =>
      this.versions.publish(request.source, {
        effective: request.effective,
        allowRegression: request.allowRegression,
        publishedBy: actor.userId,
      }),
    );
    return {
      version: this.presentVersion(published.version, false),
      ...this.presentPublication(published),
    };
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

  /**
   * Only admins publish. A version takes effect now or later: backdating would change the promise
   * of terms that started under another version (the command line may, for an operator's repair).
   */
  private assertMayPublish(actor: Principal, effective: string) {
    if (actor.role !== 'admin') throw forbidden('Only admins publish policy versions.');
    const effectiveFrom = parseInstant(effective);
    if (effectiveFrom < this.clock())
      throw unprocessable(
        'effective-date-passed',
        `The effective date ${toIso(effectiveFrom)} has passed; a new version takes effect now or later.`,
      );
  }

  private presentPublication(p: PublishPreview | PublishResult) {
    return { from: p.previous.version, changes: p.changes, lowering: p.lowering, affected: p.affected };
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

/** The versions service's refusals, as the API answers them. */
async function asProblem<T>(publishing: () => Promise<T>): Promise<T> {
  try {
    return await publishing();
  } catch (error) {
    if (error instanceof PolicyError)
      throw unprocessable(
        'invalid-policy',
        `The file is not a valid support policy: ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}.`,
        { problems: error.problems },
      );
    if (error instanceof PolicyPublishError)
      throw conflict('version-published', error.message, error.version ? { version: error.version } : {});
    if (error instanceof PolicyRegressionError)
      throw unprocessable(
        'lowers-service-level',
        `This version lowers the service level for ${error.lowering.length} item${error.lowering.length === 1 ? '' : 's'}, which section 6 of the policy forbids during a customer's term. Send allowRegression: true to publish it anyway: subscriptions in their term keep their current version until renewal.`,
        { lowering: error.lowering },
      );
    throw error;
  }
}
