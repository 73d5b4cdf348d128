import { z } from 'zod';

/**
 * Support tiers and what each includes, from section 1 of the support policy: basic answers the
 * general questions of trial and free users; essential and above add data import, procedure
 * digitization, troubleshooting and best-practice recommendations.
 */
export const TIERS = ['basic', 'essential', 'premium', 'enterprise'] as const;
export type Tier = (typeof TIERS)[number];
export const tierSchema = z.enum(TIERS);

export const REQUEST_TYPES = [
  'question',
  'problem',
  'data_import',
  'procedure_digitization',
  'best_practice',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type Priority = (typeof PRIORITIES)[number];

const TIER_RANK: Record<Tier, number> = { basic: 0, essential: 1, premium: 2, enterprise: 3 };

/** The lowest tier whose support includes each request type. */
export const REQUEST_TYPE_MINIMUM_TIER: Record<RequestType, Tier> = {
  question: 'basic',
  problem: 'basic',
  data_import: 'essential',
  procedure_digitization: 'essential',
  best_practice: 'essential',
};

export const TIER_LABELS: Record<Tier, string> = {
  basic: 'Basic',
  essential: 'Essential',
  premium: 'Premium',
  enterprise: 'Enterprise',
};

export const REQUEST_TYPE_LABELS: Record<RequestType, string> = {
  question: 'General question',
  problem: 'Problem (troubleshooting)',
  data_import: 'Data import',
  procedure_digitization: 'Procedure digitization',
  best_practice: 'Best-practice recommendation',
};

export const tierIncludes = (tier: Tier, requestType: RequestType): boolean =>
  TIER_RANK[tier] >= TIER_RANK[REQUEST_TYPE_MINIMUM_TIER[requestType]];

/** The tier served to an organization without an active subscription (trial and free users). */
export const DEFAULT_TIER: Tier = 'basic';
