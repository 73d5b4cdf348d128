/**
 * Report periods as calendar days, 'YYYY-MM-DD', in UTC like the rest of the admin area. The screen
 * shows the last day included; the API takes `to` exclusive, the day after. Pure: `today` is passed.
 */

const DAY_MS = 86_400_000;

export const todayUtc = () => new Date().toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The first day of the month `months` after the month of `day` (negative: before). */
export function monthStart(day: string, months = 0): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

export interface Period {
  /** First day included. */
  from: string;
  /** Last day included. */
  to: string;
}

export const PRESETS = ['last30Days', 'thisMonth', 'lastMonth', 'lastQuarter'] as const;
export type Preset = (typeof PRESETS)[number];

export function presetPeriod(preset: Preset, today: string): Period {
  switch (preset) {
    case 'last30Days':
      return { from: addDays(today, -29), to: today };
    case 'thisMonth':
      return { from: monthStart(today), to: today };
    case 'lastMonth':
      return { from: monthStart(today, -1), to: addDays(monthStart(today), -1) };
    case 'lastQuarter': {
      const month = Number(today.slice(5, 7)) - 1;
      const quarterStart = monthStart(today, -(month % 3));
      return { from: monthStart(quarterStart, -3), to: addDays(quarterStart, -1) };
    }
  }
}

/** The preset a period matches, if any, so the screen can show it as chosen. */
export const presetOf = (period: Period, today: string): Preset | undefined =>
  PRESETS.find((p) => {
    const q = presetPeriod(p, today);
    return q.from === period.from && q.to === period.to;
  });

const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const isDay = (value: string | null): value is string =>
  !!value && DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
export const isMonth = (value: string | null): value is string => !!value && MONTH.test(value);

/** A month 'YYYY-MM' as the API's period: its first day to the first day of the next. */
export const monthQuery = (month: string) => ({
  from: `${month}-01`,
  to: monthStart(`${month}-01`, 1),
});

/** A period as the API reads it: `to` is exclusive. */
export const periodQuery = (period: Period) => ({ from: period.from, to: addDays(period.to, 1) });

/** The last `count` months up to the one of `today`, newest first. */
export function recentMonths(today: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => monthStart(today, -i).slice(0, 7));
}
