import { z } from 'zod';
import { tierSchema } from '../policy/tiers.js';
import { idSchema, instantInput, isoOut } from '../shared/schema.js';
import { PRIORITIES, REQUEST_TYPES } from '../policy/tiers.js';
import { tagFilterSchema } from './tags-schema.js';

export const STATUSES = ['new', 'open', 'waiting_on_customer', 'resolved', 'closed'] as const;
export type Status = (typeof STATUSES)[number];
export const CHANNELS = ['portal', 'email', 'chat', 'in_app', 'api', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];
/** Channels a customer may name when filing through the API; the others are set by their adapters or by staff. */
export const CUSTOMER_CHANNELS = ['portal', 'in_app', 'api'] as const;

export const prioritySchema = z.enum(PRIORITIES);
export const statusSchema = z.enum(STATUSES);
export const channelSchema = z.enum(CHANNELS);
export const requestTypeSchema = z.enum(REQUEST_TYPES);
export const bodyFormatSchema = z.enum(['text', 'html']);

const longText = (max: number) => z.string().max(max, `must be at most ${max} characters`);
export const MAX_BODY_CHARS = 100_000;

export const reproductionSchema = z.strictObject({
  steps: longText(20_000).nullable().optional(),
  expected: longText(20_000).nullable().optional(),
  actual: longText(20_000).nullable().optional(),
  environment: longText(5_000).nullable().optional(),
});

export const ticketCreate = z.strictObject({
  subject: z.string().trim().min(1, 'must not be empty').max(300),
  body: z.string().trim().min(1, 'must not be empty').max(MAX_BODY_CHARS),
  bodyFormat: bodyFormatSchema.default('text'),
  priority: prioritySchema,
  requestType: requestTypeSchema.default('question'),
  channel: channelSchema.optional(),
  organizationId: idSchema
    .optional()
    .describe('Staff only: the customer organization (defaults to the requester\u2019s).'),
  requesterId: idSchema.optional().describe('Staff only: the customer user the ticket is filed for.'),
  reproduction: reproductionSchema.optional(),
  suggestionSessionId: idSchema
    .optional()
    .describe(
      'The help center suggestion session of the form this ticket was written in (POST /helpcenter/suggestions): records what the writer was shown.',
    ),
  incidentId: idSchema
    .optional()
    .describe(
      'An open incident (GET /status/open-incidents) the customer confirmed this ticket is about: the ticket is linked to it and receives its updates.',
    ),
});
export type TicketCreate = z.infer<typeof ticketCreate>;

export const ticketUpdate = z
  .strictObject({
    subject: z.string().trim().min(1).max(300).optional(),
    status: statusSchema.optional(),
    priority: prioritySchema.optional(),
    priorityReason: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .optional()
      .describe('Required when the priority changes.'),
    assigneeId: idSchema.nullable().optional(),
    requestType: requestTypeSchema.optional(),
    reproduction: reproductionSchema.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'give at least one field to change' });
export type TicketUpdate = z.infer<typeof ticketUpdate>;

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(200)
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1));

export const ticketListQuery = z.strictObject({
  status: csv(statusSchema).optional().describe('One status or several, comma-separated.'),
  priority: csv(prioritySchema).optional().describe('One priority or several, comma-separated.'),
  organizationId: idSchema.optional(),
  requesterId: idSchema.optional(),
  assigneeId: z
    .union([idSchema, z.literal('none')])
    .optional()
    .describe('A staff user id, or none for unassigned.'),
  channel: channelSchema.optional(),
  tier: tierSchema.optional(),
  tag: tagFilterSchema
    .optional()
    .describe('Staff only: tickets with this tag; repeated (tag=a&tag=b), tickets with all of them.'),
  dueBefore: instantInput
    .optional()
    .describe('Staff only: tickets whose next SLA due time is at or before this instant.'),
  breached: z
    .enum(['true', 'false'])
    .optional()
    .describe(
      'Staff only: true lists tickets whose next SLA due time has passed; false those whose next due time is still ahead (with dueBefore: breaching soon).',
    ),
  q: z
    .string()
    .max(500)
    .optional()
    .describe(
      'Full-text search over the number (#1234), subject, messages (internal notes for staff only), requester and organization: words, "a phrase", -excluded. Without sort, results are by relevance and each has a match.',
    ),
  sort: z
    .enum(['created', 'due', 'urgency'])
    .optional()
    .describe(
      'created (the default without q): newest first; due: soonest SLA due time first; urgency: the agent queue, every P0 and P1 before any P2 and P3, soonest due first within each (most overdue first). due and urgency list only tickets that owe something.',
    ),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});
export type TicketListQuery = z.infer<typeof ticketListQuery>;

const personRef = z.object({ id: z.string(), name: z.string() });

const targetTermSchema = z.object({
  label: z.string().describe('As the policy writes it, e.g. "1 business day".'),
  minutes: z.number().int(),
  clock: z.enum(['calendar', 'business']),
  overridden: z.boolean().describe('True when the organization\u2019s contract overrides the policy.'),
});
const slaTargetSchema = z.object({
  target: targetTermSchema,
  dueAt: isoOut,
  metAt: isoOut.nullable(),
  breached: z.boolean(),
  remainingSeconds: z
    .number()
    .int()
    .describe('Time left on the target\u2019s own clock; negative when over.'),
});
export const slaViewSchema = z.object({
  policyVersion: z.string(),
  firstResponse: slaTargetSchema,
  nextResponse: slaTargetSchema.nullable().describe('After a reopening: the response owed to it.'),
  resolution: slaTargetSchema.nullable(),
  update: z
    .object({ every: targetTermSchema, dueAt: isoOut.nullable(), breached: z.boolean() })
    .nullable()
    .describe('P0: the next customer update.'),
  escalation: z.object({ level: z.number().int(), nextDueAt: isoOut.nullable() }).nullable(),
  nextDueAt: isoOut.nullable().describe('The soonest due time still owed.'),
});

