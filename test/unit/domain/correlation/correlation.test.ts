import { describe, expect, it } from 'vitest';
import {
  computeCorrelationMatrix,
  effectiveCount,
  pairwisePearson,
} from '../../../../src/domain/correlation/index.ts';

/** n + 1 business-like dates: 2024-01-01, 2024-01-02, … (the functions only need them sorted). */
function gridDates(n: number): string[] {
  return Array.from({ length: n + 1 }, (_, i) => {
    const d = new Date(Date.UTC(2024, 0, 1 + i));
    return d.toISOString().slice(0, 10);
  });
}

/** Closes whose log returns are exactly `returns` (up to exp/log rounding), starting at 100. */
function closesFromLogReturns(returns: readonly number[]): Float64Array {
  const out = new Float64Array(returns.length + 1);
  out[0] = 100;
  returns.forEach((r, i) => (out[i + 1] = (out[i] as number) * Math.exp(r)));
  return out;
}

const NAV = 1_000_000;

describe('pairwisePearson', () => {
  it('matches the hand-worked r = 0.8 and uses only the common observations', () => {
    // x − x̄ = (−2,−1,0,1,2), y − ȳ = (−1,−2,1,0,2): Σdxdy = 8, Σdx² = Σdy² = 10, r = 0.8.
    const x = Float64Array.from([1, 2, 3, 4, 5, 99]);
    const y = Float64Array.from([2, 1, 4, 3, 5, NaN]);
    const { correlation, count } = pairwisePearson(x, y);
    expect(count).toBe(5);
    expect(correlation).toBeCloseTo(0.8, 14);
  });

  it('is NaN when one side is constant on the common dates', () => {
    const r = pairwisePearson(Float64Array.from([1, 1, 1]), Float64Array.from([1, 2, 3]));
    expect(r.correlation).toBeNaN();
  });
});

