import { describe, expect, it } from 'vitest';
import { usFederalHolidayOn, usFederalHolidays } from './holidays.js';

describe('usFederalHolidays', () => {
  it('lists the eleven holidays of 2026 with their observed dates', () => {
    expect(usFederalHolidays(2026)).toEqual([
      { date: '2026-01-01', name: "New Year's Day" },
      { date: '2026-01-19', name: 'Martin Luther King Jr. Day' },
      { date: '2026-02-16', name: "Washington's Birthday" },
      { date: '2026-05-25', name: 'Memorial Day' },
      { date: '2026-06-19', name: 'Juneteenth National Independence Day' },
      // July 4, 2026 is a Saturday.
      { date: '2026-07-03', name: 'Independence Day' },
      { date: '2026-09-07', name: 'Labor Day' },
      { date: '2026-10-12', name: 'Columbus Day' },
      { date: '2026-11-11', name: 'Veterans Day' },
      { date: '2026-11-26', name: 'Thanksgiving Day' },
      { date: '2026-12-25', name: 'Christmas Day' },
    ]);
  });

  it('matches the OPM list for 2025', () => {
    expect(usFederalHolidays(2025).map((h) => h.date)).toEqual([
      '2025-01-01',
      '2025-01-20',
      '2025-02-17',
      '2025-05-26',
      '2025-06-19',
      '2025-07-04',
      '2025-09-01',
      '2025-10-13',
      '2025-11-11',
      '2025-11-27',
      '2025-12-25',
    ]);
  });

  it('2021: Juneteenth (Saturday) on Friday June 18, July 4 (Sunday) on Monday July 5, Christmas (Saturday) on Friday Dec 24, and New Year 2022 (Saturday) on Friday Dec 31', () => {
    expect(usFederalHolidays(2021)).toEqual([
      { date: '2021-01-01', name: "New Year's Day" },
      { date: '2021-01-18', name: 'Martin Luther King Jr. Day' },
      { date: '2021-02-15', name: "Washington's Birthday" },
      { date: '2021-05-31', name: 'Memorial Day' },
      { date: '2021-06-18', name: 'Juneteenth National Independence Day' },
      { date: '2021-07-05', name: 'Independence Day' },
      { date: '2021-09-06', name: 'Labor Day' },
      { date: '2021-10-11', name: 'Columbus Day' },
      { date: '2021-11-11', name: 'Veterans Day' },
      { date: '2021-11-25', name: 'Thanksgiving Day' },
      { date: '2021-12-24', name: 'Christmas Day' },
      { date: '2021-12-31', name: "New Year's Day" },
    ]);
  });

  it('2022 has no New Year entry of its own (observed 2021-12-31); Juneteenth and Christmas (Sundays) move to Monday', () => {
    const holidays = usFederalHolidays(2022);
    expect(holidays.filter((h) => h.name === "New Year's Day")).toEqual([]);
    expect(holidays).toContainEqual({ date: '2022-06-20', name: 'Juneteenth National Independence Day' });
    expect(holidays).toContainEqual({ date: '2022-12-26', name: 'Christmas Day' });
    expect(holidays).toHaveLength(10);
  });

  it('Veterans Day 2023 (Saturday) is observed Friday Nov 10; 2027 holds two New Year entries', () => {
    expect(usFederalHolidays(2023)).toContainEqual({ date: '2023-11-10', name: 'Veterans Day' });
    expect(
      usFederalHolidays(2027)
        .filter((h) => h.name === "New Year's Day")
        .map((h) => h.date),
    ).toEqual(['2027-01-01', '2027-12-31']);
  });

  it('has no Juneteenth before 2021', () => {
    for (const year of [2000, 2019, 2020]) {
      expect(usFederalHolidays(year).some((h) => h.name.startsWith('Juneteenth'))).toBe(false);
    }
    expect(usFederalHolidays(2020).map((h) => h.date)).not.toContain('2020-06-19');
    expect(usFederalHolidays(2020)).toContainEqual({ date: '2020-07-03', name: 'Independence Day' });
  });

  it('every observed date is a weekday inside its year, in order, once', () => {
    for (let year = 1990; year <= 2060; year++) {
      const dates = usFederalHolidays(year).map((h) => h.date);
      expect([...dates].sort()).toEqual(dates);
      expect(new Set(dates).size).toBe(dates.length);
      for (const date of dates) {
        expect(date.startsWith(`${year}-`)).toBe(true);
        const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
        expect(weekday >= 1 && weekday <= 5).toBe(true);
      }
    }
  });

  it('refuses a year that is not a whole number in 1–9999', () => {
    expect(() => usFederalHolidays(2026.5)).toThrow(RangeError);
    expect(() => usFederalHolidays(0)).toThrow(RangeError);
  });
});

describe('usFederalHolidayOn', () => {
  it.each([
    ['2021-12-31', "New Year's Day"],
    ['2022-01-01', undefined],
    ['2022-12-26', 'Christmas Day'],
    ['2022-12-25', undefined],
    ['2026-07-03', 'Independence Day'],
    ['2026-07-04', undefined],
    ['2026-11-26', 'Thanksgiving Day'],
    ['2026-11-27', undefined],
    ['2027-12-31', "New Year's Day"],
    ['2028-01-01', undefined],
  ])('%s → %s', (date, name) => {
    expect(usFederalHolidayOn(date)).toBe(name);
  });

  it('finds holidays asked about far apart in time', () => {
    expect(usFederalHolidayOn('1990-12-25')).toBe('Christmas Day');
    expect(usFederalHolidayOn('2090-12-25')).toBe('Christmas Day');
    expect(usFederalHolidayOn('1990-12-25')).toBe('Christmas Day');
  });

  it('refuses text that is not a date', () => {
    expect(() => usFederalHolidayOn('2026-02-30')).toThrow(RangeError);
    expect(() => usFederalHolidayOn('26-1-1')).toThrow(RangeError);
  });
});
