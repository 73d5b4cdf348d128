import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  businessTimeBetween,
  CalendarSpecError,
  compileCalendar,
  isOpen,
  nextOpening,
  NoBusinessTimeError,
  type BusinessCalendar,
  type BusinessCalendarSpec,
  type Weekday,
} from './calendar.js';
import { US_EASTERN_BUSINESS_HOURS } from './default.js';
import { usFederalHolidays } from './holidays.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const BUSINESS_DAY = 8 * HOUR;

/** Instants are written out in UTC; the test names say what they mean on the desk's local clock. */
const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (!iso.endsWith('Z') || Number.isNaN(ms)) throw new Error(`not a UTC instant: ${iso}`);
  return ms;
};
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

const ET = compileCalendar(US_EASTERN_BUSINESS_HOURS);

const split = [
  { open: '08:30', close: '12:00' },
  { open: '13:30', close: '18:00' },
];
/** A Paris office with a lunch break, no holiday rule, and its own closed days. */
const PARIS_SPEC: BusinessCalendarSpec = {
  timeZone: 'Europe/Paris',
  hours: { mon: split, tue: split, wed: split, thu: split, fri: split },
  holidayRules: [],
  closedDates: [
    '2021-05-14',
    '2024-08-15',
    '2026-12-24',
    '2026-12-25',
    '2026-12-31',
    '2027-01-01',
    '2028-07-14',
  ],
};
const PARIS = compileCalendar(PARIS_SPEC);

const indiaDay = [{ open: '09:30', close: '18:00' }];
/** Kolkata is UTC+05:30, so local boundaries fall on half hours in UTC; open Saturday mornings too. */
const KOLKATA_SPEC: BusinessCalendarSpec = {
  timeZone: 'Asia/Kolkata',
  hours: {
    mon: indiaDay,
    tue: indiaDay,
    wed: indiaDay,
    thu: indiaDay,
    fri: indiaDay,
    sat: [{ open: '10:00', close: '13:00' }],
  },
  holidayRules: [],
};
const KOLKATA = compileCalendar(KOLKATA_SPEC);

const allDay = [{ open: '00:00', close: '24:00' }];
const ALWAYS_NEW_YORK = compileCalendar({
  timeZone: 'America/New_York',
  hours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
  holidayRules: [],
});

function add(calendar: BusinessCalendar, start: string, durationMs: number): string {
  return iso(addBusinessTime(calendar, at(start), durationMs));
}

