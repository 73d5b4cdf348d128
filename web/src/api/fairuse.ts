/** Fair use (policy section 5): the shapes the API returns for flags, limits, the audit log and the spam folder. */
import type { Channel } from './types';

export type FlagKind = 'repeat_incident' | 'helpcenter_answered' | 'off_topic' | 'volume';
export const FLAG_KINDS: FlagKind[] = ['repeat_incident', 'helpcenter_answered', 'off_topic', 'volume'];

export type LimitKind = 'open_tickets' | 'tickets_per_period' | 'channels' | 'suspension';
export const LIMIT_KINDS: LimitKind[] = ['open_tickets', 'tickets_per_period', 'channels', 'suspension'];

/** The channels a customer files on, which a channel restriction can leave open. */
export const FILING_CHANNELS: Channel[] = ['portal', 'email', 'chat', 'in_app', 'api'];

export type ExclusionReason = 'nonconforming_use' | 'gross_negligence';
export const EXCLUSION_REASONS: ExclusionReason[] = ['nonconforming_use', 'gross_negligence'];

/** One piece of what a flag or a signal rests on: a ticket and the resolved ones it repeats, an article. */
export interface Evidence {
  ticket?: { id: string; number: number; subject: string; createdAt: string };
  matches?: { id: string; number: number; subject: string; similarity: number }[];
  article?: { id: string; title: string; url: string; opened: boolean };
  note?: string;
  at?: string;
}

export interface Flag {
  /** `${organizationId}:${kind}` */
  id: string;
  organizationId: string;
  organizationName: string;
  kind: FlagKind;
  /** 0..1, how strong. */
  score: number;
  summary: string;
  window: { from: string; to: string };
  evidence: Evidence[];
}

/** One sign on one ticket, as the console's ticket page lists it. */
export interface Signal {
  id: string;
  kind: 'repeat_incident' | 'reopened_unchanged' | 'helpcenter_answered' | 'off_topic';
  score: number;
  /** One sentence: what the sign is and what it rests on. */
  summary: string;
  at: string;
  evidence: Evidence[];
}

export interface TicketFairUse {
  offTopic: { note: string | null; markedBy: { id: string; name: string } | null; markedAt: string } | null;
  signals: Signal[];
}

export interface Classification {
  offTopicProbability: number | null;
  trainedOn: number;
}

export interface LimitSettings {
  max?: number;
  periodDays?: number;
  channels?: Channel[];
}

export interface Limit {
  id: string;
  kind: LimitKind;
  settings: LimitSettings;
  reason: string;
  startsAt: string;
  endsAt: string | null;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
  liftedAt: string | null;
  active: boolean;
}

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

export type SpamStatus = 'pending' | 'reviewed';

export interface SpamItem {
  id: string;
  channel: 'email' | 'chat' | 'helpcenter';
  source: string;
  summary: string;
  reason: string;
  createdAt: string;
  outcome: 'released' | 'discarded' | null;
  reviewedAt: string | null;
  reviewedBy: { id: string; name: string } | null;
}

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
