import { beforeAll, describe, expect, it } from 'vitest';
import {
  closesFor,
  loadSamplePrices,
  type SamplePriceSet,
} from '../../../../../src/market/providers/sample/load-sample-prices.ts';

// One load shared by the whole file: the grid is read-only here and takes ~0.2 s to build.
let set: SamplePriceSet;
beforeAll(async () => {
  set = await loadSamplePrices();
});

function closeOn(symbol: string, date: string): number {
  const i = set.dates.indexOf(date);
  expect(i, `${date} in calendar`).toBeGreaterThanOrEqual(0);
  return set.closes.get(symbol)?.[i] ?? NaN;
}

describe('bundled sample prices', () => {
  it('has the documented shape: 334,560 rows, 164 symbols, 2,040 sessions', () => {
    expect(set.rowCount).toBe(334_560);
    expect(set.symbols).toHaveLength(164);
    expect(set.closes.size).toBe(164);
    expect(set.dates).toHaveLength(2_040);
    expect(set.dates[0]).toBe('2018-06-19');
    expect(set.dates.at(-1)).toBe('2026-07-31');
  });

  it('keeps dates ascending and unique, symbols sorted, and no weekend sessions', () => {
    for (let i = 1; i < set.dates.length; i++) {
      expect((set.dates[i - 1] as string) < (set.dates[i] as string)).toBe(true);
    }
    expect([...set.symbols].sort()).toEqual(set.symbols);
    const weekend = set.dates.filter((d) =>
      [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()),
    );
    expect(weekend).toEqual([]);
  });

  it('has a positive close for every symbol on every date', () => {
    const gaps: string[] = [];
    for (const symbol of set.symbols) {
      const series = set.closes.get(symbol) as Float64Array;
      expect(series).toHaveLength(set.dates.length);
      series.forEach((close, i) => {
        if (!(close > 0)) gaps.push(`${symbol} ${set.dates[i]}`);
      });
    }
    expect(gaps).toEqual([]);
  });

  it('reads spot values exactly as written in the file', () => {
    expect(closeOn('AAPL', '2018-06-19')).toBe(43.751472);
    // Dividend-adjusted; the unadjusted close that day was 222.95.
    expect(closeOn('SPY', '2020-03-23')).toBe(204.418213);
  });

  it('is split-adjusted: TSLA 5:1 on 2020-08-31 is a +12.57 % day, not -80 %', () => {
    const before = closeOn('TSLA', '2020-08-28');
    const after = closeOn('TSLA', '2020-08-31');
    expect(before).toBe(147.559998);
    expect(after).toBe(166.106674);
    expect(after / before - 1).toBeCloseTo(0.1257, 4);
  });
});

describe('closesFor', () => {
  it('returns an inclusive date range aligned with its closes', () => {
    const r = closesFor(set, 'SPY', '2020-03-20', '2020-03-24');
    expect(r.dates).toEqual(['2020-03-20', '2020-03-23', '2020-03-24']);
    expect(r.closes).toHaveLength(3);
    expect(r.closes[1]).toBe(204.418213);
  });

  it('snaps non-session bounds inward and defaults to the whole window', () => {
    const weekend = closesFor(set, 'SPY', '2020-03-21', '2020-03-22');
    expect(weekend.dates).toEqual([]);
    expect(weekend.closes).toHaveLength(0);
    expect(closesFor(set, 'AAPL', '2020-03-21', '2020-03-23').dates).toEqual(['2020-03-23']);
    const all = closesFor(set, 'AAPL');
    expect(all.dates).toEqual(set.dates);
    expect(all.closes[0]).toBe(43.751472);
    expect(closesFor(set, 'AAPL', '2026-07-31').dates).toEqual(['2026-07-31']);
    expect(closesFor(set, 'AAPL', undefined, '2018-06-19').dates).toEqual(['2018-06-19']);
    expect(closesFor(set, 'AAPL', '2020-01-10', '2020-01-01').dates).toEqual([]);
  });

  it('returns copies, so mutating a result leaves the set intact', () => {
    const r = closesFor(set, 'AAPL', '2018-06-19', '2018-06-19');
    r.closes[0] = -1;
    r.dates[0] = 'x';
    expect(closeOn('AAPL', '2018-06-19')).toBe(43.751472);
  });

  it('rejects an unknown symbol and malformed bounds', () => {
    expect(() => closesFor(set, 'NOPE')).toThrow(/Unknown symbol 'NOPE'/);
    expect(() => closesFor(set, 'AAPL', '2020-3-1')).toThrow(/from must be a YYYY-MM-DD/);
    expect(() => closesFor(set, 'AAPL', undefined, '2020-02-30')).toThrow(/to must be/);
  });
});
