import { describe, expect, it } from 'vitest';
import {
  computeVolatilityAnalytics,
  computePositionVolatility,
  fitHar,
  forecastHarVariance,
  leastSquares,
  realizedVolatility,
  rollingRealizedVolatility,
  symbolDailyReturns,
  volatilityPercentile,
  volatilityTrend,
} from '../../../../src/domain/volatility/index.ts';
import type { HarFit } from '../../../../src/domain/volatility/index.ts';

const SQRT252 = Math.sqrt(252);

/** A deterministic, irregular return series (no Math.random: tests must repeat). */
function wiggly(n: number, scale = 0.01): Float64Array {
  return Float64Array.from(
    { length: n },
    (_, i) => scale * (Math.sin(i * 1.7) + 0.5 * Math.cos(i * 0.31)),
  );
}

describe('realizedVolatility', () => {
  it('annualises the sample (ddof = 1) standard deviation by √252', () => {
    // Mean 0, Σd² = 4e-4, / (4 − 1) → std = √(1.333e-4) = 0.011547.
    const r = Float64Array.from([0.01, -0.01, 0.01, -0.01]);
    expect(realizedVolatility(r, 4)).toBeCloseTo(Math.sqrt(4e-4 / 3) * SQRT252, 15);
    expect(realizedVolatility(r, 4)).toBeCloseTo(0.1833030278, 9);
  });

  it('uses only the last `window` returns and is null when there are fewer', () => {
    const r = Float64Array.from([0.5, -0.5, 0.01, -0.01, 0.01, -0.01]);
    expect(realizedVolatility(r, 4)).toBeCloseTo(Math.sqrt(4e-4 / 3) * SQRT252, 15);
    expect(realizedVolatility(r, 7)).toBeNull();
  });

  it('rolls over every full window, the last equal to the point estimate', () => {
    const r = wiggly(30);
    const rolling = rollingRealizedVolatility(r, 21);
    expect(rolling.length).toBe(10);
    expect(rolling[9]).toBe(realizedVolatility(r, 21));
    expect(rolling[0]).toBe(realizedVolatility(r.subarray(0, 21), 21));
  });

  it('refuses non-finite returns', () => {
    expect(() => realizedVolatility(Float64Array.from([0.01, NaN]), 2)).toThrow(RangeError);
  });
});

describe('volatilityTrend (±10 % band on 21d / 63d)', () => {
  it('is stable inside the band and moves only beyond ±10 %', () => {
    // Not the exact edges: 0.2 × 0.9 is 0.18000000000000002 in binary, so "exactly 10 %" is
    // not a meaningful test of a rule on estimated volatilities.
    expect(volatilityTrend(0.2199, 0.2)).toBe('stable');
    expect(volatilityTrend(0.1801, 0.2)).toBe('stable');
    expect(volatilityTrend(0.2, 0.2)).toBe('stable');
    expect(volatilityTrend(0.2201, 0.2)).toBe('increasing');
    expect(volatilityTrend(0.1799, 0.2)).toBe('decreasing');
    expect(volatilityTrend(null, 0.2)).toBeNull();
  });
});

describe('volatilityPercentile', () => {
  it('is the share of earlier windows strictly below today', () => {
    expect(volatilityPercentile(Float64Array.from([0.1, 0.3, 0.2, 0.25]))).toBeCloseTo(2 / 3, 15);
    expect(volatilityPercentile(Float64Array.from([0.3, 0.2, 0.1]))).toBe(0);
    expect(volatilityPercentile(Float64Array.from([0.1, 0.2, 0.3]))).toBe(1);
    expect(volatilityPercentile(Float64Array.from([0.1]))).toBeNull();
  });
});

describe('leastSquares (Householder QR)', () => {
  it('recovers exact coefficients and flags a rank-deficient design', () => {
    const rows = 6;
    const beta = [0.5, -2, 3];
    const x = new Float64Array(rows * 3);
    const y = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const row = [1, i, (i * i) % 5];
      x.set(row, i * 3);
      y[i] = row.reduce((s, v, j) => s + v * beta[j]!, 0);
    }
    const fit = leastSquares(x, y, rows, 3)!;
    fit.forEach((b, j) => expect(b).toBeCloseTo(beta[j]!, 12));
    // Second column twice the first: no unique answer.
    const collinear = Float64Array.from([1, 2, 1, 2, 1, 2]);
    expect(leastSquares(collinear, Float64Array.from([1, 2, 3]), 3, 2)).toBeNull();
  });
});

