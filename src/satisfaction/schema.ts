import { z } from 'zod';
import { tierSchema } from '../policy/tiers.js';
import { idSchema, instantInput, isoOut } from '../shared/schema.js';
import { prioritySchema } from '../tickets/schema.js';

export const MAX_COMMENT_CHARS = 2000;

export const ratingSchema = z.enum(['good', 'bad']);

export const answerBody = z.strictObject({
  rating: ratingSchema,
  comment: z
    .string()
    .max(MAX_COMMENT_CHARS, `must be at most ${MAX_COMMENT_CHARS} characters`)
    .optional()
    .describe('Kept as plain text.'),
});

export const surveyOut = z.object({
  status: z
    .enum(['pending', 'answered', 'expired'])
    .describe('pending: can still be answered; expired: 14 days passed without an answer.'),
  sentAt: isoOut.describe('When the ticket was resolved and the question asked.'),
  expiresAt: isoOut,
  mailed: z.boolean().describe('Whether the question also went out by mail.'),
  canAnswer: z.boolean().describe('True for the requester while the question is pending.'),
  rating: ratingSchema.nullable(),
  comment: z.string().nullable(),
  answeredAt: isoOut.nullable(),
  answeredVia: z.enum(['link', 'portal']).nullable().describe('Staff only.'),
});

export const ticketSurveyOut = z.object({
  survey: surveyOut
    .nullable()
    .describe('Null while the ticket was never resolved, or its tier is not asked.'),
});

export const settingsBody = z.strictObject({
  enabledTiers: z
    .array(tierSchema)
    .max(10)
    .refine((tiers) => new Set(tiers).size === tiers.length, { message: 'must not repeat a tier' })
    .describe('The tiers whose tickets are asked; the others are not.'),
});

export const settingsOut = z.object({
  enabledTiers: z.array(tierSchema),
  tiers: z.array(z.object({ tier: tierSchema, enabled: z.boolean() })),
});

export const reportQuery = z.strictObject({
  from: instantInput,
  to: instantInput.describe('Exclusive.'),
  tier: tierSchema.optional(),
  priority: prioritySchema.optional(),
  agentId: idSchema.optional().describe('Staff only: tickets this agent was assigned when resolved.'),
  organizationId: idSchema.optional(),
  period: z.enum(['week', 'month']).default('month').describe('Weeks start on Monday; periods are UTC.'),
});

const tallyOut = {
  sent: z.number().int().describe('Surveys made (tickets resolved and asked) in the period.'),
  answered: z.number().int(),
  good: z.number().int(),
  bad: z.number().int(),
  score: z.number().nullable().describe('good / (good + bad); null without answers.'),
  responseRate: z.number().nullable().describe('answered / sent: the share of responses.'),
};

export const reportOut = z.object({
  from: isoOut,
  to: isoOut,
  period: z.enum(['week', 'month']),
  filters: z.object({
    tier: tierSchema.nullable(),
    priority: prioritySchema.nullable(),
    agentId: z.string().nullable(),
    organizationId: z.string().nullable(),
  }),
  totals: z.object(tallyOut),
  byTier: z.array(z.object({ tier: tierSchema, ...tallyOut })),
  byPriority: z.array(z.object({ priority: prioritySchema, ...tallyOut })),
  byAgent: z
    .array(z.object({ agentId: z.string().nullable(), agentName: z.string().nullable(), ...tallyOut }))
    .describe('Staff only (empty for a contact); agentId null: resolved unassigned.'),
  byPeriod: z.array(z.object({ start: isoOut, end: isoOut, ...tallyOut })),
  latest: z
    .array(
      z.object({
        ticketId: z.string(),
        ticketNumber: z.number().int(),
        subject: z.string(),
        organizationId: z.string(),
        organizationName: z.string(),
        rating: ratingSchema,
        comment: z.string().nullable(),
        answeredAt: isoOut,
      }),
    )
    .describe('The latest 20 answers of the period, newest first.'),
});
