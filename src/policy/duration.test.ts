import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CLOCKS,
  formatDuration,
  parseDuration,
  resolveDuration,
  resolveDurationMinutes,
} from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['15 minutes', 15, 'minute'],
    ['1 minute', 1, 'minute'],
    ['1 hour', 1, 'hour'],
    ['4 hours', 4, 'hour'],
    ['1 business day', 1, 'business_day'],
    ['2 business days', 2, 'business_day'],
    ['2 Business Days', 2, 'business_day'],
    ['30 MINUTES', 30, 'minute'],
  ] as const)('reads %j as %d %s', (text, amount, unit) => {
    expect(parseDuration(text)).toEqual({ amount, unit });
  });

  it.each([
    '1 buisness day',
    'One business day',
    '30 min',
    '2 h',
    '0 minutes',
    '-1 hour',
    '1.5 hours',
    '01 hour',
    '2  hours',
    ' 2 hours',
    '2 hours ',
    '1 hour 30 minutes',
    '2 days',
    '2 business-days',
    '',
    '99999999999999999 hours',
  ])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('measuring a duration against a policy', () => {
  const rules = { businessDayMinutes: 480, clocks: DEFAULT_CLOCKS };

  it('counts business days in the policy business day, on the business clock', () => {
    expect(resolveDuration({ amount: 2, unit: 'business_day' }, rules)).toEqual({
      amount: 2,
      unit: 'business_day',
      clock: 'business',
      minutes: 960,
    });
    expect(resolveDurationMinutes({ amount: 1, unit: 'business_day' }, 600)).toBe(600);
  });

  it('counts minutes and hours on the calendar clock', () => {
    expect(resolveDuration({ amount: 4, unit: 'hour' }, rules)).toEqual({
      amount: 4,
      unit: 'hour',
      clock: 'calendar',
      minutes: 240,
    });
    expect(resolveDuration({ amount: 15, unit: 'minute' }, rules).minutes).toBe(15);
  });
});

describe('formatDuration', () => {
  it.each([
    [{ amount: 15, unit: 'minute' }, '15 minutes', '15 minutes'],
    [{ amount: 1, unit: 'minute' }, '1 minute', '1 minute'],
    [{ amount: 1, unit: 'hour' }, '1 hour', '1 heure'],
    [{ amount: 2, unit: 'hour' }, '2 hours', '2 heures'],
    [{ amount: 1, unit: 'business_day' }, '1 business day', '1 jour ouvré'],
    [{ amount: 2, unit: 'business_day' }, '2 business days', '2 jours ouvrés'],
    [{ amount: 4, unit: 'hour', clock: 'business' }, '4 business hours', '4 heures ouvrées'],
  ] as const)('shows %j as %j and %j', (duration, en, fr) => {
    expect(formatDuration(duration)).toBe(en);
    expect(formatDuration(duration, 'fr')).toBe(fr);
  });

  it('reads back what it writes in English', () => {
    for (const text of ['15 minutes', '1 hour', '2 business days']) {
      expect(formatDuration(parseDuration(text)!)).toBe(text);
    }
  });
});