describe('addBusinessTime on the policy calendar (America/New_York, Mon–Fri 09:00–17:00, US federal holidays)', () => {
  it.each([
    // The product spec's examples.
    [
      'basic P2 opened Friday 2026-11-27 16:30 ET + 1 business day (8h) = Monday 2026-11-30 16:30 ET',
      '2026-11-27T21:30:00Z',
      BUSINESS_DAY,
      '2026-11-30T21:30:00Z',
    ],
    [
      'Wednesday 2026-11-25 10:00 ET + 1 business day = Friday 2026-11-27 10:00 ET (7h Wednesday, Thanksgiving skipped, 1h Friday)',
      '2026-11-25T15:00:00Z',
      BUSINESS_DAY,
      '2026-11-27T15:00:00Z',
    ],
    // Weekends.
    [
      'Friday 2026-01-09 15:00 ET + 1 business day = Monday 2026-01-12 15:00 ET',
      '2026-01-09T20:00:00Z',
      BUSINESS_DAY,
      '2026-01-12T20:00:00Z',
    ],
    [
      'Friday 2026-01-09 16:00 ET + 2 business days = Tuesday 2026-01-13 16:00 ET',
      '2026-01-09T21:00:00Z',
      2 * BUSINESS_DAY,
      '2026-01-13T21:00:00Z',
    ],
    [
      'Saturday 2026-01-10 11:00 ET + 1 business day = Monday 2026-01-12 17:00 ET (runs out at closing)',
      '2026-01-10T16:00:00Z',
      BUSINESS_DAY,
      '2026-01-12T22:00:00Z',
    ],
    [
      'Sunday 2026-01-11 23:59 ET + 1h = Monday 2026-01-12 10:00 ET',
      '2026-01-12T04:59:00Z',
      HOUR,
      '2026-01-12T15:00:00Z',
    ],
    [
      'Friday 2026-01-09 10:00 ET + 5 business days = Friday 2026-01-16 10:00 ET',
      '2026-01-09T15:00:00Z',
      5 * BUSINESS_DAY,
      '2026-01-16T15:00:00Z',
    ],
    // Boundaries: [09:00, 17:00).
    [
      'Monday 2026-01-12 09:00 ET + 1 business day = Monday 2026-01-12 17:00 ET (due at closing, same day)',
      '2026-01-12T14:00:00Z',
      BUSINESS_DAY,
      '2026-01-12T22:00:00Z',
    ],
    [
      'Monday 2026-01-12 09:00 ET + 1h = Monday 10:00 ET (counts from 09:00)',
      '2026-01-12T14:00:00Z',
      HOUR,
      '2026-01-12T15:00:00Z',
    ],
    [
      'Monday 2026-01-12 16:00 ET + 1h = Monday 17:00 ET, not Tuesday 09:00',
      '2026-01-12T21:00:00Z',
      HOUR,
      '2026-01-12T22:00:00Z',
    ],
    [
      'Monday 2026-01-12 17:00 ET + 1h = Tuesday 2026-01-13 10:00 ET (counting starts next morning)',
      '2026-01-12T22:00:00Z',
      HOUR,
      '2026-01-13T15:00:00Z',
    ],
    [
      'Monday 2026-01-12 08:59 ET + 2 minutes = Monday 09:02 ET',
      '2026-01-12T13:59:00Z',
      2 * MINUTE,
      '2026-01-12T14:02:00Z',
    ],
    [
      'Monday 2026-01-12 16:59:59.999 ET + 1 ms = Monday 17:00 ET',
      '2026-01-12T21:59:59.999Z',
      1,
      '2026-01-12T22:00:00Z',
    ],
    [
      'Friday 2026-01-16 17:00 ET + 1 business day = Tuesday 2026-01-20 17:00 ET (weekend, then MLK Day)',
      '2026-01-16T22:00:00Z',
      BUSINESS_DAY,
      '2026-01-20T22:00:00Z',
    ],
    // Opened out of hours.
    [
      'Saturday 2026-01-10 10:00 ET + 1h = Monday 2026-01-12 10:00 ET',
      '2026-01-10T15:00:00Z',
      HOUR,
      '2026-01-12T15:00:00Z',
    ],
    [
      'Tuesday 2026-01-13 03:00 ET + 1h = Tuesday 10:00 ET',
      '2026-01-13T08:00:00Z',
      HOUR,
      '2026-01-13T15:00:00Z',
    ],
    [
      'Tuesday 2026-01-13 20:00 ET + 1h = Wednesday 2026-01-14 10:00 ET',
      '2026-01-14T01:00:00Z',
      HOUR,
      '2026-01-14T15:00:00Z',
    ],
    [
      'Thanksgiving Thursday 2026-11-26 10:00 ET + 1h = Friday 2026-11-27 10:00 ET',
      '2026-11-26T15:00:00Z',
      HOUR,
      '2026-11-27T15:00:00Z',
    ],
    // Zero.
    [
      'Saturday 2026-01-10 10:00 ET + 0 = the same instant',
      '2026-01-10T15:00:00Z',
      0,
      '2026-01-10T15:00:00Z',
    ],
    ['Tuesday 2026-01-13 11:00 ET + 0 = the same instant', '2026-01-13T16:00:00Z', 0, '2026-01-13T16:00:00Z'],
  ])('%s', (_name, start, duration, due) => {
    expect(add(ET, start, duration)).toBe(due);
  });

  it.each([
    // Each holiday rule of 2026: opened at 12:00 ET the business day before, due 12:00 ET the business day after.
    [
      "New Year's Day: Wednesday 2025-12-31 → Friday 2026-01-02",
      '2025-12-31T17:00:00Z',
      '2026-01-02T17:00:00Z',
    ],
    [
      'MLK Day (3rd Monday of January): Friday 2026-01-16 → Tuesday 2026-01-20',
      '2026-01-16T17:00:00Z',
      '2026-01-20T17:00:00Z',
    ],
    [
      "Washington's Birthday (3rd Monday of February): Friday 2026-02-13 → Tuesday 2026-02-17",
      '2026-02-13T17:00:00Z',
      '2026-02-17T17:00:00Z',
    ],
    [
      'Memorial Day (last Monday of May): Friday 2026-05-22 → Tuesday 2026-05-26',
      '2026-05-22T16:00:00Z',
      '2026-05-26T16:00:00Z',
    ],
    [
      'Juneteenth (Friday June 19): Thursday 2026-06-18 → Monday 2026-06-22',
      '2026-06-18T16:00:00Z',
      '2026-06-22T16:00:00Z',
    ],
    [
      'Independence Day (Saturday July 4, observed Friday July 3): Thursday 2026-07-02 → Monday 2026-07-06',
      '2026-07-02T16:00:00Z',
      '2026-07-06T16:00:00Z',
    ],
    [
      'Labor Day (1st Monday of September): Friday 2026-09-04 → Tuesday 2026-09-08',
      '2026-09-04T16:00:00Z',
      '2026-09-08T16:00:00Z',
    ],
    [
      'Columbus Day (2nd Monday of October): Friday 2026-10-09 → Tuesday 2026-10-13',
      '2026-10-09T16:00:00Z',
      '2026-10-13T16:00:00Z',
    ],
    [
      'Veterans Day (Wednesday November 11): Tuesday 2026-11-10 → Thursday 2026-11-12',
      '2026-11-10T17:00:00Z',
      '2026-11-12T17:00:00Z',
    ],
    [
      'Thanksgiving (4th Thursday of November): Wednesday 2026-11-25 → Friday 2026-11-27',
      '2026-11-25T17:00:00Z',
      '2026-11-27T17:00:00Z',
    ],
    [
      'Christmas Day (Friday December 25): Thursday 2026-12-24 → Monday 2026-12-28',
      '2026-12-24T17:00:00Z',
      '2026-12-28T17:00:00Z',
    ],
    // Observed shifts in other years.
    [
      'Christmas 2022 (Sunday, observed Monday Dec 26): Friday 2022-12-23 → Tuesday 2022-12-27',
      '2022-12-23T17:00:00Z',
      '2022-12-27T17:00:00Z',
    ],
    [
      "New Year's Day 2022 (Saturday, observed Friday 2021-12-31): Thursday 2021-12-30 → Monday 2022-01-03",
      '2021-12-30T17:00:00Z',
      '2022-01-03T17:00:00Z',
    ],
    [
      'Independence Day 2021 (Sunday, observed Monday July 5): Friday 2021-07-02 → Tuesday 2021-07-06',
      '2021-07-02T16:00:00Z',
      '2021-07-06T16:00:00Z',
    ],
    [
      'Veterans Day 2023 (Saturday, observed Friday Nov 10): Thursday 2023-11-09 → Monday 2023-11-13',
      '2023-11-09T17:00:00Z',
      '2023-11-13T17:00:00Z',
    ],
  ])('holiday, 12:00 ET + 1 business day — %s, 12:00 ET', (_name, start, due) => {
    expect(add(ET, start, BUSINESS_DAY)).toBe(due);
  });

  it.each([
    [
      'Friday 2026-03-06 13:00 EST + 1 business day = Monday 2026-03-09 13:00 EDT (clocks sprang forward on Sunday)',
      '2026-03-06T18:00:00Z',
      BUSINESS_DAY,
      '2026-03-09T17:00:00Z',
    ],
    [
      'Friday 2026-03-06 13:00 EST + 2 business days = Tuesday 2026-03-10 13:00 EDT',
      '2026-03-06T18:00:00Z',
      2 * BUSINESS_DAY,
      '2026-03-10T17:00:00Z',
    ],
    [
      'Saturday 2026-03-07 12:00 EST + 1 business day = Monday 2026-03-09 17:00 EDT',
      '2026-03-07T17:00:00Z',
      BUSINESS_DAY,
      '2026-03-09T21:00:00Z',
    ],
    [
      'Friday 2026-10-30 13:00 EDT + 1 business day = Monday 2026-11-02 13:00 EST (clocks fell back on Sunday)',
      '2026-10-30T17:00:00Z',
      BUSINESS_DAY,
      '2026-11-02T18:00:00Z',
    ],
    [
      'Friday 2026-10-30 13:00 EDT + 2 business days = Tuesday 2026-11-03 13:00 EST',
      '2026-10-30T17:00:00Z',
      2 * BUSINESS_DAY,
      '2026-11-03T18:00:00Z',
    ],
    [
      'Sunday 2026-11-01 01:30 EDT (the hour that happens twice) + 1h = Monday 2026-11-02 10:00 EST',
      '2026-11-01T05:30:00Z',
      HOUR,
      '2026-11-02T15:00:00Z',
    ],
  ])('DST: %s', (_name, start, duration, due) => {
    expect(add(ET, start, duration)).toBe(due);
  });

  it.each([
    [
      "Thursday 2026-12-31 16:00 ET + 1 business day = Monday 2027-01-04 16:00 ET (New Year's Day 2027, a Friday, and the weekend skipped)",
      '2026-12-31T21:00:00Z',
      BUSINESS_DAY,
      '2027-01-04T21:00:00Z',
    ],
    [
      'Thursday 2026-12-31 16:00 ET + 1h = Thursday 17:00 ET',
      '2026-12-31T21:00:00Z',
      HOUR,
      '2026-12-31T22:00:00Z',
    ],
    [
      'Friday 2021-12-31 10:00 ET (New Year 2022 observed) + 1h = Monday 2022-01-03 10:00 ET',
      '2021-12-31T15:00:00Z',
      HOUR,
      '2022-01-03T15:00:00Z',
    ],
    [
      'Friday 2027-12-24 10:00 ET (Christmas observed) + 1 business day = Monday 2027-12-27 17:00 ET',
      '2027-12-24T15:00:00Z',
      BUSINESS_DAY,
      '2027-12-27T22:00:00Z',
    ],
    [
      'Thursday 2027-12-30 12:00 ET + 1 business day = Monday 2028-01-03 12:00 ET (New Year 2028, a Saturday, observed Friday 2027-12-31)',
      '2027-12-30T17:00:00Z',
      BUSINESS_DAY,
      '2028-01-03T17:00:00Z',
    ],
  ])('year end: %s', (_name, start, duration, due) => {
    expect(add(ET, start, duration)).toBe(due);
  });
});

