import { z } from 'zod';
import { compileCalendar } from '../calendar/calendar.js';
import { parseDuration, resolveDuration, type Duration } from './duration.js';
import { PRIORITIES } from './tiers.js';
import type { SupportPolicy } from './model.js';

const durationText = z
  .string()
  .max(40)
  .refine((s) => parseDuration(s) !== undefined, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a duration`,
  });

/** P0 work is continuous, so its cadence and escalation are in minutes or hours, never business days. */
const continuousDurationText = durationText.refine((s) => parseDuration(s)?.unit !== 'business_day', {
  error: 'P0 cadence and escalation are in minutes or hours',
});

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM');
const interval = z.strictObject({ open: hhmm, close: hhmm });
const isoDate = z.iso.date();

/** A business calendar written into a contract: its own zone, hours and holidays. */
export const calendarOverrideSchema = z.strictObject({
  timeZone: z.string().min(1).max(64),
  hours: z.strictObject({
    mon: z.array(interval).max(4).optional(),
    tue: z.array(interval).max(4).optional(),
    wed: z.array(interval).max(4).optional(),
    thu: z.array(interval).max(4).optional(),
    fri: z.array(interval).max(4).optional(),
    sat: z.array(interval).max(4).optional(),
    sun: z.array(interval).max(4).optional(),
  }),
  holidayRules: z.array(z.literal('us-federal')).max(1).default([]),
  closedDates: z.array(isoDate).max(400).optional(),
  openDates: z.array(isoDate).max(400).optional(),
});

const perPriority = z.strictObject(
  Object.fromEntries(PRIORITIES.map((p) => [p, durationText.optional()])) as Record<
    (typeof PRIORITIES)[number],
    z.ZodOptional<typeof durationText>
  >,
);

/**
 * What an organization's Agreement changes in the policy (the Agreement prevails, policy preamble):
 * first-response and resolution targets per priority, the P0 cadence and escalation, the calendar.
 */
export const policyOverridesSchema = z.strictObject({
  targets: perPriority.optional(),
  resolutionTargets: perPriority.optional(),
  p0: z
    .strictObject({
      updateEvery: continuousDurationText.optional(),
      escalationFirst: continuousDurationText.optional(),
      escalationEvery: continuousDurationText.optional(),
    })
    .optional(),
  calendar: calendarOverrideSchema.optional(),
});
export type PolicyOverrides = z.infer<typeof policyOverridesSchema>;

/** Measures an override's duration text with the policy's rules (length of a business day, clocks). */
export function overrideDuration(policy: SupportPolicy, text: string): Duration {
  const spec = parseDuration(text);
  if (!spec) throw new Error(`not a duration: ${text}`);
  return resolveDuration(spec, { businessDayMinutes: policy.businessDay.minutes, clocks: policy.clocks });
}

/**
 * Throws, saying why, when overrides cannot be applied under a policy: a duration its rules cannot
 * measure, or a calendar that cannot be compiled (an unknown time zone, say).
 */
export function assertApplicable(policy: SupportPolicy, overrides: PolicyOverrides): void {
  const texts = [
    ...Object.values(overrides.targets ?? {}),
    ...Object.values(overrides.resolutionTargets ?? {}),
    ...Object.values(overrides.p0 ?? {}),
  ];
  for (const text of texts) if (text) overrideDuration(policy, text);
  if (overrides.calendar) compileCalendar(overrides.calendar);
}
