import { z } from 'zod';
import { idSchema, isoOut } from '../../shared/schema.js';
import { TIERS } from '../../policy/tiers.js';
import { componentStateSchema, MAX_UPDATE_BODY } from '../schema.js';

const noNul = (s: string) => !s.includes('\u0000');
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(noNul, { message: 'must not contain NUL' });

export const MAX_LINKED_PER_CALL = 500;

export const incidentFromTicketBody = z.strictObject({
  name: text(200),
  nameFr: text(200).optional(),
  impact: z.enum(['none', 'minor', 'major', 'critical']),
  components: z
    .array(z.strictObject({ id: idSchema, state: componentStateSchema }))
    .max(200)
    .default([]),
  body: text(MAX_UPDATE_BODY),
  bodyFr: text(MAX_UPDATE_BODY).optional(),
});
export type IncidentFromTicket = z.infer<typeof incidentFromTicketBody>;

export const linkTicketsBody = z.strictObject({
  ticketIds: z
    .array(idSchema)
    .min(1)
    .max(MAX_LINKED_PER_CALL, `at most ${MAX_LINKED_PER_CALL} tickets a call`),
});

export const incidentTicketParams = z.strictObject({ id: idSchema, ticketId: idSchema });

export const linkedTicketsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(500).optional(),
});

export const resolveTicketsBody = z
  .strictObject({
    body: text(MAX_UPDATE_BODY)
      .optional()
      .describe('The reply; the incident’s latest update in each requester’s language when absent.'),
  })
  .default({});

export const noticeBody = z.strictObject({
  subject: text(200),
  body: text(20_000),
  tiers: z
    .array(z.enum(TIERS))
    .min(1)
    .optional()
    .describe('Only organizations served at these tiers now; every organization when absent.'),
  componentIds: z
    .array(idSchema)
    .max(200)
    .optional()
    .describe('The components the notice is about, named in the mail; the incident’s own when absent.'),
});
export type NoticeInput = z.infer<typeof noticeBody>;

const updateSummary = z.object({ status: z.string(), body: z.string(), createdAt: isoOut });

/** What a customer may know of an incident: what the public status page shows. */
export const publicIncidentOut = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  impact: z.string(),
  url: z.string(),
  createdAt: isoOut,
  resolvedAt: isoOut.nullable(),
  components: z.array(z.object({ id: z.string(), name: z.string(), state: z.string() })),
  latestUpdate: updateSummary.nullable(),
});

const linkHow = z
  .enum(['manual', 'customer', 'automatic'])
  .describe(
    'manual: staff linked it; customer: the customer confirmed it is about the incident; automatic: linked by an earlier version of the desk.',
  );

export const ticketIncidentOut = publicIncidentOut.extend({
  link: z
    .object({
      how: linkHow,
      at: isoOut,
      by: z.object({ id: z.string(), name: z.string() }).nullable(),
    })
    .nullable()
    .describe('Staff only: how and when the ticket was linked.'),
});

export const openIncidentOut = publicIncidentOut.extend({
  asksNewTickets: z
    .boolean()
    .describe(
      'The incident may affect every organization: a ticket filed now is asked whether it is about it, and is linked (and gets its updates) if the customer says so.',
    ),
});

export const confirmIncidentBody = z.strictObject({
  incidentId: idSchema.describe('An incident suggested for the ticket (customers), or any incident (staff).'),
});

export const linkedTicketOut = z.object({
  ticketId: z.string(),
  number: z.number().int(),
  subject: z.string(),
  status: z.string(),
  priority: z.string(),
  organization: z.object({ id: z.string(), name: z.string() }),
  how: linkHow,
  linkedAt: isoOut,
  linkedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
});