describe('isOpen and nextOpening on the policy calendar', () => {
  it.each([
    ['Monday 2026-01-12 08:59:59.999 ET', '2026-01-12T13:59:59.999Z', false],
    ['Monday 2026-01-12 09:00 ET', '2026-01-12T14:00:00Z', true],
    ['Monday 2026-01-12 16:59:59.999 ET', '2026-01-12T21:59:59.999Z', true],
    ['Monday 2026-01-12 17:00 ET', '2026-01-12T22:00:00Z', false],
    ['Saturday 2026-01-10 12:00 ET', '2026-01-10T17:00:00Z', false],
    ['Friday 2026-07-03 12:00 ET (Independence Day observed)', '2026-07-03T16:00:00Z', false],
    ['Friday 2021-12-31 12:00 ET (New Year 2022 observed)', '2021-12-31T17:00:00Z', false],
    ['Monday 2022-12-26 12:00 ET (Christmas 2022 observed)', '2022-12-26T17:00:00Z', false],
    ['Monday 2026-03-09 08:59:59.999 EDT (after spring forward)', '2026-03-09T12:59:59.999Z', false],
    ['Monday 2026-03-09 09:00 EDT', '2026-03-09T13:00:00Z', true],
    ['Monday 2026-03-09 16:59:59.999 EDT', '2026-03-09T20:59:59.999Z', true],
    ['Monday 2026-03-09 17:00 EDT', '2026-03-09T21:00:00Z', false],
    ['Monday 2026-11-02 08:59:59.999 EST (after fall back)', '2026-11-02T13:59:59.999Z', false],
    ['Monday 2026-11-02 09:00 EST', '2026-11-02T14:00:00Z', true],
    ['Monday 2026-11-02 17:00 EST', '2026-11-02T22:00:00Z', false],
  ])('isOpen %s → %s', (_name, instant, open) => {
    expect(isOpen(ET, at(instant))).toBe(open);
  });

  it.each([
    ['Monday 2026-01-12 10:00 ET is open: itself', '2026-01-12T15:00:00Z', '2026-01-12T15:00:00Z'],
    ['Monday 2026-01-12 09:00 ET: itself', '2026-01-12T14:00:00Z', '2026-01-12T14:00:00Z'],
    ['Monday 2026-01-12 17:00 ET → Tuesday 09:00 ET', '2026-01-12T22:00:00Z', '2026-01-13T14:00:00Z'],
    ['Monday 2026-01-12 03:00 ET → Monday 09:00 ET', '2026-01-12T08:00:00Z', '2026-01-12T14:00:00Z'],
    [
      'Friday 2026-01-16 18:00 ET → Tuesday 2026-01-20 09:00 ET (MLK Monday)',
      '2026-01-16T23:00:00Z',
      '2026-01-20T14:00:00Z',
    ],
    [
      'Saturday 2026-03-07 12:00 EST → Monday 2026-03-09 09:00 EDT',
      '2026-03-07T17:00:00Z',
      '2026-03-09T13:00:00Z',
    ],
    [
      'Saturday 2026-10-31 12:00 EDT → Monday 2026-11-02 09:00 EST',
      '2026-10-31T16:00:00Z',
      '2026-11-02T14:00:00Z',
    ],
    [
      'Thursday 2026-12-31 17:00 ET → Monday 2027-01-04 09:00 ET',
      '2026-12-31T22:00:00Z',
      '2027-01-04T14:00:00Z',
    ],
  ])('nextOpening %s', (_name, instant, opening) => {
    expect(iso(nextOpening(ET, at(instant)))).toBe(opening);
  });
});

