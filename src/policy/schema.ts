import { z } from 'zod';
import {
  parseDuration,
  resolveDuration,
  resolveDurationMinutes,
  type Duration,
  type DurationRules,
  type DurationSpec,
} from './duration.js';
import {
  CHANNEL_IDS,
  HOLIDAY_RULES,
  RESPONSE_MEASURES,
  URGENT_MEANS,
  WEEKDAYS,
  minutesOfDay,
  type PartialTargetTable,
  type PolicyProblem,
  type PolicyValidation,
  type SupportPolicy,
  type TargetTable,
} from './model.js';
import { PRIORITIES, REQUEST_TYPES, TIERS, type Priority } from './tiers.js';

export * from './model.js';

/**
 * The support policy file's schema and the checks that span fields; what it parses to is in
 * model.ts. Everything here is pure; reading YAML and files is in load.ts.
 */

// ---------------------------------------------------------------------------------------------
// Schema pieces
// ---------------------------------------------------------------------------------------------

/** Separates the per-key messages of one unrecognized_keys issue (zod gives one message for all). */
const KEY_MESSAGE_SEPARATOR = '\u0000';

/** An object that rejects keys it does not know, naming the one that was probably meant. */
function strict<T extends z.core.$ZodLooseShape>(shape: T, missing?: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => unknownKeyMessage(key, known)).join(KEY_MESSAGE_SEPARATOR);
      }
      if (missing && issue.code === 'invalid_type' && issue.input === undefined) return missing;
      return undefined;
    },
  });
}

