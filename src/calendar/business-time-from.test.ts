import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessTimeBetween, businessTimeFrom, compileCalendar } from './calendar.js';
import { US_EASTERN_BUSINESS_HOURS } from './default.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);

const ET = compileCalendar(US_EASTERN_BUSINESS_HOURS);
const lunch = [
  { open: '08:30', close: '12:00' },
  { open: '13:30', close: '18:00' },
];
const PARIS = compileCalendar({
  timeZone: 'Europe/Paris',
  hours: { mon: lunch, tue: lunch, wed: lunch, thu: lunch, fri: lunch },
  holidayRules: [],
  closedDates: ['2026-05-01', '2026-07-14'],
});
// Open across local midnight and through both DST changes of New York.
const NIGHTS = compileCalendar({
  timeZone: 'America/New_York',
  hours: { sun: [{ open: '01:00', close: '03:00' }], sat: [{ open: '22:00', close: '24:00' }] },
  holidayRules: [],
});

/**
 * What businessTimeFrom promises: businessTimeBetween, negated when the instants come in reverse
 * (no business time either way is 0, never -0).
 */
const signedBetween = (calendar: typeof ET, from: number, to: number) =>
  (to >= from ? businessTimeBetween(calendar, from, to) : -businessTimeBetween(calendar, to, from)) + 0;

describe('businessTimeFrom', () => {
  it('answers as businessTimeBetween on named instants (Friday 16:30 ET to Monday 10:00 ET = 1.5 business hours)', () => {
    const page = businessTimeFrom(ET, at('2026-06-05T20:30:00Z'));
    expect(page.between(at('2026-06-05T20:30:00Z'), at('2026-06-08T14:00:00Z'))).toBe(90 * MINUTE);
    expect(page.between(at('2026-06-08T14:00:00Z'), at('2026-06-05T20:30:00Z'))).toBe(-90 * MINUTE);
    // A year overdue: every business day between, US federal holidays out.
    const yearAgo = at('2025-06-05T20:30:00Z');
    expect(page.between(at('2026-06-05T20:30:00Z'), yearAgo)).toBe(
      -businessTimeBetween(ET, yearAgo, at('2026-06-05T20:30:00Z')),
    );
  });

  it('falls back to the walk for instants decades away from the origin', () => {
    const origin = at('2026-06-05T20:30:00Z');
    const far = origin + 40 * 365 * DAY;
    expect(businessTimeFrom(ET, origin).between(origin, far)).toBe(businessTimeBetween(ET, origin, far));
  });

  for (const [name, calendar] of [
    ['the policy calendar', ET],
    ['Paris with a lunch break', PARIS],
    ['night hours across the DST changes', NIGHTS],
  ] as const) {
    it(`property (${name}): equals businessTimeBetween for any instants within two years of the origin`, () => {
      const origin = fc.integer({ min: at('2024-01-01T00:00:00Z'), max: at('2028-12-31T00:00:00Z') });
      const offset = fc.integer({ min: -730 * DAY, max: 730 * DAY });
      fc.assert(
        fc.property(
          origin,
          fc.array(fc.tuple(offset, offset), { minLength: 1, maxLength: 8 }),
          (o, pairs) => {
            // One origin answers every pair, in any order, as a page of tickets asks.
            const page = businessTimeFrom(calendar, o);
            for (const [a, b] of pairs)
              expect(page.between(o + a, o + b)).toBe(signedBetween(calendar, o + a, o + b));
          },
        ),
        { numRuns: 200 },
      );
    });
  }
});
