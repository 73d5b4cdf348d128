/**
 * The shapes the Accord API returns, as the browser app reads them: each is the output type of the
 * server's zod schema that also writes the OpenAPI document (src/<context>/schema.ts), so the app and
 * the API cannot drift. The imports are type-only and erased by the build: no server code reaches
 * the browser.
 */
import type { z } from 'zod';
import type { sessionOut } from '../../../src/auth/schema';
import type { CustomerRole, Role, StaffRole } from '../../../src/auth/principal';
import type { organizationOut, subscriptionOut, userOut } from '../../../src/customers/schema';
import type { localeSchema } from '../../../src/shared/schema';
import type { versionOut } from '../../../src/policy/api-schema';
import type { ClockKind, Duration } from '../../../src/policy/duration';
import type {
  BusinessCalendarDefinition,
  LocalizedText,
  OpenInterval,
  SupportPolicy,
} from '../../../src/policy/model';
import type { Priority, RequestType, Tier } from '../../../src/policy/tiers';
import type { Page } from '../../../src/shared/pagination';
import type {
  attachmentOut,
  Channel,
  eventOut,
  messageOut,
  slaViewSchema,
  Status,
  ticketExclusionOut,
  ticketOut,
} from '../../../src/tickets/schema';

export type {
  Channel,
  ClockKind,
  CustomerRole,
  Duration,
  LocalizedText,
  OpenInterval,
  Page,
  Priority,
  RequestType,
  Role,
  StaffRole,
  Status,
  Tier,
};
export type Locale = z.output<typeof localeSchema>;

/** True when a runtime list names every member of the server's union. */
export type NamesAll<List extends readonly unknown[], Member> = [Member] extends [List[number]]
  ? true
  : false;
/** Compiles only when given `true`: `Assert<NamesAll<typeof TIERS, Tier>>`. */
export type Assert<Check extends true> = Check;

export const TIERS = ['basic', 'essential', 'premium', 'enterprise'] satisfies Tier[];
export const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] satisfies Priority[];
export const STATUSES = ['new', 'open', 'waiting_on_customer', 'resolved', 'closed'] satisfies Status[];
export const CHANNELS = ['portal', 'email', 'chat', 'in_app', 'api', 'phone'] satisfies Channel[];
export const STAFF_ROLES = ['agent', 'lead', 'admin'] satisfies StaffRole[];
export const CUSTOMER_ROLES = ['contact', 'member'] satisfies CustomerRole[];
export const REQUEST_TYPES = [
  'question',
  'problem',
  'data_import',
  'procedure_digitization',
  'best_practice',
] satisfies RequestType[];

// A member the server adds and a list above lacks fails to compile here.
type _ListsNameEveryMember = [
  Assert<NamesAll<typeof TIERS, Tier>>,
  Assert<NamesAll<typeof PRIORITIES, Priority>>,
  Assert<NamesAll<typeof STATUSES, Status>>,
  Assert<NamesAll<typeof CHANNELS, Channel>>,
  Assert<NamesAll<typeof STAFF_ROLES, StaffRole>>,
  Assert<NamesAll<typeof CUSTOMER_ROLES, CustomerRole>>,
  Assert<NamesAll<typeof REQUEST_TYPES, RequestType>>,
];

export type Session = z.output<typeof sessionOut>;
export type SessionUser = Session['user'];

export type Subscription = z.output<typeof subscriptionOut>;
export type Organization = z.output<typeof organizationOut>;
export type User = z.output<typeof userOut>;

export type SlaView = z.output<typeof slaViewSchema>;
export type SlaTarget = SlaView['firstResponse'];
export type TargetTerm = SlaTarget['target'];

export type Ticket = z.output<typeof ticketOut>;
export type TicketExclusion = z.output<typeof ticketExclusionOut>;
export type Message = z.output<typeof messageOut>;
export type TicketEvent = z.output<typeof eventOut>;
export type Attachment = z.output<typeof attachmentOut>;

/**
 * What the live stream (GET /api/v1/live) sends: something happened to a ticket. Server-sent events
 * have no zod schema; src/live/routes.ts writes these fields.
 */
export interface LiveActivity {
  kind: 'ticket.created' | 'ticket.updated' | 'message.created';
  ticketId: string;
  number: number;
  organizationId: string;
  at: string;
}

export type BusinessCalendar = BusinessCalendarDefinition;
/** The support policy document as GET /api/v1/policy publishes it: what the policy file parses to. */
export type PolicyDocument = SupportPolicy;
/** The API declares `policy` an open record; it is the parsed policy file, PolicyDocument. */
export type PolicyVersion = Omit<z.output<typeof versionOut>, 'policy'> & { policy?: PolicyDocument };