function unknownKeyMessage(key: string, known: string[]): string {
  const close = known.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
  if (close) return `unknown key (did you mean "${close}"?)`;
  return known.length <= 8 ? `unknown key (expected one of: ${known.join(', ')})` : 'unknown key';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Adds a check whose failure message names the offending value. */
function satisfying<S extends z.ZodType>(
  schema: S,
  test: (value: z.output<S>) => boolean,
  message: (value: z.output<S>) => string,
) {
  return schema.superRefine((value, ctx) => {
    if (!test(value)) ctx.addIssue({ code: 'custom', message: message(value) });
  });
}

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const language = z
  .string({
    error: (issue) =>
      issue.input === undefined ? 'missing: every text is given in English (en) and French (fr)' : undefined,
  })
  .trim()
  .min(1, 'must not be empty');

const text = strict({ en: language, fr: language });

const isoDate = satisfying(z.string(), isIsoDate, (value) => `${show(value)} is not a date (YYYY-MM-DD)`);

const timeZone = satisfying(z.string(), isTimeZone, (value) => `${show(value)} is not an IANA time zone`);

/** Ids the desk refers to (exclusions it cites, calendars it names): lowercase words. */
const identifier = satisfying(
  z.string(),
  (value) => /^[a-z0-9][a-z0-9_-]*$/.test(value),
  (value) => `${show(value)} is not a valid id (lowercase letters, digits, - and _)`,
);

function uniqueList<S extends z.ZodType>(
  item: S,
  what: string,
  key: (value: z.output<S>) => string = String,
) {
  return z.array(item).superRefine((values, ctx) => {
    const seen = new Set<string>();
    values.forEach((value, index) => {
      const k = key(value);
      if (seen.has(k))
        ctx.addIssue({ code: 'custom', path: [index], message: `${what} "${k}" is listed twice` });
      seen.add(k);
    });
  });
}

/** A duration in the policy grammar, kept as written until the policy's rules measure it. */
function durationText(missing = 'missing') {
  return z
    .string({
      error: (issue) => (issue.input === undefined ? missing : `${show(issue.input)} is not a duration`),
    })
    .transform((value, ctx): DurationSpec => {
      const spec = parseDuration(value);
      if (!spec) {
        ctx.addIssue({ code: 'custom', message: `${show(value)} is not a duration` });
        return z.NEVER;
      }
      return spec;
    });
}

/** P0 cadences and the business day itself are lengths of time, never counted in business days. */
function wallClockDuration(reason: string) {
  return durationText().superRefine((spec, ctx) => {
    if (spec.unit === 'business_day') {
      ctx.addIssue({ code: 'custom', message: `must be in minutes or hours, not business days: ${reason}` });
    }
  });
}

const TARGET_MISSING = 'missing: every tier needs a first-response target for every priority';

function targetRow() {
  const cell = durationText(TARGET_MISSING);
  return strict({ P0: cell, P1: cell, P2: cell, P3: cell }, TARGET_MISSING);
}

function resolutionRow() {
  const cell = durationText().optional();
  return strict({ P0: cell, P1: cell, P2: cell, P3: cell }).nullable().optional();
}

const tier = strict(
  {
    name: text,
    description: text,
    requestTypes: uniqueList(z.enum(REQUEST_TYPES), 'request type').min(
      1,
      'a tier must include at least one request type',
    ),
  },
  'missing: the policy defines every tier (basic, essential, premium, enterprise)',
);

const priority = strict(
  { name: text, description: text, resolutionEffort: text },
  'missing: the policy defines every priority (P0 to P3)',
);

const clockTime = satisfying(
  z.string(),
  (value) => /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/.test(value),
  (value) => `${show(value)} is not a time of day (HH:MM, 00:00 to 24:00)`,
);

/** One day's opening intervals, in order and not overlapping. */
const openIntervals = z
  .array(strict({ open: clockTime, close: clockTime }))
  .superRefine((intervals, ctx) => {
    let previousClose = -1;
    intervals.forEach((interval, index) => {
      const open = minutesOfDay(interval.open);
      const close = minutesOfDay(interval.close);
      if (open >= close) {
        ctx.addIssue({
          code: 'custom',
          path: [index],
          message: `opens at ${interval.open} but closes at ${interval.close}`,
        });
      } else if (open < previousClose) {
        ctx.addIssue({
          code: 'custom',
          path: [index],
          message: `opens at ${interval.open}, before the previous interval of the day closes (intervals must be in order and not overlap)`,
        });
      }
      previousClose = Math.max(previousClose, close);
    });
  })
  .optional();

// Each check sits on the smallest part it reads, so that a mistake elsewhere in the calendar does
// not hide it (zod skips a refinement when what it refines has failed).
const calendar = strict({
  timeZone,
  hours: strict({
    mon: openIntervals,
    tue: openIntervals,
    wed: openIntervals,
    thu: openIntervals,
    fri: openIntervals,
    sat: openIntervals,
    sun: openIntervals,
  }).superRefine((hours, ctx) => {
    const open = WEEKDAYS.some((day) =>
      (hours[day] ?? []).some((i) => minutesOfDay(i.open) < minutesOfDay(i.close)),
    );
    if (!open) {
      ctx.addIssue({
        code: 'custom',
        message: 'no open hours: business-day targets on this calendar would never come due',
      });
    }
  }),
  holidayRules: uniqueList(z.enum(HOLIDAY_RULES), 'holiday rule'),
  closedDates: uniqueList(isoDate, 'date').optional(),
  openDates: uniqueList(isoDate, 'date').optional(),
}).superRefine((definition, ctx) => {
  const closed = new Set(definition.closedDates ?? []);
  (definition.openDates ?? []).forEach((date, index) => {
    if (closed.has(date)) {
      ctx.addIssue({ code: 'custom', path: ['openDates', index], message: `${date} is also in closedDates` });
    }
  });
});

const policyFileSchema = strict({
  id: identifier,
  version: nonEmpty,
  revisionDate: isoDate,
  effectiveFrom: isoDate,
  vendor: nonEmpty,
  title: text,
  preamble: text,
  scope: strict({ title: text, services: text, levels: text }),
  support: strict({
    availability: z.enum(['24/7']),
    timeZone,
    term: z.enum(['subscription']),
    text,
  }),
  tiers: strict({ basic: tier, essential: tier, premium: tier, enterprise: tier }),
  channels: strict({
    title: text,
    text,
    list: uniqueList(
      strict({
        id: z.enum(CHANNEL_IDS),
        label: text,
        url: z
          .url({ protocol: /^https?$/, error: (issue) => `${show(issue.input)} is not a web address` })
          .optional(),
        address: z.email({ error: (issue) => `${show(issue.input)} is not an email address` }).optional(),
      }),
      'channel',
      (channel) => channel.id,
    ).min(1, 'the policy offers at least one support channel'),
    helpCenter: strict({
      url: z.url({ protocol: /^https?$/, error: (issue) => `${show(issue.input)} is not a web address` }),
      text,
    }),
    urgent: strict({
      priorities: uniqueList(z.enum(PRIORITIES), 'priority'),
      means: uniqueList(z.enum(URGENT_MEANS), 'means'),
      text,
    }),
    statusPage: strict({
      url: z.url({ protocol: /^https?$/, error: (issue) => `${show(issue.input)} is not a web address` }),
      text,
    }),
  }),
  responseTimes: strict({ title: text, text, caption: text, measure: z.enum(RESPONSE_MEASURES) }),
  targets: strict({
    basic: targetRow(),
    essential: targetRow(),
    premium: targetRow(),
    enterprise: targetRow(),
  }),
  resolutionTargets: strict({
    basic: resolutionRow(),
    essential: resolutionRow(),
    premium: resolutionRow(),
    enterprise: resolutionRow(),
  })
    .nullable()
    .optional(),
  severity: strict({ text }),
  priorities: strict({ P0: priority, P1: priority, P2: priority, P3: priority }),
  p0: strict({
    updateEvery: wallClockDuration('P0 updates are owed around the clock'),
    escalation: strict({
      first: wallClockDuration('P0 escalation runs around the clock'),
      every: wallClockDuration('P0 escalation runs around the clock'),
    }),
  }),
  warnings: strict({
    leadFraction: z
      .number()
      .gt(0, 'must be more than 0 and less than 1 (the fraction of a target left when agents are warned)')
      .lt(1, 'must be more than 0 and less than 1 (the fraction of a target left when agents are warned)'),
  }),
  calendars: z.record(identifier, calendar).superRefine((calendars, ctx) => {
    if (Object.keys(calendars).length === 0) {
      ctx.addIssue({ code: 'custom', message: 'no calendars: the business clock needs at least one' });
    }
  }),
  businessDay: satisfying(
    wallClockDuration('a business day cannot be measured in business days'),
    (spec) => resolveDurationMinutes(spec, 0) <= 24 * 60,
    () => 'a business day cannot be longer than 24 hours',
  ),
  defaultCalendar: identifier,
  clocks: strict({
    minute: z.enum(['calendar', 'business']),
    hour: z.enum(['calendar', 'business']),
    business_day: z.enum(['business'], { error: 'business days run on the business clock' }),
  }),
  customerResponsibilities: strict({
    title: text,
    contact: strict({
      title: text,
      text,
      minimumDesignatedContacts: z.number().int('must be a whole number').min(0, 'must not be negative'),
      dutiesIntro: text,
      duties: z.array(text),
    }),
    cooperation: strict({
      title: text,
      paragraphs: z.array(text).min(1, 'must have at least one paragraph'),
    }),
  }),
  exclusions: strict({
    title: text,
    text,
    excluded: uniqueList(strict({ id: identifier, text }), 'exclusion', (item) => item.id),
    inappropriateUse: strict({
      text,
      examplesIntro: text,
      examples: uniqueList(strict({ id: identifier, text }), 'example', (item) => item.id),
    }),
  }),
  changes: strict({ title: text, text, noSignificantDecreaseDuringTerm: z.boolean() }),
});

type PolicyFile = z.output<typeof policyFileSchema>;

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/** Validates a policy already read from YAML (or JSON); every problem is reported, not only the first. */
export function validatePolicy(raw: unknown): PolicyValidation {
  const parsed = policyFileSchema.safeParse(raw, { error: genericMessage });
  const problems = parsed.success ? [] : parsed.error.issues.flatMap(toProblems);
  problems.push(...crossFieldProblems(raw));
  if (!parsed.success || problems.length > 0) return { ok: false, problems: withoutDuplicates(problems) };
  return { ok: true, policy: resolvePolicy(parsed.data) };
}

/**
 * Checks that span sections. They read the raw value defensively so that they run even when other
 * parts of the file are broken: the author sees every problem in one pass.
 */
function crossFieldProblems(raw: unknown): PolicyProblem[] {
  if (!isRecord(raw)) return [];
  const problems: PolicyProblem[] = [];
  const { calendars, defaultCalendar } = raw;
  if (typeof defaultCalendar === 'string' && isRecord(calendars) && !(defaultCalendar in calendars)) {
    const names = Object.keys(calendars);
    problems.push({
      path: 'defaultCalendar',
      message: `${show(defaultCalendar)} is not one of the calendars${names.length > 0 ? ` (${names.join(', ')})` : ''}`,
    });
  }
  return problems;
}

/** Measures every duration against the policy's own business day and clock rules. */
function resolvePolicy(file: PolicyFile): SupportPolicy {
  const businessDayMinutes = resolveDurationMinutes(file.businessDay, 0);
  const rules: DurationRules = { businessDayMinutes, clocks: file.clocks };
  const measure = (spec: DurationSpec) => resolveDuration(spec, rules);
  const aroundTheClock = (spec: DurationSpec): Duration => ({
    ...spec,
    clock: 'calendar',
    minutes: resolveDurationMinutes(spec, businessDayMinutes),
  });

  const targets = Object.fromEntries(
    TIERS.map((t) => [t, Object.fromEntries(PRIORITIES.map((p) => [p, measure(file.targets[t][p])]))]),
  ) as TargetTable;

  const resolutionTargets: PartialTargetTable = {};
  for (const t of TIERS) {
    const row = file.resolutionTargets?.[t];
    if (!row) continue;
    const measured: Partial<Record<Priority, Duration>> = {};
    for (const p of PRIORITIES) {
      const spec = row[p];
      if (spec) measured[p] = measure(spec);
    }
    resolutionTargets[t] = measured;
  }

  return {
    ...file,
    targets,
    resolutionTargets,
    p0: {
      updateEvery: aroundTheClock(file.p0.updateEvery),
      escalation: {
        first: aroundTheClock(file.p0.escalation.first),
        every: aroundTheClock(file.p0.escalation.every),
      },
    },
    businessDay: { ...file.businessDay, clock: 'business', minutes: businessDayMinutes },
    clocks: { ...file.clocks },
  };
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

const TYPE_NOUNS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
};

/** Messages in the file's terms for the issues no schema piece words itself. */
function genericMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'missing';
      return `expected ${TYPE_NOUNS[issue.expected] ?? issue.expected}, found ${show(issue.input)}`;
    case 'invalid_value':
      return `${show(issue.input)} is not one of: ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return `${show(issue.input)} is not a valid ${issue.format}`;
    case 'invalid_key':
      return `${show(issue.input)} is not a valid name`;
    case 'unrecognized_keys':
      return issue.keys.map(() => 'unknown key').join(KEY_MESSAGE_SEPARATOR);
    // Lengths, bounds and custom checks carry their own messages where the schema sets them.
    case 'too_big':
    case 'too_small':
    case 'not_multiple_of':
    case 'custom':
    case 'invalid_element':
    case 'invalid_union':
      return undefined;
  }
}

function toProblems(issue: z.core.$ZodIssue): PolicyProblem[] {
  if (issue.code === 'unrecognized_keys') {
    const messages = issue.message.split(KEY_MESSAGE_SEPARATOR);
    return issue.keys.map((key, i) => ({
      path: formatPath([...issue.path, key]),
      message: messages[i] ?? 'unknown key',
    }));
  }
  // A record key is reported with the key's own problem, not the record's wrapper message.
  if (issue.code === 'invalid_key') {
    const inner = issue.issues[0];
    const message = inner && inner.code === 'custom' ? inner.message : issue.message;
    return [{ path: formatPath(issue.path), message }];
  }
  return [{ path: formatPath(issue.path), message: issue.message }];
}

/** Dotted path in the file's terms: `targets.basic.P2`, `channels.list.0.label`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** One line per problem, as `accord policy check` prints it. */
export function formatProblem(problem: PolicyProblem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}

function withoutDuplicates(problems: PolicyProblem[]): PolicyProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = formatProblem(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Small predicates
// ---------------------------------------------------------------------------------------------

/** How a value from the file is quoted in a message: strings in quotes, empty YAML values as "nothing". */
export function show(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'a mapping' : typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value.length > 0;
  } catch {
    return false;
  }
}
