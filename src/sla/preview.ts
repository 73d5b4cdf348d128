import type { Kysely } from 'kysely';
import { isStaff, type Principal } from '../auth/principal.js';
import type { Database } from '../db/tables.js';
import type { PolicyOverrides } from '../policy/overrides.js';
import type { Tier } from '../policy/tiers.js';
import type { PolicyVersion, PolicyVersions } from '../policy/versions.js';
import { notFound, unprocessable } from '../shared/problem.js';
import { parseInstant, toIso } from '../shared/time.js';
import { computeSla, type TargetTerm } from './engine.js';
import type { SimulateInput } from './schema.js';
import { termsOf, type PolicyTermsResolver } from './terms.js';

export interface SlaPreviewDeps {
  db: Kysely<Database>;
  versions: PolicyVersions;
  terms: PolicyTermsResolver;
  /** What the preview needs to know of an organization. */
  organizations: {
    exists(id: string): Promise<boolean>;
    tierAt(id: string, at: number): Promise<Tier>;
  };
}

const termView = (t: TargetTerm) => ({
  target: t.label,
  minutes: t.minutes,
  clock: t.clock,
  overridden: t.overridden,
});

/** The promise before a ticket exists: what the ticket form shows and what `accord policy simulate` prints. */
export class SlaPreview {
  constructor(private readonly deps: SlaPreviewDeps) {}

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
      if (!(await this.deps.organizations.exists(organizationId))) throw notFound('The organization');
      version = await this.deps.terms.versionForTicket(
        { policy_version_id: null, organization_id: organizationId, created_at: openedAt },
        this.deps.db,
      );
      overrides = (await this.deps.terms.overrides([organizationId], this.deps.db)).get(organizationId);
      tier ??= await this.deps.organizations.tierAt(organizationId, openedAt);
    } else {
      if (!tier) throw unprocessable('tier-required', 'Give a tier, or an organization whose tier applies.');
      version = await this.deps.versions.inForceAt(openedAt);
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
}
