import type { Principal } from '../auth/principal.js';
import type { Tier } from '../policy/tiers.js';

/** The help center's languages; every article may have one translation in each. */
export const HC_LOCALES = ['en', 'fr'] as const;
export type HcLocale = (typeof HC_LOCALES)[number];
export const isHcLocale = (value: string): value is HcLocale =>
  (HC_LOCALES as readonly string[]).includes(value);

export const ARTICLE_KINDS = ['article', 'known_issue'] as const;
export type ArticleKind = (typeof ARTICLE_KINDS)[number];
export const ARTICLE_STATUSES = ['draft', 'published', 'archived'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];
export const AUDIENCES = ['public', 'signed_in', 'tiers'] as const;
export type Audience = (typeof AUDIENCES)[number];
export const ISSUE_STATUSES = ['investigating', 'workaround_available', 'fixed'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];
/** Where a ticket form asking for suggestions is shown. */
export const SUGGESTION_CHANNELS = ['portal', 'widget', 'chat'] as const;
export type SuggestionChannel = (typeof SUGGESTION_CHANNELS)[number];

/** Who reads: anonymous visitors, signed-in customers of a tier, or staff (who see every article). */
export interface HcViewer {
  signedIn: boolean;
  staff: boolean;
  tier: Tier | null;
  userId: string | null;
  organizationId: string | null;
}

export const ANONYMOUS: HcViewer = {
  signedIn: false,
  staff: false,
  tier: null,
  userId: null,
  organizationId: null,
};

export function viewerOf(principal: Principal | null, tier: Tier | null): HcViewer {
  if (!principal) return ANONYMOUS;
  const staff = principal.role === 'agent' || principal.role === 'lead' || principal.role === 'admin';
  return {
    signedIn: true,
    staff,
    tier: staff ? null : tier,
    userId: principal.userId,
    organizationId: principal.organizationId,
  };
}

/** Whether a published article's audience admits this reader. */
export function audienceAdmits(audience: Audience, tiers: readonly Tier[], viewer: HcViewer): boolean {
  if (viewer.staff) return true;
  switch (audience) {
    case 'public':
      return true;
    case 'signed_in':
      return viewer.signedIn;
    case 'tiers':
      return viewer.signedIn && viewer.tier !== null && tiers.includes(viewer.tier);
  }
}
