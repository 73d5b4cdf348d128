/** The shapes the Accord API returns, as the browser app reads them (see /api/v1/openapi.json). */

export type Tier = 'basic' | 'essential' | 'premium' | 'enterprise';
export type Priority = 'P0' | 'P1' | 'P2' | 'P3';
export type Status = 'new' | 'open' | 'waiting_on_customer' | 'resolved' | 'closed';
export type Channel = 'portal' | 'email' | 'chat' | 'in_app' | 'api' | 'phone';
export type Role = 'agent' | 'lead' | 'admin' | 'contact' | 'member';
export type Locale = 'en' | 'fr';
export type ClockKind = 'calendar' | 'business';

export const TIERS: Tier[] = ['basic', 'essential', 'premium', 'enterprise'];
export const PRIORITIES: Priority[] = ['P0', 'P1', 'P2', 'P3'];
export const STATUSES: Status[] = ['new', 'open', 'waiting_on_customer', 'resolved', 'closed'];
export const CHANNELS: Channel[] = ['portal', 'email', 'chat', 'in_app', 'api', 'phone'];
export const STAFF_ROLES: Role[] = ['agent', 'lead', 'admin'];
export const CUSTOMER_ROLES: Role[] = ['contact', 'member'];

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string | null;
  locale: Locale | null;
}
export interface Session {
  user: SessionUser;
  csrfToken: string | null;
}

export interface Subscription {
  id: string;
  organizationId: string;
  tier: Tier;
  termStart: string;
  termEnd: string;
  createdAt: string;
}
export interface Organization {
  id: string;
  name: string;
  domains: string[];
  locale: Locale;
  /** Unknown senders from the organization's domains join it by email. */
  emailSignup: boolean;
  tier: Tier;
  subscription: Subscription | null;
  createdAt: string;
  updatedAt: string;
}
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string | null;
  locale: Locale | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TargetTerm {
  label: string;
  minutes: number;
  clock: ClockKind;
  overridden: boolean;
}
export interface SlaTarget {
  target: TargetTerm;
  dueAt: string;
  metAt: string | null;
  breached: boolean;
  remainingSeconds: number;
}
export interface SlaView {
  policyVersion: string;
  firstResponse: SlaTarget;
  nextResponse: SlaTarget | null;
  resolution: SlaTarget | null;
  update: { every: TargetTerm; dueAt: string | null; breached: boolean } | null;
  escalation: { level: number; nextDueAt: string | null } | null;
  nextDueAt: string | null;
}

export type RequestType = string;

export interface Ticket {
  id: string;
  number: number;
  subject: string;
  organizationId: string;
  organization: { id: string; name: string };
  requesterId: string;
  requester: { id: string; name: string; email: string };
  assigneeId: string | null;
  assignee: { id: string; name: string } | null;
  priority: Priority;
  status: Status;
  channel: Channel;
  requestType: RequestType;
  tier: Tier;
  reproduction: {
    steps: string | null;
    expected: string | null;
    actual: string | null;
    environment: string | null;
  };
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  sla: SlaView | null;
  /** Excluded from the promise (policy section 5): no SLA clock, and the customer reads why. */
  exclusion?: TicketExclusion | null;
}

export interface TicketExclusion {
  reason: 'nonconforming_use' | 'gross_negligence';
  note: string;
  at: string;
}

export interface Message {
  id: string;
  ticketId: string;
  author: { id: string; name: string; role: string };
  public: boolean;
  bodyFormat: 'text' | 'html';
  body: string;
  createdAt: string;
}

export interface TicketEvent {
  id: string;
  ticketId: string;
  type: string;
  actorId: string | null;
  actor: { id: string; name: string; role: string } | null;
  at: string;
  data: Record<string, unknown>;
}

export interface Attachment {
  id: string;
  ticketId: string;
  messageId: string | null;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedById: string;
  createdAt: string;
}

/** What the live stream (GET /api/v1/live) sends: something happened to a ticket. */
export interface LiveActivity {
  kind: 'ticket.created' | 'ticket.updated' | 'message.created';
  ticketId: string;
  number: number;
  organizationId: string;
  at: string;
}

export interface LocalizedText {
  en: string;
  fr: string;
}
export interface Duration {
  amount: number;
  unit: 'minute' | 'hour' | 'business_day';
  clock: ClockKind;
  minutes: number;
}
export interface OpenInterval {
  open: string;
  close: string;
}
export interface BusinessCalendar {
  timeZone: string;
  hours: Partial<Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', OpenInterval[]>>;
  holidayRules: string[];
  closedDates?: string[];
  openDates?: string[];
}
/** The support policy document as GET /api/v1/policy publishes it (the fields the app reads). */
export interface PolicyDocument {
  id: string;
  version: string;
  revisionDate: string;
  effectiveFrom: string;
  vendor: string;
  title: LocalizedText;
  preamble: LocalizedText;
  support: { availability: string; timeZone: string; text: LocalizedText };
  tiers: Record<Tier, { name: LocalizedText; description: LocalizedText; requestTypes: RequestType[] }>;
  channels: {
    title: LocalizedText;
    text: LocalizedText;
    list: { id: string; label: LocalizedText; url?: string; address?: string }[];
    helpCenter: { url: string; text: LocalizedText };
    urgent: { priorities: Priority[]; means: string[]; text: LocalizedText };
    statusPage: { url: string; text: LocalizedText };
  };
  responseTimes: { title: LocalizedText; text: LocalizedText; caption: LocalizedText; measure: string };
  targets: Record<Tier, Record<Priority, Duration>>;
  resolutionTargets: Partial<Record<Tier, Partial<Record<Priority, Duration>>>>;
  severity: { text: LocalizedText };
  priorities: Record<
    Priority,
    { name: LocalizedText; description: LocalizedText; resolutionEffort: LocalizedText }
  >;
  p0: { updateEvery: Duration; escalation: { first: Duration; every: Duration } };
  warnings: { leadFraction: number };
  calendars: Record<string, BusinessCalendar>;
  businessDay: Duration;
  defaultCalendar: string;
}
export interface PolicyVersion {
  id: string;
  policyId: string;
  version: string;
  effectiveFrom: string;
  policy?: PolicyDocument;
}

export const REQUEST_TYPES: RequestType[] = [
  'question',
  'problem',
  'data_import',
  'procedure_digitization',
  'best_practice',
];