describe('businessTimeBetween on the policy calendar', () => {
  it.each([
    [
      'Friday 2026-11-27 16:30 ET → Monday 2026-11-30 16:30 ET',
      '2026-11-27T21:30:00Z',
      '2026-11-30T21:30:00Z',
      8 * HOUR,
    ],
    [
      'Wednesday 2026-11-25 10:00 ET → Friday 2026-11-27 10:00 ET',
      '2026-11-25T15:00:00Z',
      '2026-11-27T15:00:00Z',
      8 * HOUR,
    ],
    ['Monday 2026-01-12 10:00 → 10:30 ET', '2026-01-12T15:00:00Z', '2026-01-12T15:30:00Z', 30 * MINUTE],
    ['Monday 2026-01-12 16:00 → 17:00 ET', '2026-01-12T21:00:00Z', '2026-01-12T22:00:00Z', HOUR],
    ['Monday 2026-01-12 17:00 → 18:00 ET', '2026-01-12T22:00:00Z', '2026-01-12T23:00:00Z', 0],
    ['Saturday 2026-01-10 → Sunday 2026-01-11 (weekend)', '2026-01-10T05:00:00Z', '2026-01-12T05:00:00Z', 0],
    [
      'the week of Monday 2026-01-12 (Mon 00:00 → Sat 00:00 ET)',
      '2026-01-12T05:00:00Z',
      '2026-01-17T05:00:00Z',
      40 * HOUR,
    ],
    [
      'the week after spring forward (Mon 2026-03-09 00:00 EDT → Sat 00:00 EDT)',
      '2026-03-09T04:00:00Z',
      '2026-03-14T04:00:00Z',
      40 * HOUR,
    ],
    [
      'the week after fall back (Mon 2026-11-02 00:00 EST → Sat 00:00 EST)',
      '2026-11-02T05:00:00Z',
      '2026-11-07T05:00:00Z',
      40 * HOUR,
    ],
    [
      'Thanksgiving week (Mon 2026-11-23 → Sat 2026-11-28)',
      '2026-11-23T05:00:00Z',
      '2026-11-28T05:00:00Z',
      32 * HOUR,
    ],
    [
      'the whole of 2026 in ET: 261 weekdays − 11 holidays = 250 business days',
      '2026-01-01T05:00:00Z',
      '2027-01-01T05:00:00Z',
      250 * BUSINESS_DAY,
    ],
    ['to before from', '2026-01-13T15:00:00Z', '2026-01-12T15:00:00Z', 0],
    ['to equal to from', '2026-01-12T15:00:00Z', '2026-01-12T15:00:00Z', 0],
  ])('%s', (_name, from, to, expected) => {
    expect(businessTimeBetween(ET, at(from), at(to))).toBe(expected);
  });

  it('is the inverse of addBusinessTime on the named scenarios', () => {
    for (const start of [
      '2026-11-27T21:30:00Z',
      '2026-03-06T18:00:00Z',
      '2026-10-30T17:00:00Z',
      '2026-12-31T21:00:00Z',
    ]) {
      for (const duration of [1, MINUTE, HOUR, BUSINESS_DAY, 2 * BUSINESS_DAY, 3 * BUSINESS_DAY + 17]) {
        expect(businessTimeBetween(ET, at(start), addBusinessTime(ET, at(start), duration))).toBe(duration);
      }
    }
  });
});

