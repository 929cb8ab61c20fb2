import { describe, expect, it } from 'vitest';
import {
  addDays,
  compareIsoDates,
  daysBetween,
  fromDayNumber,
  isIsoDate,
  isoDate,
  newYorkDateTime,
  parseIsoDate,
  toDayNumber,
  weekday,
} from '../../../src/domain/dates.ts';

describe('isIsoDate / parseIsoDate / isoDate', () => {
  it.each(['2024-02-29', '2000-02-29', '1970-01-01', '2024-12-31', '0001-01-01'])(
    'accepts %s',
    (text) => {
      expect(isIsoDate(text)).toBe(true);
      expect(parseIsoDate(text)).toBe(text);
    },
  );

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '2024-01-00',
    '2024-1-01',
    '24-01-01',
    ' 2024-01-01',
    '2024-01-01T00:00:00Z',
    '2024/01/01',
    '',
  ])('rejects %j', (text) => {
    expect(isIsoDate(text)).toBe(false);
    expect(() => parseIsoDate(text)).toThrow(RangeError);
  });

  it('builds a date from its parts, rejecting impossible ones', () => {
    expect(isoDate(2024, 2, 9)).toBe('2024-02-09');
    expect(isoDate(99, 12, 31)).toBe('0099-12-31');
    expect(() => isoDate(2023, 2, 29)).toThrow(RangeError);
  });
});

describe('day numbers', () => {
  it('counts days from 1970-01-01', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('1970-01-02')).toBe(1);
    expect(toDayNumber('1969-12-31')).toBe(-1);
    expect(toDayNumber('2000-01-01')).toBe(10_957); // 946,684,800 s / 86,400
  });

  it('round-trips through fromDayNumber, including two-digit years', () => {
    const mismatches: number[] = [];
    for (let n = -3000; n <= 30_000; n += 1) {
      if (toDayNumber(fromDayNumber(n)) !== n) mismatches.push(n);
    }
    expect(mismatches).toEqual([]);
    for (const date of ['0001-01-01', '0099-12-31', '1600-02-29', '9999-12-31']) {
      expect(fromDayNumber(toDayNumber(date))).toBe(date);
    }
  });

  it('rejects non-integer day numbers and malformed dates', () => {
    expect(() => fromDayNumber(1.5)).toThrow(RangeError);
    expect(() => fromDayNumber(Number.NaN)).toThrow(RangeError);
    expect(() => toDayNumber('2024-02-30')).toThrow(RangeError);
  });
});

describe('addDays / daysBetween / weekday / compareIsoDates', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2024-12-31', 1, '2025-01-01'],
    ['2025-01-01', -1, '2024-12-31'],
    ['2024-07-10', 0, '2024-07-10'],
    ['2024-01-01', 366, '2025-01-01'],
  ])('addDays(%s, %i) is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('measures the days between two dates', () => {
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2025-01-01', '2024-01-01')).toBe(-366);
  });

  it.each([
    ['1970-01-01', 4],
    ['2023-01-01', 0],
    ['2024-01-01', 1],
    ['2024-02-29', 4],
    ['2022-01-01', 6],
  ])('weekday(%s) is %i', (date, expected) => {
    expect(weekday(date)).toBe(expected);
  });

  it('sorts dates chronologically', () => {
    expect(['2024-01-10', '2023-12-31', '2024-01-09'].sort(compareIsoDates)).toEqual([
      '2023-12-31',
      '2024-01-09',
      '2024-01-10',
    ]);
    expect(compareIsoDates('2024-01-01', '2024-01-01')).toBe(0);
  });
});

describe('newYorkDateTime', () => {
  const ny = (iso: string): ReturnType<typeof newYorkDateTime> => newYorkDateTime(new Date(iso));

  it('is UTC−5 in winter and UTC−4 in summer', () => {
    expect(ny('2024-01-10T20:59:59Z')).toEqual({ date: '2024-01-10', minutesSinceMidnight: 959 });
    expect(ny('2024-01-10T21:00:00Z')).toEqual({ date: '2024-01-10', minutesSinceMidnight: 960 });
    expect(ny('2024-07-10T20:00:00Z')).toEqual({ date: '2024-07-10', minutesSinceMidnight: 960 });
  });

  it('rolls the date at New York midnight, not UTC midnight', () => {
    expect(ny('2024-01-11T04:59:00Z')).toEqual({ date: '2024-01-10', minutesSinceMidnight: 1439 });
    expect(ny('2024-01-11T05:00:00Z')).toEqual({ date: '2024-01-11', minutesSinceMidnight: 0 });
  });

  it('skips and repeats an hour at the DST changes', () => {
    // 2024-03-10: 02:00 EST jumps to 03:00 EDT.
    expect(ny('2024-03-10T06:59:00Z')).toEqual({ date: '2024-03-10', minutesSinceMidnight: 119 });
    expect(ny('2024-03-10T07:00:00Z')).toEqual({ date: '2024-03-10', minutesSinceMidnight: 180 });
    // 2024-11-03: 01:30 happens twice, first in EDT then in EST.
    expect(ny('2024-11-03T05:30:00Z')).toEqual({ date: '2024-11-03', minutesSinceMidnight: 90 });
    expect(ny('2024-11-03T06:30:00Z')).toEqual({ date: '2024-11-03', minutesSinceMidnight: 90 });
  });

  it('rejects an invalid Date', () => {
    expect(() => newYorkDateTime(new Date('nope'))).toThrow(RangeError);
  });
});
