import type { ClockKind, Duration, DurationUnit } from './duration.js';
import type { Priority, RequestType, Tier } from './tiers.js';

/**
 * A support policy as the desk runs it, and the vocabularies its file uses. The file's schema is
 * in schema.ts; this is what it parses to.
 */

/** Every text customers or agents read is given in both of Accord's languages. */
export interface LocalizedText {
  en: string;
  fr: string;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const HOLIDAY_RULES = ['us-federal'] as const;
export type HolidayRule = (typeof HOLIDAY_RULES)[number];

/** An opening interval of a business day, local time, 'HH:MM' (close may be '24:00'). */
export interface OpenInterval {
  open: string;
  close: string;
}

/** A business calendar as the policy defines it; the same shape as the business clock's spec. */
export interface BusinessCalendarDefinition {
  timeZone: string;
  hours: Partial<Record<Weekday, OpenInterval[]>>;
  holidayRules: HolidayRule[];
  closedDates?: string[];
  openDates?: string[];
}

/** Where customers reach support; ids are Accord's ticket channels. */
export const CHANNEL_IDS = ['in_app', 'chat', 'email', 'phone', 'portal'] as const;
export type ChannelId = (typeof CHANNEL_IDS)[number];

export const URGENT_MEANS = ['chat', 'phone', 'email'] as const;
export type UrgentMeans = (typeof URGENT_MEANS)[number];

/** How the response-time promise is measured: the median case, or every case. */
export const RESPONSE_MEASURES = ['median', 'maximum'] as const;
export type ResponseMeasure = (typeof RESPONSE_MEASURES)[number];

export interface TierDefinition {
  name: LocalizedText;
  description: LocalizedText;
  requestTypes: RequestType[];
}

export interface PriorityDefinition {
  name: LocalizedText;
  description: LocalizedText;
  resolutionEffort: LocalizedText;
}

export interface Channel {
  id: ChannelId;
  label: LocalizedText;
  url?: string;
  address?: string;
}

export interface Link {
  url: string;
  text: LocalizedText;
}

export interface IdentifiedText {
  id: string;
  text: LocalizedText;
}

export type TargetTable = Record<Tier, Record<Priority, Duration>>;
export type PartialTargetTable = Partial<Record<Tier, Partial<Record<Priority, Duration>>>>;

/** A support policy as the desk runs it: validated, every duration measured. */
export interface SupportPolicy {
  id: string;
  version: string;
  /** ISO dates, YYYY-MM-DD. */
  revisionDate: string;
  effectiveFrom: string;
  vendor: string;
  title: LocalizedText;
  preamble: LocalizedText;
  scope: { title: LocalizedText; services: LocalizedText; levels: LocalizedText };
  support: { availability: '24/7'; timeZone: string; term: 'subscription'; text: LocalizedText };
  tiers: Record<Tier, TierDefinition>;
  channels: {
    title: LocalizedText;
    text: LocalizedText;
    list: Channel[];
    helpCenter: Link;
    urgent: { priorities: Priority[]; means: UrgentMeans[]; text: LocalizedText };
    statusPage: Link;
  };
  responseTimes: {
    title: LocalizedText;
    text: LocalizedText;
    caption: LocalizedText;
    measure: ResponseMeasure;
  };
  /** First-response targets, for every tier and priority. */
  targets: TargetTable;
  /** Resolution targets where the policy sets them; empty when it promises effort only. */
  resolutionTargets: PartialTargetTable;
  severity: { text: LocalizedText };
  priorities: Record<Priority, PriorityDefinition>;
  /** Always on the calendar clock: P0 work is continuous. */
  p0: { updateEvery: Duration; escalation: { first: Duration; every: Duration } };
  warnings: { leadFraction: number };
  calendars: Record<string, BusinessCalendarDefinition>;
  /** The length of one business day, in business time. */
  businessDay: Duration;
  defaultCalendar: string;
  clocks: Record<DurationUnit, ClockKind>;
  customerResponsibilities: {
    title: LocalizedText;
    contact: {
      title: LocalizedText;
      text: LocalizedText;
      minimumDesignatedContacts: number;
      dutiesIntro: LocalizedText;
      duties: LocalizedText[];
    };
    cooperation: { title: LocalizedText; paragraphs: LocalizedText[] };
  };
  exclusions: {
    title: LocalizedText;
    text: LocalizedText;
    excluded: IdentifiedText[];
    inappropriateUse: { text: LocalizedText; examplesIntro: LocalizedText; examples: IdentifiedText[] };
  };
  changes: { title: LocalizedText; text: LocalizedText; noSignificantDecreaseDuringTerm: boolean };
}

/** One thing wrong with a policy file, located in the file's own terms (`targets.basic.P2`). */
export interface PolicyProblem {
  path: string;
  message: string;
  /** 1-based position in the file, when the problem can be placed. */
  line?: number;
  column?: number;
}

export type PolicyValidation = { ok: true; policy: SupportPolicy } | { ok: false; problems: PolicyProblem[] };

/** Minutes since local midnight of an 'HH:MM' time. */
export function minutesOfDay(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}