/** Policy section 5: why a ticket is outside the promise (no SLA clock, not in the medians). */
export const EXCLUSION_REASONS = ['nonconforming_use', 'gross_negligence'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export const ticketExclusionOut = z.object({
  reason: z.enum(EXCLUSION_REASONS),
  note: z.string(),
  at: isoOut,
});

export const ticketOut = z.object({
  id: z.string(),
  number: z.number().int(),
  subject: z.string(),
  organizationId: z.string(),
  organization: personRef,
  requesterId: z.string(),
  requester: personRef.extend({ email: z.string() }),
  assigneeId: z.string().nullable(),
  assignee: personRef.nullable(),
  priority: prioritySchema,
  status: statusSchema,
  channel: channelSchema,
  requestType: requestTypeSchema,
  tier: tierSchema.describe('The organization\u2019s tier when the ticket was opened.'),
  reproduction: z.object({
    steps: z.string().nullable(),
    expected: z.string().nullable(),
    actual: z.string().nullable(),
    environment: z.string().nullable(),
  }),
  createdAt: isoOut,
  updatedAt: isoOut,
  resolvedAt: isoOut.nullable(),
  closedAt: isoOut.nullable(),
  sla: slaViewSchema.nullable(),
  tags: z
    .array(z.string())
    .optional()
    .describe('Staff only: the ticket\u2019s tags, alphabetical (customers never see them).'),
  exclusion: ticketExclusionOut
    .nullable()
    .describe(
      'Set when staff excluded the ticket from the promise (policy section 5): its SLA clocks are stopped.',
    ),
  mergedInto: z
    .object({ id: z.string(), number: z.number().int() })
    .nullable()
    .describe('Set when the ticket was merged: the ticket its conversation continues in.'),
});
export type TicketOut = z.infer<typeof ticketOut>;

export const messageCreate = z.strictObject({
  body: z.string().trim().min(1, 'must not be empty').max(MAX_BODY_CHARS),
  bodyFormat: bodyFormatSchema.default('text'),
  public: z.boolean().default(true).describe('false makes an internal note, visible to staff only.'),
  ifUnchangedSince: instantInput
    .optional()
    .describe(
      'Staff only: the ticket\u2019s updatedAt when the reply was started. If someone else changed the ticket since, the reply is refused with 409 (ticket-changed) listing the changes, unless confirm is true.',
    ),
  confirm: z.boolean().optional().describe('Send even though the ticket changed since ifUnchangedSince.'),
});
export type MessageCreate = z.infer<typeof messageCreate>;

export const messageOut = z.object({
  id: z.string(),
  ticketId: z.string(),
  author: personRef.extend({ role: z.string() }),
  takenBy: personRef
    .extend({ channel: channelSchema })
    .nullable()
    .describe(
      'On the message that opened a ticket someone filed for its requester (staff on the phone, an agent turning a chat into a ticket): who took the customer\u2019s words down, and the channel they came by. The author is the customer.',
    ),
  public: z.boolean(),
  bodyFormat: bodyFormatSchema,
  body: z.string(),
  createdAt: isoOut,
  mergedFrom: z
    .object({ id: z.string(), number: z.number().int() })
    .nullable()
    .describe('On a message that moved here when its ticket was merged into this one: that ticket.'),
  mail: z
    .object({
      senderAuth: z
        .enum(['verified', 'unverified', 'failed'])
        .describe(
          'verified: the sender\u2019s domain vouches for the mail (DMARC, or an aligned DKIM signature or SPF); failed: it fails the domain\u2019s DMARC policy; unverified: nothing proves it either way.',
        ),
      results: z.string().describe('The checks, in Authentication-Results form (RFC 8601).'),
    })
    .nullable()
    .describe('Staff only: for a message that came by mail, how its sender was authenticated.'),
});
export type MessageOut = z.infer<typeof messageOut>;

export const EVENT_TYPES = [
  'created',
  'status_changed',
  'priority_changed',
  'assignee_changed',
  'subject_changed',
  'request_type_changed',
  'reproduction_changed',
  'message_added',
  'attachment_added',
  'incident_linked',
  'incident_unlinked',
  'excluded',
  'exclusion_removed',
  'merged_into',
  'merged_from',
  'tag_added',
  'tag_removed',
  'sla_warning',
  'sla_breach',
  'sla_escalation',
  'satisfaction_answered',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const eventOut = z.object({
  id: z.string(),
  ticketId: z.string(),
  type: z.enum(EVENT_TYPES),
  actorId: z.string().nullable(),
  actor: personRef
    .extend({ role: z.string() })
    .nullable()
    .describe('Who acted; null for the desk itself (SLA warnings, breaches, escalations).'),
  at: isoOut,
  data: z.record(z.string(), z.unknown()),
});
export type EventOut = z.infer<typeof eventOut>;

export const attachmentOut = z.object({
  id: z.string(),
  ticketId: z.string(),
  messageId: z.string().nullable(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  uploadedById: z.string(),
  createdAt: isoOut,
});
export type AttachmentOut = z.infer<typeof attachmentOut>;

export const threadQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(100),
  cursor: z.string().max(512).optional(),
});
