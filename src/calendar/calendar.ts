/**
 * The business clock. Targets stated in business days run only while the desk is open: opening
 * hours in the calendar's own time zone, minus holidays. Everything here is pure: instants are
 * epoch milliseconds passed in by the caller, never read from the system clock, so the same ticket
 * always gets the same due time.
 *
 * Business time is the set of instants whose local wall-clock date and time fall inside the opening
 * hours of that local date: across a DST change the desk keeps its local hours, a wall time skipped
 * by the spring-forward never happens, and one repeated by the fall-back counts both times. A
 * compiled calendar turns each local date into its UTC intervals once (cached, bounded), and every
 * question walks those intervals date by date. (That walk assumes a date's intervals all come after
 * the previous date's, which fails only for a zone turning its clocks back across midnight from a
 * time past midnight; no zone in the tz database does so today.)
 */
import { DAY_MS, parseIsoDate, weekdayOfDay } from './civil.js';
import { usFederalHolidayOnDay } from './holidays.js';
import { zoneClock, type ZoneClock } from './zone.js';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface BusinessCalendarSpec {
  /** IANA zone, e.g. America/New_York */
  timeZone: string;
  /** Opening hours per weekday in local time, 'HH:MM' 24h; a missing or empty day is closed. Several intervals per day are allowed, sorted and non-overlapping; '24:00' is allowed as a closing time. */
  hours: Partial<Record<Weekday, { open: string; close: string }[]>>;
  /** Built-in holiday rule sets: 'us-federal' (observed dates) is the only one for now. */
  holidayRules: 'us-federal'[];
  /** Extra closed local dates 'YYYY-MM-DD' (company holidays), and dates that are open despite a rule. */
  closedDates?: string[];
  openDates?: string[];
}

export interface BusinessCalendar {
  readonly spec: BusinessCalendarSpec;
}

/** A business calendar specification that cannot be used; the message names the offending field. */
export class CalendarSpecError extends Error {
  override readonly name = 'CalendarSpecError';

