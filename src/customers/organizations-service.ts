import { isStaff, isLeadOrAdmin, type Principal } from '../auth/principal.js';
import { isUniqueViolation } from '../db/dialect.js';
import { DEFAULT_TIER, TIERS, type Tier } from '../policy/tiers.js';
import { newId } from '../shared/ids.js';
import { decodeCursor, toPage } from '../shared/pagination.js';
import { conflict, forbidden, notFound } from '../shared/problem.js';
import { parseInstant, type Clock } from '../shared/time.js';
import { presentOrganization, presentSubscription } from './presenters.js';
import type { CustomersRepository } from './repository.js';
import type { OrganizationCreate, OrganizationUpdate } from './schema.js';

export interface SubscriptionInput {
  tier: Tier;
  termStart: string;
  termEnd: string;
}

/** Customer organizations and their support subscriptions. */
export class OrganizationsService {
  constructor(
    private readonly repo: CustomersRepository,
    private readonly clock: Clock,
  ) {}

  private requireManager(actor: Principal | null) {
    if (actor && !isLeadOrAdmin(actor)) throw forbidden('Only leads and admins manage organizations.');
  }

  /** Staff see every organization; a customer sees only their own, and any other is "not found". */
  private assertVisible(actor: Principal, organizationId: string) {
    if (!isStaff(actor) && actor.organizationId !== organizationId) throw notFound('The organization');
  }

  async exists(organizationId: string): Promise<boolean> {
    return (await this.repo.findOrganization(organizationId)) !== undefined;
  }

  /** The tier an organization is served at, at an instant: its active subscription's, or basic. */
  async tierAt(organizationId: string, at: number): Promise<Tier> {
    const subs = await this.repo.activeSubscriptions([organizationId], at);
    return (subs.get(organizationId)?.tier as Tier | undefined) ?? DEFAULT_TIER;
  }

