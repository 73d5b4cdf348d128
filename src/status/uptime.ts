/**
 * A component's uptime, read from the states it has been in. Pure: the caller passes the state
 * changes, the time zone whose days the page shows, and now.
 *
 * How a state counts, as the widely used hosted status-page format counts it:
 * - major_outage is down for all of its time;
 * - partial_outage is down for 30% of its time (part of the service works);
 * - degraded_performance and operational are up;
 * - under_maintenance is announced downtime and leaves the denominator: a day of maintenance
 *   only is neither up nor down (no percentage);
 * - time before the component's first known state is not counted at all (no data).
 */
import { DAY_MS, formatIsoDate } from '../calendar/civil.js';
import { zoneClock, type ZoneClock } from '../calendar/zone.js';
import type { ComponentState } from '../db/tables.js';
import { COMPONENT_STATES, STATE_SEVERITY } from './model.js';

/** A component is in `state` from `fromAt` until the next change. */
export interface StateChange {
  state: ComponentState;
  fromAt: number;
}

export interface UptimeInput {
  /**
   * The component's state changes in order of `fromAt`: the last one before the window (the state
   * in force when it opens), if any, then every one inside it.
   */
  changes: readonly StateChange[];
  /** The IANA zone whose calendar days the bars are (the policy's support time zone). */
  timeZone: string;
  days: number;
  now: number;
}

export type StateSeconds = Record<ComponentState, number>;

export interface UptimeDay {
  /** The local date, YYYY-MM-DD. */
  date: string;
  /** Days since 1970-01-01 of that local date (for formatting it in any locale). */
  dayNumber: number;
  /** The day's first instant, and its end: the next local midnight, or now for today. */
  start: number;
  end: number;
  seconds: StateSeconds;
  /** The most severe state the component was in that day; null when there is no data. */
  worst: ComponentState | null;
  /** 0–100, or null when no time of the day counts (no data, or maintenance only). */
  uptime: number | null;
}

export interface Uptime {
  days: UptimeDay[];
  /** Over the whole window, weighted by time (not the mean of the days' percentages). */
  uptime: number | null;
  seconds: StateSeconds;
}

/** The share of a partial outage's time that counts as down. */
export const PARTIAL_OUTAGE_DOWN_SHARE = 0.3;

const noSeconds = (): StateSeconds =>
  Object.fromEntries(COMPONENT_STATES.map((state) => [state, 0])) as StateSeconds;

/** The uptime percentage of time spent in each state (see the file's comment), or null. */
export function uptimePercent(seconds: StateSeconds): number | null {
  const counted =
    seconds.operational + seconds.degraded_performance + seconds.partial_outage + seconds.major_outage;
  if (counted <= 0) return null;
  const down = seconds.major_outage + PARTIAL_OUTAGE_DOWN_SHARE * seconds.partial_outage;
  return (100 * (counted - down)) / counted;
}

/**
 * A percentage to two decimals, never rounded up to 100 when any downtime was counted (99.999%
 * shows as 99.99%, so that a short outage never reads as perfect uptime).
 */
export function roundedPercent(percent: number): number {
  const rounded = Math.round(percent * 100) / 100;
  return percent < 100 ? Math.min(rounded, 99.99) : 100;
}

/** The local calendar day of an instant in a zone, as days since 1970-01-01. */
export function localDay(zone: ZoneClock, at: number): number {
  return Math.floor((at + zone.offsetAt(at)) / DAY_MS);
}

/**
 * The instant of a local day's midnight. Exact for zones whose offset changes away from midnight
 * (America/New_York changes at 02:00); where a midnight is skipped, the day starts an offset late.
 */
export function dayStart(zone: ZoneClock, dayNumber: number): number {
  const wallMidnight = dayNumber * DAY_MS;
  return wallMidnight - zone.offsetAt(wallMidnight - zone.offsetAt(wallMidnight));
}

/** For each of the last `days` local days (today, up to now, last) the time in each state and the uptime. */
export function dailyUptime({ changes, timeZone, days, now }: UptimeInput): Uptime {
  const zone = zoneClock(timeZone);
  const today = localDay(zone, now);
  const result: UptimeDay[] = [];
  const total = noSeconds();
  // Changes are in order, and so are the days: one pass over both.
  let c = 0;
  for (let dayNumber = today - days + 1; dayNumber <= today; dayNumber++) {
    const start = dayStart(zone, dayNumber);
    const end = Math.min(dayStart(zone, dayNumber + 1), now);
    const seconds = noSeconds();
    while (c + 1 < changes.length && changes[c + 1]!.fromAt <= start) c++;
    for (let i = c; i < changes.length && changes[i]!.fromAt < end; i++) {
      const from = Math.max(changes[i]!.fromAt, start);
      const until = Math.min(changes[i + 1]?.fromAt ?? end, end);
      if (until > from) seconds[changes[i]!.state] += (until - from) / 1000;
    }
    let worst: ComponentState | null = null;
    for (const state of COMPONENT_STATES) {
      total[state] += seconds[state];
      if (seconds[state] > 0 && (worst === null || STATE_SEVERITY[state] > STATE_SEVERITY[worst]))
        worst = state;
    }
    result.push({
      date: formatIsoDate(dayNumber),
      dayNumber,
      start,
      end,
      seconds,
      worst,
      uptime: uptimePercent(seconds),
    });
  }
  return { days: result, uptime: uptimePercent(total), seconds: total };
}
