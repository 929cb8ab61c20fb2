import { describe, expect, it } from 'vitest';
import {
  isTradingDay,
  mostRecentCompletedTradingDay,
  nextTradingDay,
  previousTradingDay,
  SPECIAL_CLOSURES,
  specialClosuresIn,
  tradingSessionsBetween,
} from '../../../../src/domain/calendar/index.ts';
import { weekday } from '../../../../src/domain/dates.ts';

describe('isTradingDay', () => {
  it('is false on weekends and regular holidays, true on ordinary weekdays', () => {
    expect(isTradingDay('2024-07-06')).toBe(false); // Saturday
    expect(isTradingDay('2024-07-07')).toBe(false); // Sunday
    expect(isTradingDay('2024-07-04')).toBe(false); // Independence Day
    expect(isTradingDay('2024-03-29')).toBe(false); // Good Friday
    expect(isTradingDay('2024-07-05')).toBe(true);
    expect(isTradingDay('2024-03-28')).toBe(true);
  });

  it('trades on December 31 when the Saturday New Year is not observed', () => {
    expect(isTradingDay('2021-12-31')).toBe(true);
    expect(isTradingDay('2027-12-31')).toBe(true);
    expect(isTradingDay('2021-12-24')).toBe(false); // Christmas observed
  });

  it('is closed on every special closure, each of which is a weekday', () => {
    expect(SPECIAL_CLOSURES.length).toBeGreaterThanOrEqual(10);
    for (const { date, reason } of SPECIAL_CLOSURES) {
      expect([1, 2, 3, 4, 5], `${date} ${reason}`).toContain(weekday(date));
      expect(isTradingDay(date), `${date} ${reason}`).toBe(false);
    }
  });

  it.each([
    '2001-09-11',
    '2001-09-12',
    '2001-09-13',
    '2001-09-14',
    '2004-06-11',
    '2007-01-02',
    '2012-10-29',
    '2012-10-30',
    '2018-12-05',
    '2025-01-09',
  ])('is closed on %s', (date) => {
    expect(isTradingDay(date)).toBe(false);
  });

  it('trades on the days around special closures', () => {
    expect(isTradingDay('2001-09-10')).toBe(true);
    expect(isTradingDay('2001-09-17')).toBe(true);
    expect(isTradingDay('2012-10-31')).toBe(true);
    expect(isTradingDay('2025-01-08')).toBe(true);
    expect(isTradingDay('2025-01-10')).toBe(true);
  });

  it('lists special closures by year', () => {
    expect(specialClosuresIn(2012).map((c) => c.date)).toEqual(['2012-10-29', '2012-10-30']);
    expect(specialClosuresIn(2019)).toEqual([]);
  });

  it('rejects malformed dates', () => {
    expect(() => isTradingDay('2024-02-30')).toThrow(RangeError);
    expect(() => isTradingDay('20240102')).toThrow(RangeError);
  });
});

describe('previousTradingDay / nextTradingDay', () => {
  it.each([
    ['2024-07-08', '2024-07-05'], // Monday → Friday
    ['2024-07-06', '2024-07-05'], // from a Saturday
    ['2024-07-05', '2024-07-03'], // over Independence Day
    ['2024-04-01', '2024-03-28'], // over Good Friday and the weekend
    ['2024-01-02', '2023-12-29'], // over New Year's Day and a year end
    ['2022-01-03', '2021-12-31'], // Saturday New Year, December 31 traded
    ['2025-01-10', '2025-01-08'], // over the Carter closure
    ['2001-09-17', '2001-09-10'], // over the September 11 week
    ['2012-10-31', '2012-10-26'], // over Hurricane Sandy
  ])('previousTradingDay(%s) is %s', (date, expected) => {
    expect(previousTradingDay(date)).toBe(expected);
  });

  it.each([
    ['2024-07-05', '2024-07-08'], // Friday → Monday
    ['2024-07-07', '2024-07-08'], // from a Sunday
    ['2024-07-03', '2024-07-05'], // over Independence Day
    ['2023-12-29', '2024-01-02'], // over the year end and New Year's Day
    ['2021-12-23', '2021-12-27'], // over Christmas observed on Friday
    ['2021-12-30', '2021-12-31'], // December 31 is a session when January 1 is a Saturday
    ['2021-12-31', '2022-01-03'],
    ['2001-09-10', '2001-09-17'],
    ['2012-10-26', '2012-10-31'],
  ])('nextTradingDay(%s) is %s', (date, expected) => {
    expect(nextTradingDay(date)).toBe(expected);
  });

  it('is strictly before/after even when the date is itself a trading day', () => {
    expect(previousTradingDay('2024-07-10')).toBe('2024-07-09');
    expect(nextTradingDay('2024-07-10')).toBe('2024-07-11');
  });
});

