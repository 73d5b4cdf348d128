import { formatDuration } from '../../policy/duration.js';
import { PRIORITIES, type Priority, type Tier } from '../../policy/tiers.js';
import type { PolicyVersion } from '../../policy/versions.js';
import { termsOf, type PolicyTermsResolver } from '../../sla/terms.js';
import type { ChatRepository } from './repository.js';

export type ChatLocale = 'en' | 'fr';

/** An agent's console counts as connected this long after its last sign of life. */
export const PRESENCE_WINDOW_MS = 90_000;

export interface ChatAvailabilityDeps {
  repo: ChatRepository;
  terms: PolicyTermsResolver;
  /** The support policy in force at an instant: its priority names and tier names. */
  policyAt: (at: number) => Promise<PolicyVersion>;
  /** Where a visitor may write instead of chatting. */
  supportEmail: string | null;
}

/** Who the promise is for: only a visitor the desk knows (signed in, or a signed token) is told theirs. */
export interface PromiseFor {
  verified: boolean;
  organizationId: string | null;
  tier: Tier | null;
  priority: Priority;
  locale: ChatLocale;
}

/**
 * What the chat button tells a visitor before and after they start: whether agents are online, the
 * policy's priority names in their language, where to write instead, and (to a verified visitor
 * only) the first-response target of their tier.
 */
export class ChatAvailability {
  constructor(private readonly deps: ChatAvailabilityDeps) {}

  async counts(now: number) {
    const [agentsOnline, queueLength] = await Promise.all([
      this.deps.repo.onlineCount(now - PRESENCE_WINDOW_MS),
      this.deps.repo.queueLength(),
    ]);
    return { agentsOnline, queueLength };
  }

  /** The public answer, the same for everyone: it says nothing about any organization. */
  async forVisitors(locale: ChatLocale, now: number) {
    const [counts, version] = await Promise.all([this.counts(now), this.deps.policyAt(now)]);
    const { priorities } = version.policy;
    return {
      ...counts,
      priorities: PRIORITIES.map((id) => ({ id, name: priorities[id].name[locale] })),
      email: this.deps.supportEmail,
    };
  }

  /**
   * The policy's first-response target for the visitor's tier and priority, in their language. An
   * unverified visitor typed an address anyone can type: what tier it matched is not theirs to learn,
   * so they are promised nothing tier-specific.
   */
  async promise(visitor: PromiseFor, now: number) {
    const { organizationId, tier, priority, locale } = visitor;
    if (!visitor.verified || !organizationId || !tier) return null;
    const executor = this.deps.repo.db;
    const version = await this.deps.terms.versionForTicket(
      { policy_version_id: null, organization_id: organizationId, created_at: now },
      executor,
    );
    const overrides = (await this.deps.terms.overrides([organizationId], executor)).get(organizationId);
    const first = termsOf(version, tier, priority, overrides).firstResponse;
    return {
      tier,
      tierName: version.policy.tiers[tier].name[locale],
      priority,
      label: first.overridden ? first.label : formatDuration(version.policy.targets[tier][priority], locale),
      clock: first.clock,
    };
  }
}
