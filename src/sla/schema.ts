import { z } from 'zod';
import { PRIORITIES, tierSchema } from '../policy/tiers.js';
import { idSchema, instantInput } from '../shared/schema.js';

export const simulateBody = z.strictObject({
  tier: tierSchema
    .optional()
    .describe(
      'Required without organizationId; with it, defaults to the organization\u2019s tier at openedAt.',
    ),
  priority: z.enum(PRIORITIES),
  openedAt: instantInput,
  organizationId: idSchema.optional(),
});
export type SimulateInput = z.infer<typeof simulateBody>;

const termOut = z.object({
  target: z.string(),
  minutes: z.number(),
  clock: z.enum(['calendar', 'business']),
  overridden: z.boolean(),
});

export const simulateOut = z.object({
  policyVersion: z.string(),
  tier: tierSchema,
  priority: z.enum(PRIORITIES),
  openedAt: z.iso.datetime(),
  organizationId: z.string().nullable(),
  firstResponse: termOut.extend({ dueAt: z.iso.datetime(), warningAt: z.iso.datetime() }),
  resolution: termOut.extend({ dueAt: z.iso.datetime() }).nullable(),
  updates: termOut.extend({ description: z.string() }).nullable(),
  escalations: z.object({ first: termOut, every: termOut, next: z.array(z.iso.datetime()) }).nullable(),
  calendar: z.object({ timeZone: z.string() }),
});