describe('tradingSessionsBetween', () => {
  it('includes both ends and skips holidays and weekends', () => {
    expect(tradingSessionsBetween('2024-11-25', '2024-12-02')).toEqual([
      '2024-11-25',
      '2024-11-26',
      '2024-11-27',
      '2024-11-29',
      '2024-12-02',
    ]);
  });

  it('returns a single day, or nothing, for a one-day range', () => {
    expect(tradingSessionsBetween('2024-07-10', '2024-07-10')).toEqual(['2024-07-10']);
    expect(tradingSessionsBetween('2024-07-06', '2024-07-06')).toEqual([]);
    expect(tradingSessionsBetween('2024-07-04', '2024-07-04')).toEqual([]);
  });

  it('is empty for a range without sessions or a reversed range', () => {
    expect(tradingSessionsBetween('2024-07-06', '2024-07-07')).toEqual([]);
    expect(tradingSessionsBetween('2024-07-10', '2024-07-09')).toEqual([]);
    expect(tradingSessionsBetween('2025-01-01', '2024-01-01')).toEqual([]);
  });

  // Weekdays in the year minus weekday holidays and special closures, counted by hand.
  it.each([
    [2018, 251], // 261 weekdays − 9 holidays − Bush
    [2022, 251], // 260 weekdays − 9 holidays (New Year on Saturday)
    [2023, 250], // 260 − 10
    [2024, 252], // 262 − 10
    [2025, 250], // 261 − 10 − Carter
  ])('counts %i sessions in %i', (year, count) => {
    expect(tradingSessionsBetween(`${year}-01-01`, `${year}-12-31`)).toHaveLength(count);
  });

  it('agrees with nextTradingDay over a long range', () => {
    const sessions = tradingSessionsBetween('2015-01-02', '2030-12-31');
    const walked = [sessions[0] ?? ''];
    while (walked.length < sessions.length) walked.push(nextTradingDay(walked.at(-1) ?? ''));
    expect(walked).toEqual(sessions);
  });
});

describe('mostRecentCompletedTradingDay', () => {
  const at = (iso: string): string => mostRecentCompletedTradingDay(new Date(iso));

  it('switches at 16:00 New York in winter (EST, UTC−5)', () => {
    expect(at('2024-01-10T20:59:59Z')).toBe('2024-01-09');
    expect(at('2024-01-10T21:00:00Z')).toBe('2024-01-10');
  });

  it('switches at 16:00 New York in summer (EDT, UTC−4)', () => {
    expect(at('2024-07-10T19:59:00Z')).toBe('2024-07-09');
    expect(at('2024-07-10T20:00:00Z')).toBe('2024-07-10');
  });

  it('follows the DST change on the first trading day after it', () => {
    expect(at('2024-03-11T19:59:59Z')).toBe('2024-03-08');
    expect(at('2024-03-11T20:00:00Z')).toBe('2024-03-11');
    expect(at('2024-11-04T20:59:59Z')).toBe('2024-11-01');
    expect(at('2024-11-04T21:00:00Z')).toBe('2024-11-04');
  });

  it('uses the New York date, not the UTC date, late in the evening', () => {
    expect(at('2024-01-11T04:59:00Z')).toBe('2024-01-10'); // 23:59 on the 10th in New York
    expect(at('2024-01-11T05:00:00Z')).toBe('2024-01-10'); // 00:00 on the 11th in New York
  });

  it('returns Friday all weekend and on Monday before the close', () => {
    expect(at('2024-07-13T22:00:00Z')).toBe('2024-07-12');
    expect(at('2024-07-14T18:00:00Z')).toBe('2024-07-12');
    expect(at('2024-07-15T13:30:00Z')).toBe('2024-07-12');
  });

  it('skips holidays and special closures even after 16:00', () => {
    expect(at('2024-07-04T22:00:00Z')).toBe('2024-07-03');
    expect(at('2024-07-05T19:59:00Z')).toBe('2024-07-03');
    expect(at('2024-07-05T20:00:00Z')).toBe('2024-07-05');
    expect(at('2025-01-09T22:00:00Z')).toBe('2025-01-08');
  });

  it('rejects an invalid Date', () => {
    expect(() => mostRecentCompletedTradingDay(new Date('nope'))).toThrow(RangeError);
  });
});