describe('computeCorrelationMatrix', () => {
  it('correlates two assets from their log returns (r = 0.8 by hand)', () => {
    // Five returns repeated four times: the repeats keep r = 0.8 and reach minOverlap = 20.
    const base = [
      [0.01, 0.02],
      [0.02, 0.01],
      [0.03, 0.04],
      [0.04, 0.03],
      [0.05, 0.05],
    ];
    const xs = Array.from({ length: 20 }, (_, i) => base[i % 5]![0]! - 0.03);
    const ys = Array.from({ length: 20 }, (_, i) => base[i % 5]![1]! - 0.03);
    const dates = gridDates(20);
    const r = computeCorrelationMatrix({
      dates,
      closes: new Map([
        ['AAA', closesFromLogReturns(xs)],
        ['BBB', closesFromLogReturns(ys)],
      ]),
      positions: [
        { symbol: 'AAA', marketValue: 100_000 },
        { symbol: 'BBB', marketValue: 50_000 },
      ],
      nav: NAV,
      asOf: dates[20]!,
      lookbackDays: 20,
    });
    expect(r.symbols).toEqual(['AAA', 'BBB']);
    expect(r.matrix[0]![0]).toBe(1);
    expect(r.matrix[0]![1]).toBeCloseTo(0.8, 12);
    expect(r.matrix[1]![0]).toBe(r.matrix[0]![1]);
    expect(r.dataPoints).toEqual([
      [20, 20],
      [20, 20],
    ]);
    expect(r.overallCorrelation).toBeCloseTo(0.8, 12);
    // w = (2/3, 1/3): wᵀCw = 4/9 + 1/9 + 2·(2/9)·0.8 = 5/9 + 3.2/9 = 8.2/9.
    expect(r.effectivePositions).toBeCloseTo(9 / 8.2, 12);
    expect(r.dataQuality).toBe('good');
    expect(r.windowStart).toBe(dates[1]);
    expect(r.windowEnd).toBe(dates[20]);
  });

  it('applies the $ and % of NAV thresholds after netting lots', () => {
    const n = 30;
    const dates = gridDates(n);
    const wave = (phase: number) =>
      closesFromLogReturns(Array.from({ length: n }, (_, i) => 0.01 * Math.sin(i + phase)));
    const closes = new Map(['A', 'B', 'C', 'D', 'E'].map((s, k) => [s, wave(k)]));
    const r = computeCorrelationMatrix({
      dates,
      closes,
      nav: 2_000_000,
      asOf: dates[n]!,
      lookbackDays: n,
      positions: [
        { symbol: 'A', marketValue: 9_999 }, // below $10,000
        { symbol: 'B', marketValue: 15_000 }, // ≥ $10,000 but 0.75 % of NAV
        { symbol: 'C', marketValue: 12_000 }, // two lots: 24,000 → 1.2 % of NAV, included
        { symbol: 'C', marketValue: 12_000 },
        { symbol: 'D', marketValue: -20_000 }, // short, exactly 1 %: included, negative weight
        { symbol: 'E', marketValue: 30_000 },
        { symbol: 'E', marketValue: -30_000 }, // nets to 0
      ],
    });
    expect(r.symbols).toEqual(['C', 'D']);
    expect(r.included.map((p) => [p.symbol, p.weight])).toEqual([
      ['C', 24_000 / 44_000],
      ['D', -20_000 / 44_000],
    ]);
    expect(r.excluded).toEqual([
      { symbol: 'A', marketValue: 9_999, reason: 'below_threshold' },
      { symbol: 'B', marketValue: 15_000, reason: 'below_threshold' },
      { symbol: 'E', marketValue: 0, reason: 'below_threshold' },
    ]);
  });

  it('leaves pairs below the minimum overlap null, counts them, and reports missing data', () => {
    const n = 40;
    const dates = gridDates(n);
    const nan = NaN;
    const rets = (k: number) => Array.from({ length: n }, (_, i) => 0.01 * Math.cos(i * k + k));
    // P has closes only on days 0–24, Q only on days 15–40: 24 and 25 returns, 9 in common.
    const p = closesFromLogReturns(rets(1)).map((c, i) => (i <= 24 ? c : nan));
    const q = closesFromLogReturns(rets(2)).map((c, i) => (i >= 15 ? c : nan));
    const full = closesFromLogReturns(rets(3));
    const short = closesFromLogReturns(rets(4)).map((c, i) => (i >= 30 ? c : nan)); // 10 returns
    const none = new Float64Array(n + 1).fill(nan);
    const r = computeCorrelationMatrix({
      dates,
      closes: new Map([
        ['P', p],
        ['Q', q],
        ['FULL', full],
        ['SHORT', short],
        ['NONE', none],
      ]),
      nav: NAV,
      asOf: dates[n]!,
      lookbackDays: n,
      positions: ['P', 'Q', 'FULL', 'SHORT', 'NONE', 'MISSING'].map((symbol, k) => ({
        symbol,
        marketValue: 100_000 - k * 1_000,
      })),
    });
    expect(r.symbols).toEqual(['P', 'Q', 'FULL']);
    const pq = r.pairs.find((x) => x.symbolA === 'P' && x.symbolB === 'Q')!;
    expect(pq).toEqual({
      symbolA: 'P',
      symbolB: 'Q',
      correlation: null,
      dataPoints: 9,
      gap: 'insufficient_overlap',
    });
    expect(r.matrix[0]![1]).toBeNull();
    expect(r.dataPoints[0]![0]).toBe(24);
    expect(r.dataPoints[1]![1]).toBe(25);
    expect(r.pairCounts).toEqual({ total: 3, valid: 2, insufficientOverlap: 1, zeroVariance: 0 });
    expect(r.excluded.map((e) => [e.symbol, e.reason])).toEqual([
      ['SHORT', 'insufficient_data'],
      ['NONE', 'no_prices'],
      ['MISSING', 'no_prices'],
    ]);
    // Overall is the mean over the two valid pairs only.
    const valid = r.pairs
      .filter((x) => x.correlation !== null)
      .map((x) => Math.abs(x.correlation!));
    expect(r.overallCorrelation).toBeCloseTo((valid[0]! + valid[1]!) / 2, 14);
    expect(r.dataQuality).toBe('limited');
  });

  it('is insufficient with fewer than two included positions', () => {
    const dates = gridDates(25);
    const r = computeCorrelationMatrix({
      dates,
      closes: new Map([['A', closesFromLogReturns(Array.from({ length: 25 }, (_, i) => i % 3))]]),
      positions: [{ symbol: 'A', marketValue: 500_000 }],
      nav: NAV,
      asOf: dates[25]!,
    });
    expect(r.symbols).toEqual(['A']);
    expect(r.overallCorrelation).toBeNull();
    expect(r.effectivePositions).toBe(1);
    expect(r.dataQuality).toBe('insufficient');
    // 25 of a 90-day lookback: still a window, just a short one.
    expect(r.dataPoints[0]![0]).toBe(25);
  });

  it('ends the window on the last grid date on or before asOf', () => {
    const dates = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'];
    const c = Float64Array.from([1, 2, 3, 4, 5]);
    const r = computeCorrelationMatrix({
      dates,
      closes: new Map([
        ['A', c],
        ['B', c],
      ]),
      positions: [
        { symbol: 'A', marketValue: 50_000 },
        { symbol: 'B', marketValue: 50_000 },
      ],
      nav: NAV,
      asOf: '2024-01-07', // a Sunday
      lookbackDays: 2,
      minOverlap: 2,
    });
    expect(r.windowStart).toBe('2024-01-04');
    expect(r.windowEnd).toBe('2024-01-05');
    expect(r.matrix[0]![1]).toBeCloseTo(1, 14);
  });

  it('rejects a NAV ≤ 0 and misaligned series', () => {
    const base = { dates: ['2024-01-02'], closes: new Map(), positions: [], asOf: '2024-01-02' };
    expect(() => computeCorrelationMatrix({ ...base, nav: 0 })).toThrow(RangeError);
    expect(() =>
      computeCorrelationMatrix({
        ...base,
        nav: NAV,
        closes: new Map([['A', new Float64Array(2)]]),
        positions: [{ symbol: 'A', marketValue: 100_000 }],
      }),
    ).toThrow(/2 values for 1 dates/);
  });
});