describe('other calendars', () => {
  it.each([
    [
      'Paris: Monday 2026-01-12 11:30 CET + 1h = 14:00 CET (lunch 12:00–13:30 skipped)',
      PARIS,
      '2026-01-12T10:30:00Z',
      HOUR,
      '2026-01-12T13:00:00Z',
    ],
    [
      'Paris: Monday 2026-01-12 08:30 CET + 3h30 = 12:00 CET (due at the lunch closing, not 13:30)',
      PARIS,
      '2026-01-12T07:30:00Z',
      3.5 * HOUR,
      '2026-01-12T11:00:00Z',
    ],
    [
      'Paris: Friday 2026-03-27 17:00 CET + 8h = Monday 2026-03-30 17:00 CEST (summer time from Sunday 2026-03-29)',
      PARIS,
      '2026-03-27T16:00:00Z',
      BUSINESS_DAY,
      '2026-03-30T15:00:00Z',
    ],
    [
      'Paris: Friday 2026-10-23 17:00 CEST + 8h = Monday 2026-10-26 17:00 CET (winter time from Sunday 2026-10-25)',
      PARIS,
      '2026-10-23T15:00:00Z',
      BUSINESS_DAY,
      '2026-10-26T16:00:00Z',
    ],
    [
      'Paris: Wednesday 2026-12-23 11:00 CET + 8h = Monday 2026-12-28 11:00 CET (closed dates 24 and 25 December)',
      PARIS,
      '2026-12-23T10:00:00Z',
      BUSINESS_DAY,
      '2026-12-28T10:00:00Z',
    ],
    [
      'Paris: Wednesday 2026-11-11 (a US holiday, but no holiday rule here) 09:00 CET + 1h = 10:00 CET',
      PARIS,
      '2026-11-11T08:00:00Z',
      HOUR,
      '2026-11-11T09:00:00Z',
    ],
    [
      'Kolkata (UTC+05:30): Friday 2026-01-16 17:00 IST + 8h = Monday 2026-01-19 13:30 IST (1h Friday, 3h Saturday morning, 4h Monday)',
      KOLKATA,
      '2026-01-16T11:30:00Z',
      BUSINESS_DAY,
      '2026-01-19T08:00:00Z',
    ],
    [
      'Kolkata: Saturday 2026-01-17 12:30 IST + 1h = Monday 2026-01-19 10:00 IST',
      KOLKATA,
      '2026-01-17T07:00:00Z',
      HOUR,
      '2026-01-19T04:30:00Z',
    ],
    [
      'always open in New York: Saturday 2026-03-07 12:00 EST + 48h = Monday 2026-03-09 13:00 EDT (absolute time)',
      ALWAYS_NEW_YORK,
      '2026-03-07T17:00:00Z',
      48 * HOUR,
      '2026-03-09T17:00:00Z',
    ],
  ])('%s', (_name, calendar, start, duration, due) => {
    expect(add(calendar, start, duration)).toBe(due);
  });

  it('Kolkata opens at 09:30 IST = 04:00Z', () => {
    expect(isOpen(KOLKATA, at('2026-01-12T03:59:59.999Z'))).toBe(false);
    expect(isOpen(KOLKATA, at('2026-01-12T04:00:00Z'))).toBe(true);
    expect(iso(nextOpening(KOLKATA, at('2026-01-11T10:00:00Z')))).toBe('2026-01-12T04:00:00Z');
  });

  it('a 24-hour calendar counts 23h on the spring-forward day and 25h on the fall-back day (New York 2026)', () => {
    expect(businessTimeBetween(ALWAYS_NEW_YORK, at('2026-03-08T05:00:00Z'), at('2026-03-09T04:00:00Z'))).toBe(
      23 * HOUR,
    );
    expect(businessTimeBetween(ALWAYS_NEW_YORK, at('2026-11-01T04:00:00Z'), at('2026-11-02T05:00:00Z'))).toBe(
      25 * HOUR,
    );
    expect(isOpen(ALWAYS_NEW_YORK, at('2026-03-08T07:00:00Z'))).toBe(true);
    expect(isOpen(ALWAYS_NEW_YORK, at('2026-11-01T06:30:00Z'))).toBe(true);
  });

  it('a night shift across the DST changes: Sunday 01:00–03:00 ET is 1h on 2026-03-08, 3h on 2026-11-01, 2h otherwise', () => {
    const night = compileCalendar({
      timeZone: 'America/New_York',
      hours: { sun: [{ open: '01:00', close: '03:00' }] },
      holidayRules: [],
    });
    // Sunday 00:00 local to Monday 00:00 local.
    expect(businessTimeBetween(night, at('2026-03-08T05:00:00Z'), at('2026-03-09T04:00:00Z'))).toBe(HOUR);
    expect(businessTimeBetween(night, at('2026-11-01T04:00:00Z'), at('2026-11-02T05:00:00Z'))).toBe(3 * HOUR);
    expect(businessTimeBetween(night, at('2026-03-15T04:00:00Z'), at('2026-03-16T04:00:00Z'))).toBe(2 * HOUR);
    // 01:00 EDT (05:00Z) + 2h30 runs through both 01:00s and ends at 02:30 EST.
    expect(add(night, '2026-10-31T16:00:00Z', 2.5 * HOUR)).toBe('2026-11-01T07:30:00Z');
    // 02:00 EST does not exist in March: 01:59 EST is followed by 03:00 EDT, which is closing.
    expect(isOpen(night, at('2026-03-08T06:59:00Z'))).toBe(true);
    expect(isOpen(night, at('2026-03-08T07:00:00Z'))).toBe(false);
  });

  it('a weekend desk (Los Angeles, Saturday and Sunday 10:00–14:00)', () => {
    const weekend = compileCalendar({
      timeZone: 'America/Los_Angeles',
      hours: { sat: [{ open: '10:00', close: '14:00' }], sun: [{ open: '10:00', close: '14:00' }] },
      holidayRules: ['us-federal'],
    });
    // Saturday 2026-01-10 13:00 PST + 2h = Sunday 11:00 PST.
    expect(add(weekend, '2026-01-10T21:00:00Z', 2 * HOUR)).toBe('2026-01-11T19:00:00Z');
    // Sunday 2026-01-11 13:00 PST + 2h = Saturday 2026-01-17 11:00 PST.
    expect(add(weekend, '2026-01-11T21:00:00Z', 2 * HOUR)).toBe('2026-01-17T19:00:00Z');
    // Holidays observed on weekdays never touch it; Saturday July 4, 2026 stays open (observed Friday).
    expect(isOpen(weekend, at('2026-07-04T18:00:00Z'))).toBe(true);
  });

  it('openDates reopen a holiday, closedDates close a business day', () => {
    const openThanksgiving = compileCalendar({ ...US_EASTERN_BUSINESS_HOURS, openDates: ['2026-11-26'] });
    expect(add(openThanksgiving, '2026-11-25T15:00:00Z', BUSINESS_DAY)).toBe('2026-11-26T15:00:00Z');
    const closedFriday = compileCalendar({ ...US_EASTERN_BUSINESS_HOURS, closedDates: ['2026-11-27'] });
    expect(add(closedFriday, '2026-11-25T15:00:00Z', BUSINESS_DAY)).toBe('2026-11-30T15:00:00Z');
  });
});

