import { z } from 'zod';
import { CHANGE_EFFECTS, CHANGE_TOPICS } from './diff.js';
import { CLOCKS, DURATION_UNITS } from './duration.js';
import { WEEKDAYS } from './model.js';
import { instantInput } from '../shared/schema.js';
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

const durationOut = z.object({
  amount: z.number().int(),
  unit: z.enum(DURATION_UNITS),
  clock: z.enum(CLOCKS),
  minutes: z.number().int().describe('Minutes on its clock.'),
});

const changeOut = z.object({
  path: z.string(),
  topic: z
    .enum(CHANGE_TOPICS)
    .describe(
      'What changed; with tier, priority, calendar, weekday or unit, it names the change in any language.',
    ),
  tier: z.string().optional(),
  priority: z.string().optional(),
  calendar: z.string().optional(),
  weekday: z.enum(WEEKDAYS).optional(),
  unit: z.enum(['minute', 'hour']).optional(),
  kind: z.string(),
  before: z.string().nullable().describe('The value in English words; durations also in `durations`.'),
  after: z.string().nullable(),
  effect: z
    .enum(CHANGE_EFFECTS)
    .describe('improves or lowers the service a customer gets, or neither (words, the desk’s own warnings).'),
  lowersService: z.boolean(),
  description: z.string().describe('The change in English, for people.'),
  durations: z.object({ before: durationOut.nullable(), after: durationOut.nullable() }).optional(),
});

export const diffOut = z.object({ from: z.string(), to: z.string(), changes: z.array(changeOut) });

/** POST /policy/versions and its preview: a policy file's text and when it takes effect. */
export const publishIn = z.strictObject({
  source: z
    .string()
    .min(1)
    .max(1_000_000)
    .describe('The policy file: YAML text, as `accord policy check` reads it.'),
  effective: instantInput.describe('When the version takes effect: now or later.'),
  allowRegression: z
    .boolean()
    .default(false)
    .describe(
      'Publish even though a change lowers a service level; subscriptions in their term keep their version (policy section 6). The preview ignores it.',
    ),
});

const affectedOut = z.object({
  organizationId: z.string(),
  organizationName: z.string(),
  tier: z.string(),
  keepsVersion: z.string().describe('The version the organization keeps during its term.'),
  movesAt: z.iso.datetime().describe('When its term ends and it moves to the new version.'),
});

const publicationOut = z.object({
  from: z.string().describe('The version compared with: the one in force at the effective date.'),
  changes: z.array(changeOut),
  lowering: z.array(changeOut).describe('The changes that lower a service level.'),
  affected: z
    .array(affectedOut)
    .describe('Organizations in a running term, which keep their version until it ends.'),
});

export const publishPreviewOut = publicationOut.extend({
  version: versionOut.pick({ policyId: true, version: true, effectiveFrom: true }),
});

export const publishedOut = publicationOut.extend({ version: versionOut.omit({ policy: true }) });
