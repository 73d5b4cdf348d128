/**
 * US federal holidays as the desk observes them: the policy's business days skip the day federal
 * offices close, so a holiday on a Saturday closes the Friday before and one on a Sunday closes the
 * Monday after (5 U.S.C. 6103 and the OPM rule for most employees).
 *
 * A year's list holds the observed dates that fall inside that year, as OPM publishes them: when
 * New Year's Day falls on a Saturday, its observed Friday, December 31, is in the previous year's
 * list and the new year has no New Year's Day entry. The rules are today's law applied to every
 * year (Juneteenth excepted, which exists from 2021); earlier historical dates are not modelled.
 */
import { civilFromDays, daysFromCivil, formatIsoDate, parseIsoDate, weekdayOfDay } from './civil.js';

export interface Holiday {
  /** Observed local date, 'YYYY-MM-DD'. */
  date: string;
  name: string;
}

const MONDAY = 1;
const THURSDAY = 4;

function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = daysFromCivil(year, month, 1);
  return first + ((weekday - weekdayOfDay(first) + 7) % 7) + 7 * (n - 1);
}

function lastWeekday(year: number, month: number, weekday: number): number {
  const last = (month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1)) - 1;
  return last - ((weekdayOfDay(last) - weekday + 7) % 7);
}

/** Saturday is observed on the Friday before, Sunday on the Monday after. */
function observed(dayNumber: number): number {
  const weekday = weekdayOfDay(dayNumber);
  if (weekday === 6) return dayNumber - 1;
  if (weekday === 0) return dayNumber + 1;
  return dayNumber;
}

interface HolidayDay {
  day: number;
  name: string;
}

/** The holidays whose legal date is in `year`, with their observed day numbers (which may leave the year). */
function holidaysOfLegalYear(year: number): HolidayDay[] {
  const fixed = (month: number, day: number) => observed(daysFromCivil(year, month, day));
  const list: HolidayDay[] = [
    { day: fixed(1, 1), name: "New Year's Day" },
    { day: nthWeekday(year, 1, MONDAY, 3), name: 'Martin Luther King Jr. Day' },
    { day: nthWeekday(year, 2, MONDAY, 3), name: "Washington's Birthday" },
    { day: lastWeekday(year, 5, MONDAY), name: 'Memorial Day' },
  ];
  if (year >= 2021) list.push({ day: fixed(6, 19), name: 'Juneteenth National Independence Day' });
  list.push(
    { day: fixed(7, 4), name: 'Independence Day' },
    { day: nthWeekday(year, 9, MONDAY, 1), name: 'Labor Day' },
    { day: nthWeekday(year, 10, MONDAY, 2), name: 'Columbus Day' },
    { day: fixed(11, 11), name: 'Veterans Day' },
    { day: nthWeekday(year, 11, THURSDAY, 4), name: 'Thanksgiving Day' },
    { day: fixed(12, 25), name: 'Christmas Day' },
  );
  return list;
}

/** Observed holidays falling inside calendar year `year`, in date order. */
function observedInYear(year: number): HolidayDay[] {
  const first = daysFromCivil(year, 1, 1);
  const last = daysFromCivil(year, 12, 31);
  // Only New Year's Day moves across a year end (Saturday January 1 → Friday December 31).
  return [...holidaysOfLegalYear(year), ...holidaysOfLegalYear(year + 1)]
    .filter((holiday) => holiday.day >= first && holiday.day <= last)
    .sort((a, b) => a.day - b.day);
}

/** US federal holidays observed in `year` (observed local dates inside that year, in date order). */
export function usFederalHolidays(year: number): Holiday[] {
  if (!Number.isInteger(year) || year < 1 || year > 9999) {
    throw new RangeError(`usFederalHolidays: year must be a whole number from 1 to 9999, not ${year}`);
  }
  return observedInYear(year).map(({ day, name }) => ({ date: formatIsoDate(day), name }));
}

/** Observed holidays by day number, for a window of years around the dates asked about lately. */
const WINDOW_YEARS = 16;
const observedByDay = new Map<number, string>();
let windowFirstDay = 0;
let windowLastDay = -1;

/** Name of the US federal holiday observed on a day number, if any. */
export function usFederalHolidayOnDay(dayNumber: number): string | undefined {
  if (dayNumber < windowFirstDay || dayNumber > windowLastDay) {
    const { year } = civilFromDays(dayNumber);
    observedByDay.clear();
    for (let y = year - WINDOW_YEARS; y <= year + WINDOW_YEARS; y++) {
      for (const { day, name } of observedInYear(y)) observedByDay.set(day, name);
    }
    windowFirstDay = daysFromCivil(year - WINDOW_YEARS, 1, 1);
    windowLastDay = daysFromCivil(year + WINDOW_YEARS, 12, 31);
  }
  return observedByDay.get(dayNumber);
}

/** Name of the US federal holiday observed on a 'YYYY-MM-DD' date (whichever year's list holds it), if any. */
export function usFederalHolidayOn(date: string): string | undefined {
  const dayNumber = parseIsoDate(date);
  if (dayNumber === undefined)
    throw new RangeError(`usFederalHolidayOn: '${date}' is not a date 'YYYY-MM-DD'`);
  return usFederalHolidayOnDay(dayNumber);
}