describe('HAR forecast', () => {
  const base: HarFit = {
    intercept: 0,
    daily: 0,
    weekly: 0,
    monthly: 0,
    observations: 200,
    rSquared: 0,
  };

  it('iterates the one-day model: a random walk in RV keeps the last squared return', () => {
    const r = wiggly(40);
    const last = r[39]!;
    expect(forecastHarVariance({ ...base, daily: 1 }, r)).toBeCloseTo(last * last, 18);
    // A pure intercept model forecasts the intercept every day, so that is also the mean.
    expect(forecastHarVariance({ ...base, intercept: 2e-4 }, r)).toBeCloseTo(2e-4, 18);
  });

  it('mixes forecasts into the weekly component on later days', () => {
    // RV history of 1s then a forecast rule of "mean of the last week": stays at 1.
    const r = new Float64Array(30).fill(1);
    expect(forecastHarVariance({ ...base, weekly: 1 }, r, 5)).toBeCloseTo(1, 15);
    // With daily = 0.5 and history of 1s: 0.5, 0.25, 0.125 → mean of three = 0.2916…
    expect(forecastHarVariance({ ...base, daily: 0.5 }, r, 3)).toBeCloseTo(0.875 / 3, 15);
  });

  it('fits only from 100 regression rows (122 returns); below that falls back to 63d', () => {
    expect(fitHar(wiggly(121))).toBeNull();
    expect(fitHar(wiggly(122))?.observations).toBe(100);

    const short = computeVolatilityAnalytics(wiggly(100));
    expect(short.forecastMethod).toBe('realized_63d_fallback');
    expect(short.expectedVolatility21d).toBe(short.realizedVolatility63d);
    expect(short.har).toBeNull();

    const tiny = computeVolatilityAnalytics(wiggly(30));
    expect(tiny.realizedVolatility63d).toBeNull();
    expect(tiny.expectedVolatility21d).toBeNull();
    expect(tiny.forecastMethod).toBeNull();
    expect(tiny.volatilityTrend).toBeNull();
    expect(tiny.percentileWindows).toBe(10);
  });

  it('annualises the mean forecast daily variance', () => {
    const r = wiggly(300);
    const a = computeVolatilityAnalytics(r);
    expect(a.forecastMethod).toBe('har');
    expect(a.har!.observations).toBe(300 - 22);
    const variance = forecastHarVariance(a.har!, r, 21);
    expect(a.expectedVolatility21d).toBeCloseTo(Math.sqrt(252 * variance), 15);
  });
});

describe('position level', () => {
  it('drops the return across a missing close and stops at asOf', () => {
    const dates = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'];
    const closes = Float64Array.from([100, 110, NaN, 121, 133.1]);
    expect(Array.from(symbolDailyReturns(dates, closes, '2024-01-07'))).toEqual([110 / 100 - 1]);
    const all = symbolDailyReturns(dates, closes, '2024-12-31');
    expect(all.length).toBe(2);
    expect(all[1]).toBeCloseTo(0.1, 15);
  });

  it('applies the portfolio functions to the symbol returns', () => {
    const n = 150;
    const dates = Array.from({ length: n + 1 }, (_, i) =>
      new Date(Date.UTC(2023, 0, 1 + i)).toISOString().slice(0, 10),
    );
    const r = wiggly(n);
    const closes = new Float64Array(n + 1);
    closes[0] = 50;
    r.forEach((x, i) => (closes[i + 1] = closes[i]! * (1 + x)));
    const position = computePositionVolatility({ dates, closes, asOf: dates[n]! });
    const direct = computeVolatilityAnalytics(symbolDailyReturns(dates, closes, dates[n]!));
    expect(position).toEqual(direct);
    expect(position.realizedVolatility21d).toBeCloseTo(realizedVolatility(r, 21)!, 12);
  });
});
