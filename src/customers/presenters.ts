import type { OrganizationRow, SubscriptionRow, UserRow } from '../db/tables.js';
import { DEFAULT_TIER, type Tier } from '../policy/tiers.js';
import { toIso } from '../shared/time.js';
import type { OrganizationOut, UserOut } from './schema.js';

export const presentSubscription = (s: SubscriptionRow) => ({
  id: s.id,
  organizationId: s.organization_id,
  tier: s.tier as Tier,
  termStart: toIso(s.term_start),
  termEnd: toIso(s.term_end),
  createdAt: toIso(s.created_at),
});

export const presentOrganization = (
  org: OrganizationRow,
  domains: string[],
  subscription: SubscriptionRow | undefined,
): OrganizationOut => ({
  id: org.id,
  name: org.name,
  domains,
  locale: org.locale as OrganizationOut['locale'],
  emailSignup: Number(org.email_signup) === 1,
  tier: (subscription?.tier as Tier | undefined) ?? DEFAULT_TIER,
  subscription: subscription ? presentSubscription(subscription) : null,
  createdAt: toIso(org.created_at),
  updatedAt: toIso(org.updated_at),
});

export const presentUser = (u: UserRow): UserOut => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role as UserOut['role'],
  organizationId: u.organization_id,
  locale: u.locale as UserOut['locale'],
  active: u.deactivated_at === null,
  createdAt: toIso(u.created_at),
  updatedAt: toIso(u.updated_at),
});
