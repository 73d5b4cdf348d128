import { z } from 'zod';
import { tierSchema } from '../policy/tiers.js';
import { idSchema, instantInput, isoOut } from '../shared/schema.js';
import { PRIORITIES } from '../policy/tiers.js';
import { channelSchema, prioritySchema } from '../tickets/schema.js';

/** What every report reads: a period (from inclusive, to exclusive) and the filters. */
export const filterQuery = {
  from: instantInput,
  to: instantInput.describe('Exclusive.'),
  tier: tierSchema.optional(),
  organizationId: idSchema.optional(),
  channel: channelSchema.optional(),
  agentId: idSchema.optional().describe('Tickets assigned to this agent.'),
};
// The sections beyond the table follow the period, tier and organization only.
export const periodQuery = {
  from: filterQuery.from,
  to: filterQuery.to,
  tier: filterQuery.tier,
  organizationId: filterQuery.organizationId,
};
const seconds = z.number().describe('Seconds on the target’s own clock.');
const clockSchema = z.enum(['calendar', 'business']);

export const cellOut = z.object({
  tier: tierSchema,
  priority: prioritySchema,
  count: z.number().int().describe('Tickets opened in the period with a first response (same as answered).'),
  pending: z
    .number()
    .int()
    .describe('Tickets opened in the period still waiting for one (same as unanswered).'),
  answered: z.number().int().describe('Tickets opened in the period with a first response.'),
  unanswered: z
    .number()
    .int()
    .describe('Tickets opened in the period with no first response yet, closed ones included.'),
  unansweredPastTarget: z
    .number()
    .int()
    .describe('Unanswered tickets already past their own first-response due time.'),
  median: seconds
    .nullable()
    .describe(
      'Kaplan–Meier median of every ticket, an unanswered one counted as taking at least its age; ' +
        'with every ticket answered, percentile_cont(0.5). Null while more than half wait longer than every answer.',
    ),
  medianAtLeast: seconds
    .nullable()
    .describe(
      'The least the median of these tickets can still be: percentile_cont(0.5) with unanswered tickets at their ages.',
    ),
  p90: seconds.nullable().describe('Kaplan–Meier 90th percentile; null when not reached.'),
  target: seconds.nullable().describe('The policy’s first-response target for the cell.'),
  clock: clockSchema.nullable(),
  medianStatus: z
    .enum(['met', 'missed', 'unknown', 'no_tickets'])
    .describe(
      'met: met even if no unanswered ticket is ever answered; missed: missed even if all were answered now; ' +
        'unknown: the unanswered tickets still decide.',
    ),
  medianMet: z.boolean().nullable().describe('true when medianStatus is met, false when missed, else null.'),
  shareMet: z
    .number()
    .nullable()
    .describe('Tickets answered within their own target, among those answered or already past due.'),
  ci: z
    .object({ low: seconds, high: seconds.nullable() })
    .nullable()
    .describe(
      '95% interval of the median (Brookmeyer–Crowley, Greenwood’s variance); high is null when the ' +
        'tickets do not bound it, the whole interval null when the median is not reached.',
    ),
  lowSample: z
    .boolean()
    .describe('Fewer tickets (answered or not) than the minimum sample: too few to call the median met.'),
});

export const responseTimesOut = z.object({
  from: isoOut,
  to: isoOut,
  filters: z.object({
    tier: z.string().nullable(),
    organizationId: z.string().nullable(),
    channel: z.string().nullable(),
    agentId: z.string().nullable(),
  }),
  minimumSample: z.number().int(),
  confidence: z.number(),
  policyVersion: z.string(),
  cells: z.array(cellOut),
});

export const trendOut = z.object({
  weeks: z.array(
    z.object({
      weekStart: isoOut,
      cells: z.array(cellOut.omit({ ci: true, lowSample: true, pending: true })),
    }),
  ),
  atRisk: z.array(
    z.object({
      tier: z.string(),
      priority: z.string(),
      month: z.string(),
      count: z.number().int(),
      missed: z.number().int(),
      missedShare: z.number(),
    }),
  ),
});

export const p0TicketOut = z.object({
  ticketId: z.string(),
  number: z.number().int(),
  subject: z.string(),
  organizationId: z.string(),
  organization: z.string(),
  openedAt: isoOut,
  resolvedAt: isoOut.nullable(),
  updates: z.number().int().describe('Public staff replies after the first response.'),
  gapsOver30: z.number().int(),
  longestGapSeconds: z.number().nullable(),
  escalations: z.array(
    z.object({
      level: z.number().int(),
      dueAt: isoOut,
      firedAt: isoOut.nullable(),
      onTime: z.boolean(),
    }),
  ),
});

export const resolutionOut = z.object({
  priorities: z.array(
    z.object({
      priority: z.enum(PRIORITIES),
      count: z.number().int(),
      median: z.number().nullable(),
      p90: z.number().nullable(),
      buckets: z.array(z.object({ upToSeconds: z.number().nullable(), count: z.number().int() })),
    }),
  ),
  p3: z.object({
    resolved: z.number().int(),
    fixedInRelease: z.number().int(),
    share: z.number().nullable(),
  }),
});

export const tagsReportOut = z.object({
  from: isoOut,
  to: isoOut,
  opened: z.number().int().describe('Tickets opened in the period.'),
  untagged: z.number().int().describe('Of those, tickets without a tag.'),
  tags: z
    .array(z.object({ tag: z.string(), tickets: z.number().int() }))
    .describe('Tickets opened in the period per tag, most first; a ticket counts under each of its tags.'),
});