  /** `actor` null is the operator at the command line or the demo seed. */
  async create(actor: Principal | null, input: OrganizationCreate) {
    this.requireManager(actor);
    const now = this.clock();
    const org = {
      id: newId(),
      name: input.name,
      locale: input.locale,
      email_signup: input.emailSignup ? 1 : 0,
      created_at: now,
      updated_at: now,
    };
    await this.assertDomainsFree(input.domains, org.id);
    try {
      await this.repo.transaction(async (repo) => {
        await repo.insertOrganization(org, input.domains);
        if (input.subscription)
          await repo.insertSubscription(this.subscriptionRow(org.id, input.subscription, now));
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw conflict('domain-taken', 'One of these domains already belongs to another organization.');
      throw error;
    }
    return this.get(null, org.id);
  }

  async get(actor: Principal | null, id: string) {
    if (actor) this.assertVisible(actor, id);
    const org = await this.repo.findOrganization(id);
    if (!org) throw notFound('The organization');
    const [domains, subs] = await Promise.all([
      this.repo.domainsOf([id]),
      this.repo.activeSubscriptions([id], this.clock()),
    ]);
    return presentOrganization(org, domains.get(id) ?? [], subs.get(id));
  }

  async list(actor: Principal, limit: number, cursor: string | undefined) {
    if (!isStaff(actor)) {
      // A customer's list is their own organization.
      return {
        data: actor.organizationId ? [await this.get(actor, actor.organizationId)] : [],
        nextCursor: null,
      };
    }
    const rows = await this.repo.listOrganizations(limit, decodeCursor(cursor, 'string'));
    const ids = rows.slice(0, limit).map((r) => r.id);
    const [domains, subs] = await Promise.all([
      this.repo.domainsOf(ids),
      this.repo.activeSubscriptions(ids, this.clock()),
    ]);
    return toPage(
      rows,
      limit,
      (org) => presentOrganization(org, domains.get(org.id) ?? [], subs.get(org.id)),
      (org) => ({ k: org.name, id: org.id }),
    );
  }

  private readonly renameListeners: ((organizationId: string) => Promise<void>)[] = [];

  /** Tells another context (ticket search) when an organization's name changed, once it is saved. */
  onRenamed(listener: (organizationId: string) => Promise<void>): void {
    this.renameListeners.push(listener);
  }

  async update(actor: Principal, id: string, patch: OrganizationUpdate) {
    this.requireManager(actor);
    const org = await this.repo.findOrganization(id);
    if (!org) throw notFound('The organization');
    if (patch.domains) await this.assertDomainsFree(patch.domains, id);
    try {
      await this.repo.transaction(async (repo) => {
        await repo.updateOrganization(id, {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
          ...(patch.emailSignup !== undefined ? { email_signup: patch.emailSignup ? 1 : 0 } : {}),
          updated_at: this.clock(),
        });
        if (patch.domains) await repo.replaceDomains(id, patch.domains);
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw conflict('domain-taken', 'One of these domains already belongs to another organization.');
      throw error;
    }
    if (patch.name !== undefined && patch.name !== org.name)
      for (const listener of this.renameListeners) await listener(id);
    return this.get(actor, id);
  }

  async addSubscription(actor: Principal | null, organizationId: string, input: SubscriptionInput) {
    this.requireManager(actor);
    const now = this.clock();
    const row = this.subscriptionRow(organizationId, input, now);
    return this.repo.transaction(async (repo) => {
      if (!(await repo.lockOrganization(organizationId))) throw notFound('The organization');
      const overlapping = await repo.overlappingSubscriptions(organizationId, row.term_start, row.term_end);
      if (overlapping.length > 0) {
        throw conflict(
          'subscription-overlap',
          'This term overlaps an existing subscription term of the organization.',
          {
            overlapping: overlapping.map(presentSubscription),
          },
        );
      }
      await repo.insertSubscription(row);
      return presentSubscription(row);
    });
  }

  /**
   * Changes the tier of a subscription. A term not yet started simply takes the new tier. A running
   * term can only be raised: it ends now and a term at the higher tier runs from now to its end, so
   * the record keeps which tier served which moment. Lowering a running term is refused: the
   * customer keeps the level bought for the term (section 6), and a lower tier starts at renewal.
   */
  async changeTier(actor: Principal | null, organizationId: string, subscriptionId: string, tier: Tier) {
    this.requireManager(actor);
    const now = this.clock();
    return this.repo.transaction(async (repo) => {
      if (!(await repo.lockOrganization(organizationId))) throw notFound('The organization');
      const sub = await repo.findSubscription(organizationId, subscriptionId);
      if (!sub) throw notFound('The subscription');
      if (sub.tier === tier) return presentSubscription(sub);
      if (sub.term_end <= now)
        throw conflict('subscription-ended', 'This term has ended; add a new subscription instead.');
      if (sub.term_start > now) {
        await repo.updateSubscription(sub.id, { tier });
        return presentSubscription({ ...sub, tier });
      }
      if (TIERS.indexOf(tier) < TIERS.indexOf(sub.tier as Tier)) {
        throw conflict(
          'tier-lowered-during-term',
          `The organization bought ${sub.tier} support until ${new Date(sub.term_end).toISOString()}; a running term cannot be lowered. Add a ${tier} subscription starting when this term ends.`,
        );
      }
      await repo.updateSubscription(sub.id, { term_end: now });
      const raised = { ...sub, id: newId(), tier, term_start: now, created_at: now };
      await repo.insertSubscription(raised);
      return presentSubscription(raised);
    });
  }

  async listSubscriptions(actor: Principal, organizationId: string) {
    this.assertVisible(actor, organizationId);
    if (!(await this.repo.findOrganization(organizationId))) throw notFound('The organization');
    return (await this.repo.listSubscriptions(organizationId)).map(presentSubscription);
  }

  private subscriptionRow(organizationId: string, s: SubscriptionInput, now: number) {
    return {
      id: newId(),
      organization_id: organizationId,
      tier: s.tier,
      term_start: parseInstant(s.termStart),
      term_end: parseInstant(s.termEnd),
      created_at: now,
      policy_version_id: null,
    };
  }

  private async assertDomainsFree(domains: string[], organizationId: string) {
    const taken = (await this.repo.findDomainOwners(domains)).filter(
      (d) => d.organization_id !== organizationId,
    );
    if (taken.length > 0) {
      throw conflict(
        'domain-taken',
        `These domains already belong to another organization: ${taken.map((d) => d.domain).join(', ')}.`,
        {
          domains: taken.map((d) => d.domain),
        },
      );
    }
  }
}
