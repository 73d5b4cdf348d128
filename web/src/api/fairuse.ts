/** Fair use (policy section 5): the shapes the API returns for flags, limits, the audit log and the spam folder. */
import type { z } from 'zod';
import type { LimitKind, limitOut } from '../../../src/fairuse/limits/schema';
import type { FlagKind, SignalKind } from '../../../src/fairuse/signals/flags';
import type {
  classifierOut,
  evidenceOut,
  flagOut,
  ticketFairUseOut,
} from '../../../src/fairuse/signals/schema';
import type { spamItemOut, spamQuery } from '../../../src/fairuse/spam/schema';
import type { ExclusionReason } from '../../../src/tickets/schema';
import type { Assert, Channel, NamesAll } from './types';

export type { ExclusionReason, FlagKind, LimitKind, SignalKind };

export const FLAG_KINDS = [
  'repeat_incident',
  'helpcenter_answered',
  'off_topic',
  'volume',
] satisfies FlagKind[];
export const LIMIT_KINDS = [
  'open_tickets',
  'tickets_per_period',
  'channels',
  'suspension',
] satisfies LimitKind[];
/** The channels a customer files on, which a channel restriction can leave open. */
export const FILING_CHANNELS: Channel[] = ['portal', 'email', 'chat', 'in_app', 'api'];
export const EXCLUSION_REASONS = ['nonconforming_use', 'gross_negligence'] satisfies ExclusionReason[];

type _ListsNameEveryMember = [
  Assert<NamesAll<typeof FLAG_KINDS, FlagKind>>,
  Assert<NamesAll<typeof LIMIT_KINDS, LimitKind>>,
  Assert<NamesAll<typeof EXCLUSION_REASONS, ExclusionReason>>,
];

/** One piece of what a flag or a signal rests on: a ticket and the resolved ones it repeats, an article. */
export type Evidence = z.output<typeof evidenceOut>;
export type Flag = z.output<typeof flagOut>;
export type TicketFairUse = z.output<typeof ticketFairUseOut>;
/** One sign on one ticket, as the console's ticket page lists it. */
export type Signal = TicketFairUse['signals'][number];
export type Classification = z.output<typeof classifierOut>;

export type Limit = z.output<typeof limitOut>;
export type LimitSettings = Limit['settings'];

/** GET /audit: src/fairuse/audit-routes.ts keeps its schema to itself, so this copy follows it by hand. */
export interface AuditEntry {
  id: string;
  organizationId: string | null;
  ticketId: string | null;
  actor: { id: string; name: string } | null;
  action: string;
  reason: string | null;
  data: Record<string, unknown>;
  at: string;
}

export type SpamStatus = z.output<typeof spamQuery>['status'];
export type SpamItem = z.output<typeof spamItemOut>;

/**
 * What a limit holds the customer to, in words both the lead and the customer read (the `fairuse`
 * namespace): "At most 3 open requests at a time", "Requests only through: Email".
 */
export function describeLimit(
  limit: Pick<Limit, 'kind' | 'settings'>,
  t: (key: string, options?: Record<string, unknown>) => string,
): string {
  const { max = 0, periodDays = 0, channels = [] } = limit.settings;
  switch (limit.kind) {
    case 'open_tickets':
      return t('fairuse:limit.describe.open_tickets', { count: max });
    case 'tickets_per_period':
      return t('fairuse:limit.describe.tickets_per_period', {
        count: max,
        period: t('fairuse:limit.days', { count: periodDays }),
      });
    case 'channels':
      return t('fairuse:limit.describe.channels', {
        channels: channels.map((c) => t(`common:channel.${c}`)).join(', '),
      });
    case 'suspension':
      return t('fairuse:limit.describe.suspension');
  }
}

/** The problem type the desk answers a filing with when a support limit refuses it. */
export const SUPPORT_LIMITED = 'urn:accord:problem:support-limited';

/**
 * Fair-use cache entries. The admin area's live under 'admin'; a ticket's under ['ticket', id] so that
 * the live stream's refresh of a ticket reaches them too.
 */
export const fairuseKeys = {
  all: ['admin', 'fairuse'] as const,
  flagsAll: ['admin', 'fairuse', 'flags'] as const,
  flags: (organizationId?: string) => ['admin', 'fairuse', 'flags', organizationId ?? null] as const,
  limits: (organizationId: string) => ['admin', 'fairuse', 'limits', organizationId] as const,
  audit: (organizationId: string) => ['admin', 'fairuse', 'audit', organizationId] as const,
  spamAll: ['admin', 'fairuse', 'spam'] as const,
  spam: (status: SpamStatus) => ['admin', 'fairuse', 'spam', status] as const,
  ticket: (ticketId: string) => ['ticket', ticketId, 'fairuse'] as const,
  classifier: (ticketId: string) => ['ticket', ticketId, 'fairuse', 'classifier'] as const,
  activeLimits: (organizationId: string) => ['fairuse', 'active-limits', organizationId] as const,
};