describe('effectiveCount (1 / wᵀCw)', () => {
  it('is N for uncorrelated equal weights, 1 for perfectly correlated longs', () => {
    const identity = [
      [1, 0],
      [0, 1],
    ];
    expect(effectiveCount([0.5, 0.5], identity)).toBeCloseTo(2, 14);
    expect(
      effectiveCount(
        [0.5, 0.5],
        [
          [1, 1],
          [1, 1],
        ],
      ),
    ).toBeCloseTo(1, 14);
  });

  it('is sign-aware: a short against a correlated long counts as a hedge', () => {
    const c = [
      [1, 0.8],
      [0.8, 1],
    ];
    // Long/long: 0.25 + 0.25 + 2·0.25·0.8 = 0.9 → 1.111; long/short: 0.5 − 0.4 = 0.1 → 10.
    expect(effectiveCount([0.5, 0.5], c)).toBeCloseTo(1 / 0.9, 12);
    expect(effectiveCount([0.5, -0.5], c)).toBeCloseTo(10, 10);
    // A perfect hedge has no meaningful count.
    expect(
      effectiveCount(
        [0.5, -0.5],
        [
          [1, 1],
          [1, 1],
        ],
      ),
    ).toBeNull();
  });

  it('takes a null (unknown) correlation as 0', () => {
    expect(
      effectiveCount(
        [0.5, 0.5],
        [
          [1, null],
          [null, 1],
        ],
      ),
    ).toBeCloseTo(2, 14);
  });
});
