import { z } from 'zod';
import { policyOverridesSchema } from './overrides.js';

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
