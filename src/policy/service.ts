import type { Kysely } from 'kysely';
import { isLeadOrAdmin, isStaff, type Principal } from '../auth/principal.js';
import type { Database } from '../db/tables.js';
import { computeSla, type TargetTerm } from '../sla/engine.js';
import { termsOf, type PolicyTermsResolver } from '../sla/terms.js';
import { forbidden, notFound, unprocessable } from '../shared/problem.js';
import { parseInstant, toIso, type Clock } from '../shared/time.js';
import { diffPolicies } from './diff.js';
import { policyOverridesSchema, type PolicyOverrides } from './overrides.js';
import { DEFAULT_TIER, type Priority, type Tier } from './tiers.js';
import type { PolicyVersion, PolicyVersions } from './versions.js';
import { PolicyVersionsRepository } from './versions-repository.js';

export interface SimulateInput {
  tier?: Tier | undefined;
  priority: Priority;
  openedAt: string;
  organizationId?: string | undefined;
}

const termView = (t: TargetTerm) => ({
  target: t.label,
  minutes: t.minutes,
  clock: t.clock,
  overridden: t.overridden,
});

/** The policy as the API shows it: versions, the preview of due times, and contract overrides. */
export class PolicyService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly versions: PolicyVersions,
    private readonly resolver: PolicyTermsResolver,
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

  /**
   * The due times a ticket would get: the first response (with its target and clock), and for P0 the
   * update cadence and the first escalations. With an organization, its subscription's policy version
   * and its contract overrides apply.
   */
  async simulate(actor: Principal | null, input: SimulateInput) {
    if (actor && !isStaff(actor) && input.organizationId && input.organizationId !== actor.organizationId) {
      throw notFound('The organization');
    }
    const organizationId =
      actor && !isStaff(actor) ? (actor.organizationId ?? undefined) : input.organizationId;
    const openedAt = parseInstant(input.openedAt);
    let version: PolicyVersion;
    let overrides: PolicyOverrides | undefined;
    let tier = input.tier;
    if (organizationId) {
      if (
        !(await this.db
          .selectFrom('organizations')
          .select('id')
          .where('id', '=', organizationId)
          .executeTakeFirst())
      ) {
        throw notFound('The organization');
      }
      version = await this.resolver.versionForTicket(
        { policy_version_id: null, organization_id: organizationId, created_at: openedAt },
        this.db,
      );
      overrides = (await this.resolver.overrides([organizationId], this.db)).get(organizationId);
      tier ??=
        ((await this.repo().subscriptionAt(organizationId, openedAt))?.tier as Tier | undefined) ??
        DEFAULT_TIER;
    } else {
      if (!tier) throw unprocessable('tier-required', 'Give a tier, or an organization whose tier applies.');
      version = await this.versions.inForceAt(openedAt);
    }
    const terms = termsOf(version, tier, input.priority, overrides);
    const state = computeSla(
      terms,
      { openedAt, staffPublicReplies: [], statuses: [{ at: openedAt, status: 'new' }] },
      openedAt,
    );
    const p0 = terms.p0;
    return {
      policyVersion: version.version,
      tier,
      priority: input.priority,
      openedAt: toIso(openedAt),
      organizationId: organizationId ?? null,
      firstResponse: {
        ...termView(terms.firstResponse),
        dueAt: toIso(state.firstResponse.dueAt),
        warningAt: toIso(state.firstResponse.warnAt),
      },
      resolution: state.resolution
        ? { ...termView(state.resolution.term), dueAt: toIso(state.resolution.dueAt) }
        : null,
      updates: p0
        ? {
            ...termView(p0.updateEvery),
            description: `after the first response, every ${p0.updateEvery.label} until resolved`,
          }
        : null,
      escalations: p0
        ? {
            first: termView(p0.escalationFirst),
            every: termView(p0.escalationEvery),
            next: [0, 1, 2].map((k) =>
              toIso(openedAt + (p0.escalationFirst.minutes + k * p0.escalationEvery.minutes) * 60_000),
            ),
          }
        : null,
      calendar: { timeZone: terms.calendar.spec.timeZone },
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
      for (const priority of ['P0', 'P1', 'P2', 'P3'] as const)
        termsOf(version, 'basic', priority, overrides);
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