describe('compileCalendar', () => {
  const base = US_EASTERN_BUSINESS_HOURS;
  const refuse = (spec: unknown, field: string, message: RegExp) => {
    let error: unknown;
    try {
      compileCalendar(spec as BusinessCalendarSpec);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CalendarSpecError);
    expect((error as CalendarSpecError).field).toBe(field);
    expect((error as CalendarSpecError).message).toContain(field);
    expect((error as CalendarSpecError).message).toMatch(message);
  };

  it.each([
    ['an unknown time zone', { ...base, timeZone: 'Mars/Olympus_Mons' }, 'timeZone', /Mars\/Olympus_Mons/],
    ['a missing time zone', { ...base, timeZone: undefined }, 'timeZone', /IANA/],
    [
      'a time without leading zero',
      { ...base, hours: { mon: [{ open: '9:00', close: '17:00' }] } },
      'hours.mon[0].open',
      /'9:00'/,
    ],
    [
      '25:00',
      { ...base, hours: { tue: [{ open: '09:00', close: '25:00' }] } },
      'hours.tue[0].close',
      /25:00/,
    ],
    [
      '24:00 as an opening time',
      { ...base, hours: { tue: [{ open: '24:00', close: '24:00' }] } },
      'hours.tue[0].open',
      /24:00/,
    ],
    [
      'closing before opening',
      { ...base, hours: { wed: [{ open: '17:00', close: '09:00' }] } },
      'hours.wed[0]',
      /not after/,
    ],
    [
      'an empty interval',
      { ...base, hours: { wed: [{ open: '09:00', close: '09:00' }] } },
      'hours.wed[0]',
      /not after/,
    ],
    [
      'overlapping intervals',
      {
        ...base,
        hours: {
          thu: [
            { open: '09:00', close: '13:00' },
            { open: '12:00', close: '17:00' },
          ],
        },
      },
      'hours.thu[1]',
      /overlap/,
    ],
    [
      'unsorted intervals',
      {
        ...base,
        hours: {
          thu: [
            { open: '13:00', close: '17:00' },
            { open: '09:00', close: '12:00' },
          ],
        },
      },
      'hours.thu[1]',
      /sorted/,
    ],
    [
      'an unknown weekday',
      { ...base, hours: { monday: [{ open: '09:00', close: '17:00' }] } },
      'hours.monday',
      /unknown weekday/,
    ],
    [
      'an interval field typo',
      { ...base, hours: { fri: [{ open: '09:00', closes: '17:00' }] } },
      'hours.fri[0].closes',
      /unknown/,
    ],
    [
      'a day that is not a list',
      { ...base, hours: { fri: { open: '09:00', close: '17:00' } } },
      'hours.fri',
      /list/,
    ],
    ['no opening hours at all', { ...base, hours: {} }, 'hours', /never/],
    ['only empty days', { ...base, hours: { mon: [], sat: [] } }, 'hours', /never/],
    [
      'an unknown holiday rule',
      { ...base, holidayRules: ['uk-bank-holidays'] },
      'holidayRules[0]',
      /uk-bank-holidays/,
    ],
    ['holiday rules missing', { ...base, holidayRules: undefined }, 'holidayRules', /list/],
    [
      'an impossible closed date',
      { ...base, closedDates: ['2026-12-24', '2026-02-30'] },
      'closedDates[1]',
      /2026-02-30/,
    ],
    [
      'a date both open and closed',
      { ...base, closedDates: ['2026-12-24'], openDates: ['2026-12-24'] },
      'openDates[0]',
      /closedDates/,
    ],
    ['an unknown field', { ...base, holidays: ['us-federal'] }, 'holidays', /unknown field/],
  ])('refuses %s', (_name, spec, field, message) => {
    refuse(spec, field, message);
  });

  it("accepts '24:00' closings and touching intervals", () => {
    const calendar = compileCalendar({
      timeZone: 'UTC',
      hours: {
        mon: [
          { open: '00:00', close: '12:00' },
          { open: '12:00', close: '24:00' },
        ],
        tue: [],
      },
      holidayRules: [],
    });
    expect(businessTimeBetween(calendar, at('2026-01-12T00:00:00Z'), at('2026-01-14T00:00:00Z'))).toBe(
      24 * HOUR,
    );
    expect(add(calendar, '2026-01-12T23:00:00Z', 2 * HOUR)).toBe('2026-01-19T01:00:00Z');
  });

  it('keeps a frozen copy of the spec, unaffected by later changes to the input', () => {
    const spec: BusinessCalendarSpec = {
      timeZone: 'America/New_York',
      hours: { mon: [{ open: '09:00', close: '17:00' }] },
      holidayRules: ['us-federal'],
      closedDates: ['2026-01-12'],
    };
    const calendar = compileCalendar(spec);
    expect(calendar.spec).toEqual(spec);
    spec.hours.mon![0]!.close = '10:00';
    spec.closedDates!.push('2026-01-26');
    expect(Object.isFrozen(calendar.spec.hours.mon![0])).toBe(true);
    // Monday 2026-01-12 is closed and 2026-01-19 is MLK Day: the whole of Monday 2026-01-26 counts.
    expect(add(calendar, '2026-01-12T15:00:00Z', 8 * HOUR)).toBe('2026-01-26T22:00:00Z');
  });
});

