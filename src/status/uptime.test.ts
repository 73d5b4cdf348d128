import { describe, expect, it } from 'vitest';
import { dailyUptime, roundedPercent, uptimePercent, type StateChange } from './uptime.js';

const NY = 'America/New_York';
const at = (iso: string) => Date.parse(iso);
const HOUR = 3600;

/** Operational since long before any window below, then the given changes. */
const history = (...changes: [string, StateChange['state']][]): StateChange[] => [
  { state: 'operational', fromAt: at('2026-01-01T00:00:00Z') },
  ...changes.map(([iso, state]) => ({ state, fromAt: at(iso) })),
];

const dayOf = (uptime: ReturnType<typeof dailyUptime>, date: string) => {
  const day = uptime.days.find((d) => d.date === date);
  if (!day) throw new Error(`no day ${date}`);
  return day;
};

const totalSeconds = (seconds: Record<string, number>) => Object.values(seconds).reduce((a, b) => a + b, 0);

describe('dailyUptime', () => {
  // Friday 2026-11-20 12:00 EST (UTC−5).
  const now = at('2026-11-20T17:00:00Z');

  it('gives a day with a 2-hour major outage 22/24 = 91.67%', () => {
    // Wednesday 2026-11-18 10:00–12:00 EST.
    const uptime = dailyUptime({
      changes: history(['2026-11-18T15:00:00Z', 'major_outage'], ['2026-11-18T17:00:00Z', 'operational']),
      timeZone: NY,
      days: 3,
      now,
    });
    expect(uptime.days.map((d) => d.date)).toEqual(['2026-11-18', '2026-11-19', '2026-11-20']);
    const day = dayOf(uptime, '2026-11-18');
    expect(day.start).toBe(at('2026-11-18T05:00:00Z'));
    expect(day.end).toBe(at('2026-11-19T05:00:00Z'));
    expect(day.seconds.major_outage).toBe(2 * HOUR);
    expect(day.seconds.operational).toBe(22 * HOUR);
    expect(day.worst).toBe('major_outage');
    expect(roundedPercent(day.uptime!)).toBe(91.67);
    expect(dayOf(uptime, '2026-11-19')).toMatchObject({ worst: 'operational', uptime: 100 });
  });

  it('counts the day in progress only up to now', () => {
    // Today 2026-11-20: 00:00–12:00 EST so far, one hour of it (09:00–10:00 EST) a major outage.
    const uptime = dailyUptime({
      changes: history(['2026-11-20T14:00:00Z', 'major_outage'], ['2026-11-20T15:00:00Z', 'operational']),
      timeZone: NY,
      days: 1,
      now,
    });
    const today = dayOf(uptime, '2026-11-20');
    expect(today.end).toBe(now);
    expect(totalSeconds(today.seconds)).toBe(12 * HOUR);
    expect(today.uptime).toBeCloseTo((100 * 11) / 12, 10);
  });

  it('splits an interval spanning midnight across the two days', () => {
    // 2026-11-17 23:00 EST to 2026-11-18 02:00 EST.
    const uptime = dailyUptime({
      changes: history(['2026-11-18T04:00:00Z', 'major_outage'], ['2026-11-18T07:00:00Z', 'operational']),
      timeZone: NY,
      days: 4,
      now,
    });
    expect(dayOf(uptime, '2026-11-17').seconds.major_outage).toBe(1 * HOUR);
    expect(dayOf(uptime, '2026-11-18').seconds.major_outage).toBe(2 * HOUR);
    expect(dayOf(uptime, '2026-11-19').seconds.major_outage).toBe(0);
  });

  it('gives the fall-back day 25 hours and the spring-forward day 23', () => {
    // Sunday 2026-11-01: EDT (UTC−4) until 02:00, then EST (UTC−5).
    const fall = dailyUptime({ changes: history(), timeZone: NY, days: 2, now: at('2026-11-02T17:00:00Z') });
    const sunday = dayOf(fall, '2026-11-01');
    expect(sunday.start).toBe(at('2026-11-01T04:00:00Z'));
    expect(sunday.end).toBe(at('2026-11-02T05:00:00Z'));
    expect(sunday.seconds.operational).toBe(25 * HOUR);
    // Sunday 2026-03-08: EST until 02:00, then EDT.
    const spring = dailyUptime({
      changes: history(),
      timeZone: NY,
      days: 2,
      now: at('2026-03-09T16:00:00Z'),
    });
    expect(dayOf(spring, '2026-03-08').seconds.operational).toBe(23 * HOUR);
  });

  it('counts a 2-hour outage on the 25-hour day as 23/25 up', () => {
    const uptime = dailyUptime({
      changes: history(['2026-11-01T15:00:00Z', 'major_outage'], ['2026-11-01T17:00:00Z', 'operational']),
      timeZone: NY,
      days: 2,
      now: at('2026-11-02T17:00:00Z'),
    });
    expect(dayOf(uptime, '2026-11-01').uptime).toBeCloseTo(92, 10);
  });

  it('leaves maintenance out of the denominator', () => {
    // 2026-11-19: 01:00–05:00 EST maintenance, 10:00–12:00 EST major outage; 18 h operational.
    const uptime = dailyUptime({
      changes: history(
        ['2026-11-19T06:00:00Z', 'under_maintenance'],
        ['2026-11-19T10:00:00Z', 'operational'],
        ['2026-11-19T15:00:00Z', 'major_outage'],
        ['2026-11-19T17:00:00Z', 'operational'],
      ),
      timeZone: NY,
      days: 2,
      now,
    });
    const day = dayOf(uptime, '2026-11-19');
    expect(day.seconds.under_maintenance).toBe(4 * HOUR);
    expect(day.uptime).toBeCloseTo(90, 10); // 2 h down of 20 h counted
    expect(day.worst).toBe('major_outage');
  });

  it('gives a day of maintenance only no percentage, and maintenance as its worst state', () => {
    const uptime = dailyUptime({
      changes: history(
        ['2026-11-19T05:00:00Z', 'under_maintenance'],
        ['2026-11-20T05:00:00Z', 'operational'],
      ),
      timeZone: NY,
      days: 2,
      now,
    });
    expect(dayOf(uptime, '2026-11-19')).toMatchObject({ worst: 'under_maintenance', uptime: null });
    expect(dayOf(uptime, '2026-11-20').uptime).toBe(100);
  });

  it('counts a partial outage as 30% down and degraded performance as up', () => {
    // 2026-11-19: 10 h partial outage, 4 h degraded.
    const uptime = dailyUptime({
      changes: history(
        ['2026-11-19T05:00:00Z', 'partial_outage'],
        ['2026-11-19T15:00:00Z', 'degraded_performance'],
        ['2026-11-19T19:00:00Z', 'operational'],
      ),
      timeZone: NY,
      days: 2,
      now,
    });
    const day = dayOf(uptime, '2026-11-19');
    expect(day.uptime).toBeCloseTo(87.5, 10); // 3 h of 24 down
    expect(day.worst).toBe('partial_outage');
  });

  it('has no data for the days before the first known state', () => {
    // First state 2026-11-19 12:00 EST.
    const uptime = dailyUptime({
      changes: [{ state: 'operational', fromAt: at('2026-11-19T17:00:00Z') }],
      timeZone: NY,
      days: 3,
      now,
    });
    expect(dayOf(uptime, '2026-11-18')).toMatchObject({ worst: null, uptime: null });
    expect(dayOf(uptime, '2026-11-19').seconds.operational).toBe(12 * HOUR);
    expect(uptime.uptime).toBe(100);
  });

  it('weights the window uptime by time, not by the mean of the days', () => {
    // 2 h major outage on 2026-11-18, window 2026-11-18 00:00 EST to now: 24 + 24 + 12 = 60 h.
    const uptime = dailyUptime({
      changes: history(['2026-11-18T15:00:00Z', 'major_outage'], ['2026-11-18T17:00:00Z', 'operational']),
      timeZone: NY,
      days: 3,
      now,
    });
    expect(uptime.uptime).toBeCloseTo((100 * 58) / 60, 10);
    expect(uptime.seconds.major_outage).toBe(2 * HOUR);
  });

  it('has 90 days, the last one today, for the page', () => {
    const uptime = dailyUptime({ changes: history(), timeZone: NY, days: 90, now });
    expect(uptime.days).toHaveLength(90);
    expect(uptime.days[0]!.date).toBe('2026-08-23');
    expect(uptime.days[89]!.date).toBe('2026-11-20');
  });
});

describe('uptime percentages', () => {
  it('is null when nothing counts', () => {
    expect(
      uptimePercent({
        operational: 0,
        degraded_performance: 0,
        partial_outage: 0,
        major_outage: 0,
        under_maintenance: 3600,
      }),
    ).toBeNull();
  });

  it('rounds to two decimals but never up to 100 with downtime', () => {
    expect(roundedPercent((100 * 22) / 24)).toBe(91.67);
    expect(roundedPercent(99.999)).toBe(99.99);
    expect(roundedPercent(100)).toBe(100);
  });
});
