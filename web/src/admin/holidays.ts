/**
 * US federal holidays as the desk observes them (src/calendar/holidays.ts is the rule the business
 * clock runs; this copy only lists dates for people): a holiday on a Saturday closes the Friday
 * before, one on a Sunday the Monday after. Juneteenth exists from 2021.
 */

export type FederalHoliday =
  | 'newYear'
  | 'mlk'
  | 'washington'
  | 'memorial'
  | 'juneteenth'
  | 'independence'
  | 'labor'
  | 'columbus'
  | 'veterans'
  | 'thanksgiving'
  | 'christmas';

export interface ObservedHoliday {
  /** Observed date, 'YYYY-MM-DD'. */
  date: string;
  holiday: FederalHoliday;
}

const DAY_MS = 86_400_000;
const utc = (year: number, month: number, day: number) => Date.UTC(year, month - 1, day);
const weekday = (ms: number) => new Date(ms).getUTCDay();

function nthWeekday(year: number, month: number, wd: number, n: number): number {
  const first = utc(year, month, 1);
  return first + (((wd - weekday(first) + 7) % 7) + 7 * (n - 1)) * DAY_MS;
}

function lastWeekday(year: number, month: number, wd: number): number {
  const last = utc(year, month + 1, 1) - DAY_MS;
  return last - ((weekday(last) - wd + 7) % 7) * DAY_MS;
}

function observed(ms: number): number {
  const wd = weekday(ms);
  if (wd === 6) return ms - DAY_MS;
  if (wd === 0) return ms + DAY_MS;
  return ms;
}

function ofLegalYear(year: number): { ms: number; holiday: FederalHoliday }[] {
  const fixed = (month: number, day: number) => observed(utc(year, month, day));
  const list: { ms: number; holiday: FederalHoliday }[] = [
    { ms: fixed(1, 1), holiday: 'newYear' },
    { ms: nthWeekday(year, 1, 1, 3), holiday: 'mlk' },
    { ms: nthWeekday(year, 2, 1, 3), holiday: 'washington' },
    { ms: lastWeekday(year, 5, 1), holiday: 'memorial' },
  ];
  if (year >= 2021) list.push({ ms: fixed(6, 19), holiday: 'juneteenth' });
  list.push(
    { ms: fixed(7, 4), holiday: 'independence' },
    { ms: nthWeekday(year, 9, 1, 1), holiday: 'labor' },
    { ms: nthWeekday(year, 10, 1, 2), holiday: 'columbus' },
    { ms: fixed(11, 11), holiday: 'veterans' },
    { ms: nthWeekday(year, 11, 4, 4), holiday: 'thanksgiving' },
    { ms: fixed(12, 25), holiday: 'christmas' },
  );
  return list;
}

/** The next `count` observed holidays on or after `from` ('YYYY-MM-DD'). */
export function nextFederalHolidays(from: string, count: number): ObservedHoliday[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const year = new Date(start).getUTCFullYear();
  const all = [year, year + 1, year + 2].flatMap(ofLegalYear);
  return all
    .filter((h) => h.ms >= start)
    .sort((a, b) => a.ms - b.ms)
    .slice(0, count)
    .map((h) => ({ date: new Date(h.ms).toISOString().slice(0, 10), holiday: h.holiday }));
}
