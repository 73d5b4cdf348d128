/**
 * Durations as a support policy writes them: "15 minutes", "4 hours", "1 business day".
 *
 * The grammar is strict so that a typo in a policy file is an error rather than a silently
 * different promise: `<positive integer> <unit>`, one space, where unit is one of minute, minutes,
 * hour, hours, business day, business days (any letter case; singular and plural are both
 * accepted whatever the number). No abbreviations, decimals or combinations ("1 hour 30 minutes").
 *
 * Parsing and measuring are two steps. The text alone says how many of which unit
 * (a `DurationSpec`); how many minutes that is, and on which clock, depends on the policy: a
 * business day is as long as the policy's `businessDay`, and the policy's `clocks` say which clock
 * each unit runs on. `resolveDuration` adds both and gives a `Duration`.
 */

export const DURATION_UNITS = ['minute', 'hour', 'business_day'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

/**
 * The calendar clock runs around the clock (support is 24/7, section 1 of the policy); the business
 * clock runs only during the open hours of the policy's business calendar.
 */
export const CLOCKS = ['calendar', 'business'] as const;
export type ClockKind = (typeof CLOCKS)[number];

export type Locale = 'en' | 'fr';

/** A duration as written: an amount of a unit, not yet measured against a policy. */
export interface DurationSpec {
  amount: number;
  unit: DurationUnit;
}

/**
 * A duration measured against a policy: `minutes` are minutes on `clock`, so a business-clock
 * duration of 480 minutes is 480 minutes of open business hours, not 8 hours of wall time.
 */
export interface Duration extends DurationSpec {
  clock: ClockKind;
  minutes: number;
}

/** What a policy decides about durations: the length of a business day and the clock of each unit. */
export interface DurationRules {
  businessDayMinutes: number;
  clocks: Record<DurationUnit, ClockKind>;
}

/** The rule of the MaintainX policy: minutes and hours elapse 24/7, business days on business hours. */
export const DEFAULT_CLOCKS: Readonly<Record<DurationUnit, ClockKind>> = {
  minute: 'calendar',
  hour: 'calendar',
  business_day: 'business',
};

const UNIT_WORDS: Record<string, DurationUnit> = {
  minute: 'minute',
  minutes: 'minute',
  hour: 'hour',
  hours: 'hour',
  'business day': 'business_day',
  'business days': 'business_day',
};

const DURATION_PATTERN = /^([1-9][0-9]*) (minutes?|hours?|business days?)$/i;

/** Reads a duration in the strict policy grammar; undefined when the text is not one. */
export function parseDuration(text: string): DurationSpec | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = UNIT_WORDS[match[2]!.toLowerCase()];
  if (!unit || amount > MAX_AMOUNT[unit]) return undefined;
  return { amount, unit };
}

/** No support promise runs longer than a year: a larger amount is a typo, and would put due times off the calendar. */
const MAX_AMOUNT: Record<DurationUnit, number> = { minute: 366 * 24 * 60, hour: 366 * 24, business_day: 366 };

/** Minutes in one unit; a business day lasts as long as the policy says. */
export function unitMinutes(unit: DurationUnit, businessDayMinutes: number): number {
  switch (unit) {
    case 'minute':
      return 1;
    case 'hour':
      return 60;
    case 'business_day':
      return businessDayMinutes;
  }
}

/** The minutes a duration lasts on its own clock. */
export function resolveDurationMinutes(spec: DurationSpec, businessDayMinutes: number): number {
  return spec.amount * unitMinutes(spec.unit, businessDayMinutes);
}

/** Measures a written duration against a policy's rules. */
export function resolveDuration(spec: DurationSpec, rules: DurationRules): Duration {
  return {
    amount: spec.amount,
    unit: spec.unit,
    clock: rules.clocks[spec.unit],
    minutes: resolveDurationMinutes(spec, rules.businessDayMinutes),
  };
}

const WORDS: Record<Locale, Record<DurationUnit | 'business_minute' | 'business_hour', [string, string]>> = {
  en: {
    minute: ['minute', 'minutes'],
    hour: ['hour', 'hours'],
    business_day: ['business day', 'business days'],
    business_minute: ['business minute', 'business minutes'],
    business_hour: ['business hour', 'business hours'],
  },
  fr: {
    minute: ['minute', 'minutes'],
    hour: ['heure', 'heures'],
    business_day: ['jour ouvré', 'jours ouvrés'],
    business_minute: ['minute ouvrée', 'minutes ouvrées'],
    business_hour: ['heure ouvrée', 'heures ouvrées'],
  },
};

/**
 * A duration for people: "2 hours", "1 business day"; in French "2 heures", "1 jour ouvré".
 * Minutes and hours that a policy puts on the business clock say so ("4 business hours"), because
 * "4 hours" would read as wall time.
 */
export function formatDuration(
  duration: DurationSpec & { clock?: ClockKind },
  locale: Locale = 'en',
): string {
  const key =
    duration.clock === 'business' && duration.unit !== 'business_day'
      ? duration.unit === 'minute'
        ? 'business_minute'
        : 'business_hour'
      : duration.unit;
  const [singular, plural] = WORDS[locale][key];
  return `${duration.amount} ${duration.amount === 1 ? singular : plural}`;
}