describe('guards', () => {
  it('refuses negative, infinite or missing durations and instants', () => {
    expect(() => addBusinessTime(ET, at('2026-01-12T15:00:00Z'), -1)).toThrow(RangeError);
    expect(() => addBusinessTime(ET, at('2026-01-12T15:00:00Z'), Number.NaN)).toThrow(RangeError);
    expect(() => addBusinessTime(ET, at('2026-01-12T15:00:00Z'), Number.POSITIVE_INFINITY)).toThrow(
      RangeError,
    );
    expect(() => addBusinessTime(ET, Number.NaN, HOUR)).toThrow(RangeError);
    expect(() => isOpen(ET, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => businessTimeBetween(ET, 0, Number.NaN)).toThrow(RangeError);
  });

  it('works up to the ends of the Date range and refuses a due time beyond it', () => {
    expect(isOpen(ET, 8.64e15)).toBe(false);
    expect(isOpen(ET, -8.64e15)).toBe(false);
    expect(nextOpening(ET, -8.64e15)).toBeGreaterThan(-8.64e15);
    expect(() => addBusinessTime(ET, 8.64e15 - HOUR, 2 * BUSINESS_DAY)).toThrow(RangeError);
  });

  it('refuses a calendar that did not come from compileCalendar', () => {
    expect(() => isOpen({ spec: US_EASTERN_BUSINESS_HOURS }, 0)).toThrow(TypeError);
  });

  it('throws instead of walking forever when no business time comes for 3 years', () => {
    // Open on Mondays only, and every Monday of 2026–2030 is a closed date.
    const mondays: string[] = [];
    for (let day = at('2026-01-05T00:00:00Z'); day < at('2031-01-01T00:00:00Z'); day += 7 * DAY) {
      mondays.push(new Date(day).toISOString().slice(0, 10));
    }
    const never = compileCalendar({
      timeZone: 'America/New_York',
      hours: { mon: [{ open: '09:00', close: '17:00' }] },
      holidayRules: [],
      closedDates: mondays,
    });
    expect(() => addBusinessTime(never, at('2026-01-01T12:00:00Z'), HOUR)).toThrow(NoBusinessTimeError);
    expect(() => nextOpening(never, at('2026-01-01T12:00:00Z'))).toThrow(NoBusinessTimeError);
    expect(isOpen(never, at('2026-01-05T15:00:00Z'))).toBe(false);
    // Time that does exist is still found: the first Monday of 2031.
    expect(iso(nextOpening(never, at('2028-06-01T12:00:00Z')))).toBe('2031-01-06T14:00:00Z');
  });

  it('gives the same answers when far-apart dates evict each other from the cache', () => {
    const fresh = () => compileCalendar(US_EASTERN_BUSINESS_HOURS);
    const starts = [
      '2026-11-27T21:30:00Z',
      '2031-11-26T15:00:00Z',
      '2026-11-25T15:00:00Z',
      '2019-12-31T21:00:00Z',
    ];
    const calendar = fresh();
    for (let round = 0; round < 3; round++) {
      for (const start of starts) {
        expect(addBusinessTime(calendar, at(start), 2 * BUSINESS_DAY)).toBe(
          addBusinessTime(fresh(), at(start), 2 * BUSINESS_DAY),
        );
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests against a brute-force reference that steps minute by minute and asks Intl for
// the local wall clock of every minute. Every calendar boundary is a whole local minute and every
// offset change of these zones falls on a whole minute, so a minute is entirely open or closed.

const WEEKDAY_OF_UTC_DAY: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Reference {
  isOpenMinute(minuteStart: number): boolean;
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours! * 60 + minutes!;
}

function referenceOf(spec: BusinessCalendarSpec): Reference {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone: spec.timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  /** Local wall clock of an instant, as if it were UTC (so Date's UTC getters read it). */
  const wallClock = (instant: number): number => {
    const parts: Record<string, string> = {};
    for (const part of formatter.formatToParts(instant)) parts[part.type] = part.value;
    return Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
    );
  };
  // Intl is slow; ask it once per UTC hour, and per minute only in an hour with an offset change.
  const hourWall = new Map<number, number | null>();
  const wallOfMinute = (minuteStart: number): number => {
    const hourStart = Math.floor(minuteStart / HOUR) * HOUR;
    let wall = hourWall.get(hourStart);
    if (wall === undefined) {
      const first = wallClock(hourStart);
      wall = wallClock(hourStart + 59 * MINUTE) - first === 59 * MINUTE ? first : null;
      hourWall.set(hourStart, wall);
    }
    return wall === null ? wallClock(minuteStart) : wall + (minuteStart - hourStart);
  };
  const holidays = new Set<string>();
  const holidayYears = new Set<number>();
  const closed = new Set(spec.closedDates ?? []);
  const opened = new Set(spec.openDates ?? []);
  const hours = Object.fromEntries(
    Object.entries(spec.hours).map(([day, list]) => [
      day,
      (list ?? []).map((i) => [minutesOf(i.open), minutesOf(i.close)]),
    ]),
  ) as Partial<Record<Weekday, number[][]>>;
  /** Opening intervals (minutes of the day) of a local date, given as midnight UTC of the same date. */
  const openingsOf = (midnight: Date): number[][] => {
    const date = midnight.toISOString().slice(0, 10);
    if (closed.has(date)) return [];
    if (spec.holidayRules.includes('us-federal') && !opened.has(date)) {
      const year = midnight.getUTCFullYear();
      for (const y of [year - 1, year, year + 1]) {
        if (!holidayYears.has(y)) {
          holidayYears.add(y);
          for (const holiday of usFederalHolidays(y)) holidays.add(holiday.date);
        }
      }
      if (holidays.has(date)) return [];
    }
    return hours[WEEKDAY_OF_UTC_DAY[midnight.getUTCDay()]!] ?? [];
  };
  const openingsOfDate = new Map<number, number[][]>();
  return {
    isOpenMinute(minuteStart) {
      const wall = wallOfMinute(minuteStart);
      const localDate = Math.floor(wall / DAY);
      let intervals = openingsOfDate.get(localDate);
      if (intervals === undefined) {
        intervals = openingsOf(new Date(localDate * DAY));
        openingsOfDate.set(localDate, intervals);
      }
      const minute = (wall - localDate * DAY) / MINUTE;
      return intervals.some(([open, close]) => open! <= minute && minute < close!);
    },
  };
}

/** Steps minute by minute; bounded so a bug cannot hang the suite. */
function referenceAdd(reference: Reference, start: number, minutes: number): number {
  if (minutes === 0) return start;
  let left = minutes;
  for (let t = start, steps = 0; steps < 60 * 24 * 60; t += MINUTE, steps++) {
    if (reference.isOpenMinute(t) && --left === 0) return t + MINUTE;
  }
  throw new Error('reference: no due time within 60 days');
}

function referenceBetween(reference: Reference, from: number, to: number): number {
  let total = 0;
  for (let t = from; t < to; t += MINUTE) if (reference.isOpenMinute(t)) total += MINUTE;
  return total;
}

const FROM_2020 = Date.UTC(2020, 0, 1) / MINUTE;
const TO_2030 = Date.UTC(2030, 11, 31, 23, 59) / MINUTE;
const FIRST_DAY = FROM_2020 / 1440;
const LAST_DAY = Math.floor(TO_2030 / 1440);

/** Random minutes of 2020–2030, half of them on or next to a local opening or closing time. */
function startMinutes(boundaryUtcMinutes: number[]): fc.Arbitrary<number> {
  return fc.oneof(
    fc.integer({ min: FROM_2020, max: TO_2030 }).map((minute) => minute * MINUTE),
    fc
      .tuple(
        fc.integer({ min: FIRST_DAY, max: LAST_DAY }),
        fc.constantFrom(...boundaryUtcMinutes),
        fc.constantFrom(-1, 0, 0, 1),
      )
      .map(([day, minute, nudge]) => (day * 1440 + minute + nudge) * MINUTE),
  );
}

/** Durations in whole minutes up to 3 business days, with the round figures the policy uses. */
const durationMinutes = fc.oneof(
  fc.integer({ min: 0, max: 3 * 480 }),
  fc.constantFrom(0, 1, 30, 60, 210, 240, 480, 960, 1440),
);

/** UTC minute-of-day of each local boundary, under both of the zone's offsets. */
const utcBoundaries = (localTimes: string[], offsetsMinutes: number[]): number[] =>
  localTimes.flatMap((time) =>
    offsetsMinutes.map((offset) => (((minutesOf(time) - offset) % 1440) + 1440) % 1440),
  );

const PROPERTY_CALENDARS = [
  {
    name: 'the policy calendar (America/New_York, US federal holidays)',
    spec: US_EASTERN_BUSINESS_HOURS,
    calendar: ET,
    boundaries: utcBoundaries(['09:00', '17:00'], [-300, -240]),
  },
  {
    name: 'Paris with a lunch break and closed dates',
    spec: PARIS_SPEC,
    calendar: PARIS,
    boundaries: utcBoundaries(['08:30', '12:00', '13:30', '18:00'], [60, 120]),
  },
  {
    name: 'Kolkata (UTC+05:30) with Saturday mornings',
    spec: KOLKATA_SPEC,
    calendar: KOLKATA,
    boundaries: utcBoundaries(['09:30', '18:00', '10:00', '13:00'], [330]),
  },
];

describe.each(PROPERTY_CALENDARS)(
  'property: $name agrees with the minute-by-minute reference',
  ({ spec, calendar, boundaries }) => {
    const reference = referenceOf(spec);

    it('addBusinessTime', () => {
      fc.assert(
        fc.property(startMinutes(boundaries), durationMinutes, (start, minutes) => {
          expect(iso(addBusinessTime(calendar, start, minutes * MINUTE))).toBe(
            iso(referenceAdd(reference, start, minutes)),
          );
        }),
        { numRuns: 300 },
      );
    });

    it('businessTimeBetween', () => {
      fc.assert(
        fc.property(
          startMinutes(boundaries),
          fc.integer({ min: -60, max: 6 * 1440 }),
          (from, spanMinutes) => {
            const to = from + spanMinutes * MINUTE;
            expect(businessTimeBetween(calendar, from, to)).toBe(referenceBetween(reference, from, to));
          },
        ),
        { numRuns: 300 },
      );
    });

    it('isOpen and nextOpening', () => {
      fc.assert(
        fc.property(startMinutes(boundaries), fc.integer({ min: 0, max: MINUTE - 1 }), (minute, within) => {
          const instant = minute + within;
          expect(isOpen(calendar, instant)).toBe(reference.isOpenMinute(minute));
          let opening = minute;
          while (!reference.isOpenMinute(opening)) opening += MINUTE;
          expect(iso(nextOpening(calendar, instant))).toBe(iso(opening === minute ? instant : opening));
        }),
        { numRuns: 300 },
      );
    });
  },
);

describe('property: calendars open around the clock at the DST changes agree with the reference', () => {
  const night = [
    { open: '00:00', close: '01:15' },
    { open: '01:30', close: '02:30' },
    { open: '02:45', close: '03:15' },
    { open: '12:00', close: '13:00' },
    { open: '22:00', close: '24:00' },
  ];
  const nightShift = (timeZone: string): BusinessCalendarSpec => ({
    timeZone,
    hours: { mon: night, tue: night, wed: night, thu: night, fri: night, sat: night, sun: night },
    holidayRules: timeZone === 'America/New_York' ? ['us-federal'] : [],
  });
  // Starts in the weeks around the changes in March and October/November, any year of 2020–2030.
  const aroundChanges = fc
    .tuple(
      fc.integer({ min: 2020, max: 2030 }),
      fc.constantFrom(2, 9),
      fc.integer({ min: 0, max: 45 * 1440 - 1 }),
    )
    .map(([year, month, minute]) => Date.UTC(year, month, 1) + minute * MINUTE - 5 * DAY);

  it.each(['America/New_York', 'Europe/Paris'])('%s', (timeZone) => {
    const spec = nightShift(timeZone);
    const calendar = compileCalendar(spec);
    const reference = referenceOf(spec);
    fc.assert(
      fc.property(
        aroundChanges,
        fc.integer({ min: 0, max: 12 * 60 }),
        fc.integer({ min: 0, max: 3 * 1440 }),
        (start, minutes, span) => {
          expect(iso(addBusinessTime(calendar, start, minutes * MINUTE))).toBe(
            iso(referenceAdd(reference, start, minutes)),
          );
          expect(businessTimeBetween(calendar, start, start + span * MINUTE)).toBe(
            referenceBetween(reference, start, start + span * MINUTE),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('property: algebraic laws at millisecond precision', () => {
  const anyInstant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2031, 0, 1) });
  const anyDuration = fc.integer({ min: 0, max: 3 * BUSINESS_DAY });
  const calendars = [ET, PARIS, KOLKATA, ALWAYS_NEW_YORK];

  it('businessTimeBetween(start, addBusinessTime(start, d)) === d', () => {
    fc.assert(
      fc.property(fc.constantFrom(...calendars), anyInstant, anyDuration, (calendar, start, duration) => {
        expect(businessTimeBetween(calendar, start, addBusinessTime(calendar, start, duration))).toBe(
          duration,
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('due times grow with the duration, the instant before a due time is open, and nextOpening is open', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...calendars),
        anyInstant,
        anyDuration,
        anyDuration,
        (calendar, start, d1, d2) => {
          const [short, long] = d1 <= d2 ? [d1, d2] : [d2, d1];
          const shortDue = addBusinessTime(calendar, start, short);
          expect(shortDue).toBeGreaterThanOrEqual(start);
          expect(addBusinessTime(calendar, start, long)).toBeGreaterThanOrEqual(shortDue);
          if (short > 0) expect(isOpen(calendar, shortDue - 1)).toBe(true);
          const opening = nextOpening(calendar, start);
          expect(isOpen(calendar, opening)).toBe(true);
          expect(businessTimeBetween(calendar, start, opening)).toBe(0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a calendar open around the clock is the calendar clock, across DST changes', () => {
    fc.assert(
      fc.property(anyInstant, anyDuration, (start, duration) => {
        expect(addBusinessTime(ALWAYS_NEW_YORK, start, duration)).toBe(start + duration);
        expect(businessTimeBetween(ALWAYS_NEW_YORK, start, start + duration)).toBe(duration);
      }),
      { numRuns: 1000 },
    );
  });
});