  constructor(
    message: string,
    /** Path of the offending field, e.g. 'hours.mon[0].close'. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** No business time for years after an instant: a due time on this calendar would never come. */
export class NoBusinessTimeError extends Error {
  override readonly name = 'NoBusinessTimeError';
}

const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Walking this many consecutive local dates without business time means the calendar never opens. */
const MAX_CLOSED_DAYS = 3 * 366;
/** Dates either side of its origin whose totals businessTimeFrom keeps: about 27 years. */
const MAX_KEPT_DAYS = 10_000;
/** Local dates whose UTC intervals a calendar keeps (a power of two): about 2.8 years. */
const DAY_CACHE_SLOTS = 1024;
/** The range of instants a JavaScript Date can represent. */
const MAX_INSTANT = 8.64e15;
const NO_INTERVALS: readonly number[] = Object.freeze([]);
const SPEC_KEYS = new Set(['timeZone', 'hours', 'holidayRules', 'closedDates', 'openDates']);
const HOLIDAY_RULES = new Set(['us-federal']);
const TIME_OF_DAY = /^(\d{2}):(\d{2})$/;

class CompiledCalendar implements BusinessCalendar {
  /** Direct-mapped cache of local dates: consecutive dates never evict each other, and memory is fixed. */
  private readonly cachedDays = new Float64Array(DAY_CACHE_SLOTS).fill(NaN);
  private readonly cachedIntervals: (readonly number[])[] = new Array<readonly number[]>(
    DAY_CACHE_SLOTS,
  ).fill(NO_INTERVALS);

  constructor(
    readonly spec: BusinessCalendarSpec,
    private readonly zone: ZoneClock,
    /** Per weekday (0 = Sunday), opening ranges as pairs of ms from local midnight. */
    private readonly weekly: readonly (readonly number[])[],
    private readonly usFederal: boolean,
    private readonly closed: ReadonlySet<number>,
    private readonly open: ReadonlySet<number>,
  ) {}

  /** Local date (day number) of an instant. */
  localDay(at: number): number {
    return Math.floor((at + this.zone.offsetAt(at)) / DAY_MS);
  }

  /** Business intervals of a local date as UTC [open, close) pairs, in order. */
  intervals(day: number): readonly number[] {
    const slot = day & (DAY_CACHE_SLOTS - 1);
    if (this.cachedDays[slot] === day) return this.cachedIntervals[slot]!;
    const intervals = this.computeIntervals(day);
    this.cachedDays[slot] = day;
    this.cachedIntervals[slot] = intervals;
    return intervals;
  }

  private computeIntervals(day: number): readonly number[] {
    const ranges = this.weekly[weekdayOfDay(day)]!;
    if (ranges.length === 0 || this.closed.has(day)) return NO_INTERVALS;
    if (this.usFederal && !this.open.has(day) && usFederalHolidayOnDay(day) !== undefined) {
      return NO_INTERVALS;
    }
    const out: number[] = [];
    this.zone.wallRangesToUtc(day * DAY_MS, ranges, out);
    return out.length === 0 ? NO_INTERVALS : out;
  }

  noBusinessTime(after: number): NoBusinessTimeError {
    return new NoBusinessTimeError(
      `Business calendar (${this.spec.timeZone}) has no business time in the ${MAX_CLOSED_DAYS} days after ` +
        `${formatInstant(after)}; check its hours and closedDates`,
    );
  }
}

function formatInstant(at: number): string {
  return Math.abs(at) <= MAX_INSTANT ? new Date(at).toISOString() : String(at);
}

function compiled(cal: BusinessCalendar): CompiledCalendar {
  if (cal instanceof CompiledCalendar) return cal;
  throw new TypeError('Business calendars must come from compileCalendar()');
}

function checkInstant(name: string, at: number): void {
  if (typeof at !== 'number' || !Number.isFinite(at) || Math.abs(at) > MAX_INSTANT) {
    throw new RangeError(`${name} must be an instant in epoch milliseconds, not ${String(at)}`);
  }
}

function fail(field: string, problem: string): never {
  throw new CalendarSpecError(`Business calendar ${field}: ${problem}`, field);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}

function parseTime(field: string, value: unknown, closing: boolean): number {
  const match = typeof value === 'string' ? TIME_OF_DAY.exec(value) : null;
  const hour = match ? Number(match[1]) : NaN;
  const minute = match ? Number(match[2]) : NaN;
  if (hour === 24 && minute === 0 && closing) return DAY_MS;
  if (!(hour <= 23 && minute <= 59)) {
    fail(field, `${shown(value)} is not a time 'HH:MM' from 00:00 to 23:59${closing ? ' (or 24:00)' : ''}`);
  }
  return (hour * 60 + minute) * 60_000;
}

function parseDates(field: string, value: unknown): { days: Set<number>; dates: string[] } {
  if (value === undefined) return { days: new Set(), dates: [] };
  if (!Array.isArray(value)) fail(field, `expected a list of dates 'YYYY-MM-DD', got ${shown(value)}`);
  const days = new Set<number>();
  const dates: string[] = [];
  value.forEach((date: unknown, i) => {
    const day = typeof date === 'string' ? parseIsoDate(date) : undefined;
    if (day === undefined) fail(`${field}[${i}]`, `${shown(date)} is not a date 'YYYY-MM-DD'`);
    days.add(day);
    dates.push(date as string);
  });
  return { days, dates };
}

/** Validates the spec (throws CalendarSpecError naming the bad field) and compiles it. */
export function compileCalendar(spec: BusinessCalendarSpec): BusinessCalendar {
  const raw: unknown = spec;
  if (!isRecord(raw)) fail('spec', `expected an object, got ${shown(raw)}`);
  for (const key of Object.keys(raw)) {
    if (!SPEC_KEYS.has(key)) fail(key, `unknown field (expected one of ${[...SPEC_KEYS].join(', ')})`);
  }

  const timeZone = raw.timeZone;
  if (typeof timeZone !== 'string' || timeZone === '') {
    fail('timeZone', `expected an IANA time zone such as 'America/New_York', got ${shown(timeZone)}`);
  }
  let zone: ZoneClock;
  try {
    zone = zoneClock(timeZone);
  } catch {
    fail('timeZone', `'${timeZone}' is not a time zone this runtime knows (expected an IANA name)`);
  }

  const hours = raw.hours;
  if (!isRecord(hours)) fail('hours', `expected opening hours per weekday, got ${shown(hours)}`);
  const weekly: number[][] = WEEKDAYS.map(() => []);
  const hoursCopy: Partial<Record<Weekday, { open: string; close: string }[]>> = {};
  for (const [key, intervals] of Object.entries(hours)) {
    const weekday = WEEKDAYS.indexOf(key as Weekday);
    if (weekday < 0) fail(`hours.${key}`, `unknown weekday (expected one of ${WEEKDAYS.join(', ')})`);
    if (intervals === undefined) continue;
    if (!Array.isArray(intervals)) {
      fail(
        `hours.${key}`,
        `expected a list of {open, close} intervals ([] when closed), got ${shown(intervals)}`,
      );
    }
    const ranges = weekly[weekday]!;
    const copies: { open: string; close: string }[] = [];
    intervals.forEach((interval: unknown, i) => {
      const field = `hours.${key}[${i}]`;
      if (!isRecord(interval)) {
        fail(field, `expected {open: 'HH:MM', close: 'HH:MM'}, got ${shown(interval)}`);
      }
      for (const name of Object.keys(interval)) {
        if (name !== 'open' && name !== 'close') {
          fail(`${field}.${name}`, 'unknown field (expected open, close)');
        }
      }
      const open = parseTime(`${field}.open`, interval.open, false);
      const close = parseTime(`${field}.close`, interval.close, true);
      if (close <= open) {
        fail(field, `closes at ${String(interval.close)}, not after it opens at ${String(interval.open)}`);
      }
      const previousClose = ranges[ranges.length - 1];
      if (previousClose !== undefined && open < previousClose) {
        fail(
          field,
          `opens at ${String(interval.open)}, before the previous interval closes (intervals must be sorted and not overlap)`,
        );
      }
      ranges.push(open, close);
      copies.push({ open: interval.open as string, close: interval.close as string });
    });
    hoursCopy[key as Weekday] = copies;
  }
  if (weekly.every((ranges) => ranges.length === 0)) {
    fail('hours', 'no weekday has opening hours, so business time would never run');
  }

  const rules = raw.holidayRules;
  if (!Array.isArray(rules)) {
    fail('holidayRules', `expected a list such as ['us-federal'], got ${shown(rules)}`);
  }
  rules.forEach((rule: unknown, i) => {
    if (typeof rule !== 'string' || !HOLIDAY_RULES.has(rule)) {
      fail(
        `holidayRules[${i}]`,
        `unknown holiday rule ${shown(rule)} (expected one of ${[...HOLIDAY_RULES].join(', ')})`,
      );
    }
  });

  const closedDates = parseDates('closedDates', raw.closedDates);
  const openDates = parseDates('openDates', raw.openDates);
  openDates.dates.forEach((date, i) => {
    if (closedDates.days.has(parseIsoDate(date)!)) fail(`openDates[${i}]`, `${date} is also in closedDates`);
  });

  const copy: BusinessCalendarSpec = {
    timeZone,
    hours: hoursCopy,
    holidayRules: [...(rules as 'us-federal'[])],
  };
  if (raw.closedDates !== undefined) copy.closedDates = closedDates.dates;
  if (raw.openDates !== undefined) copy.openDates = openDates.dates;
  return new CompiledCalendar(
    deepFreeze(copy),
    zone,
    weekly,
    rules.length > 0,
    closedDates.days,
    openDates.days,
  );
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** True when the instant is inside business hours (intervals are [open, close)). */
export function isOpen(cal: BusinessCalendar, at: number): boolean {
  const calendar = compiled(cal);
  checkInstant('at', at);
  const intervals = calendar.intervals(calendar.localDay(at));
  for (let i = 0; i < intervals.length; i += 2) {
    if (at < intervals[i]!) return false;
    if (at < intervals[i + 1]!) return true;
  }
  return false;
}

/** The instant itself if open, else the next opening instant. */
export function nextOpening(cal: BusinessCalendar, at: number): number {
  const calendar = compiled(cal);
  checkInstant('at', at);
  let day = calendar.localDay(at);
  for (let walked = 0; walked <= MAX_CLOSED_DAYS; walked++, day++) {
    const intervals = calendar.intervals(day);
    for (let i = 0; i < intervals.length; i += 2) {
      if (intervals[i + 1]! > at) return Math.max(intervals[i]!, at);
    }
  }
  throw calendar.noBusinessTime(at);
}

/** Earliest t >= start with durationMs of business time in [start, t]; running out at closing is due at closing. */
export function addBusinessTime(cal: BusinessCalendar, start: number, durationMs: number): number {
  const calendar = compiled(cal);
  checkInstant('start', start);
  if (typeof durationMs !== 'number' || !(durationMs >= 0) || !Number.isFinite(durationMs)) {
    throw new RangeError(
      `durationMs must be a finite number of milliseconds >= 0, not ${String(durationMs)}`,
    );
  }
  if (durationMs === 0) return start;
  let remaining = durationMs;
  let cursor = start;
  let day = calendar.localDay(start);
  let closedDays = 0;
  for (;;) {
    const intervals = calendar.intervals(day);
    let counted = false;
    for (let i = 0; i < intervals.length; i += 2) {
      const close = intervals[i + 1]!;
      if (close <= cursor) continue;
      const from = Math.max(intervals[i]!, cursor);
      const available = close - from;
      if (remaining <= available) {
        const due = from + remaining;
        if (due > MAX_INSTANT) throw beyondDateRange();
        return due;
      }
      remaining -= available;
      cursor = close;
      counted = true;
    }
    if (counted) closedDays = 0;
    else if (++closedDays > MAX_CLOSED_DAYS) throw calendar.noBusinessTime(cursor);
    day++;
    if (day * DAY_MS > MAX_INSTANT) throw beyondDateRange();
  }
}

function beyondDateRange(): RangeError {
  return new RangeError('addBusinessTime: the due time is beyond the range of dates');
}

/** Business time measured from one instant to many others (see businessTimeFrom). */
export interface BusinessTimeFrom {
  /** Business time in [from, to) when from <= to, and its negation otherwise: exactly as businessTimeBetween. */
  between(from: number, to: number): number;
}

/**
 * Business time between instants near one `origin`, for many questions asked at the same moment (a
 * page of tickets measured at one `now`): the dates between the origin and each instant are summed
 * once and kept, so a further question costs one date's intervals instead of a walk over every date
 * in between. Business time adds up over consecutive spans, so `between(a, b)` is the running total
 * at b less the running total at a.
 */
export function businessTimeFrom(cal: BusinessCalendar, origin: number): BusinessTimeFrom {
  const calendar = compiled(cal);
  checkInstant('origin', origin);
  const originDay = calendar.localDay(origin);
  // after[k]: business time of the dates originDay .. originDay + k - 1; before[k]: of the k dates
  // before originDay. Both grow as far as a question reaches.
  const after = [0];
  const before = [0];
  const dayTotal = (day: number) => {
    const intervals = calendar.intervals(day);
    let total = 0;
    for (let i = 0; i < intervals.length; i += 2) total += intervals[i + 1]! - intervals[i]!;
    return total;
  };
  /** Business time from the start of originDay to the start of `day` (negative before it). */
  const toStartOf = (day: number): number => {
    const k = day - originDay;
    if (k >= 0) {
      while (after.length <= k) after.push(after.at(-1)! + dayTotal(originDay + after.length - 1));
      return after[k]!;
    }
    while (before.length <= -k) before.push(before.at(-1)! + dayTotal(originDay - before.length));
    return -before[-k]!;
  };
  /** The running total at an instant; undefined for one too far from the origin to keep the dates between. */
  const runningTotal = (at: number): number | undefined => {
    checkInstant('at', at);
    const day = calendar.localDay(at);
    if (Math.abs(day - originDay) > MAX_KEPT_DAYS) return undefined;
    const intervals = calendar.intervals(day);
    let within = 0;
    for (let i = 0; i < intervals.length; i += 2) {
      const close = Math.min(intervals[i + 1]!, at);
      if (close > intervals[i]!) within += close - intervals[i]!;
    }
    return toStartOf(day) + within;
  };
  // Most questions start at the origin itself (the time left from now).
  const atOrigin = runningTotal(origin);
  const totalAt = (at: number) => (at === origin ? atOrigin : runningTotal(at));
  return {
    between(from, to) {
      const end = totalAt(to);
      const start = totalAt(from);
      if (end !== undefined && start !== undefined) return end - start;
      return to >= from ? businessTimeBetween(cal, from, to) : -businessTimeBetween(cal, to, from);
    },
  };
}

/** Business time (ms) inside [from, to); 0 if to <= from. */
export function businessTimeBetween(cal: BusinessCalendar, from: number, to: number): number {
  const calendar = compiled(cal);
  checkInstant('from', from);
  checkInstant('to', to);
  if (to <= from) return 0;
  let total = 0;
  const lastDay = calendar.localDay(to);
  for (let day = calendar.localDay(from); day <= lastDay; day++) {
    const intervals = calendar.intervals(day);
    for (let i = 0; i < intervals.length; i += 2) {
      const open = Math.max(intervals[i]!, from);
      const close = Math.min(intervals[i + 1]!, to);
      if (close > open) total += close - open;
    }
  }
  return total;
}
