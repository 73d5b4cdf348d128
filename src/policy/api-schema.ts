import { z } from 'zod';
import { tierSchema } from '../customers/schema.js';
import { policyOverridesSchema } from './overrides.js';
import { PRIORITIES } from './tiers.js';

/** What the policy routes answer. The policy file's own schema is schema.ts; what it parses to, model.ts. */

export const versionOut = z.object({
  id: z.string(),
  policyId: z.string(),
  version: z.string(),
  effectiveFrom: z.iso.datetime(),
  policy: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('The whole policy: texts in en and fr, tiers, priorities, targets, calendars.'),
});

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

export const overridesOut = z.object({
  organizationId: z.string(),
  overrides: policyOverridesSchema,
  reason: z.string().nullable(),
  updatedAt: z.iso.datetime().nullable(),
});

const changeOut = z.object({
  path: z.string(),
  tier: z.string().optional(),
  priority: z.string().optional(),
  kind: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  lowersService: z.boolean(),
  description: z.string(),
});

export const diffOut = z.object({ from: z.string(), to: z.string(), changes: z.array(changeOut) });
