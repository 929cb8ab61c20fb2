import { describe, expect, it } from 'vitest';
import {
  computeRiskMetrics,
  maxDrawdown,
  returnIndex,
} from '../../../../src/domain/risk-metrics/index.ts';

function returnsOf(levels: readonly number[]): Float64Array {
  return Float64Array.from(levels.slice(1), (l, i) => l / levels[i]! - 1);
}

describe('maxDrawdown', () => {
  it('finds the worst peak-to-trough fall of a short series, as a negative decimal', () => {
    // Peaks 100 → 120, troughs 90 and 80: the worst is 120 → 80 = −1/3, not 100 → 80.
    const d = maxDrawdown(Float64Array.from([100, 120, 90, 110, 80, 130]));
    expect(d.maxDrawdown).toBeCloseTo(-1 / 3, 15);
    expect(d.peakIndex).toBe(1);
    expect(d.troughIndex).toBe(4);
  });

  it('is 0 for a series that never falls', () => {
    expect(maxDrawdown(Float64Array.from([1, 2, 3])).maxDrawdown).toBe(0);
  });

  it('matches on the compounded return index', () => {
    const levels = [100, 120, 90, 110, 80, 130];
    const index = returnIndex(returnsOf(levels));
    levels.forEach((l, i) => expect(index[i]! * 100).toBeCloseTo(l, 12));
  });
});

describe('computeRiskMetrics', () => {
  it('computes volatility, Sharpe and Sortino by hand', () => {
    // Mean 0.005; deviations ±0.005, ±0.015 → Σd² = 5e-4, sample var 5e-4/3.
    const r = Float64Array.from([0.01, 0.02, -0.01, 0]);
    const m = computeRiskMetrics({ returns: r, minObservations: 2 });
    const std = Math.sqrt(5e-4 / 3);
    expect(m.observations).toBe(4);
    expect(m.annualizedVolatility).toBeCloseTo(std * Math.sqrt(252), 14);
    expect(m.sharpeRatio).toBeCloseTo((0.005 / std) * Math.sqrt(252), 12);
    // Downside: only −0.01 → DD = √(1e-4 / 4) = 0.005 = the mean, so Sortino = √252.
    expect(m.sortinoRatio).toBeCloseTo(Math.sqrt(252), 12);
    // Index 1, 1.01, 1.0302, 1.019898, 1.019898: the fall is 1.0302 → 1.019898 = −1 %.
    expect(m.maxDrawdown).toBeCloseTo(-0.01, 15);
    expect([m.maxDrawdownPeakIndex, m.maxDrawdownTroughIndex]).toEqual([2, 3]);
  });

  it('converts an annual risk-free rate to a compounding daily one', () => {
    const r = Float64Array.from([0.01, 0.02, -0.01, 0]);
    const rf = 0.05;
    const daily = 1.05 ** (1 / 252) - 1;
    const m = computeRiskMetrics({ returns: r, riskFreeRate: rf, minObservations: 2 });
    const std = Math.sqrt(5e-4 / 3);
    expect(m.sharpeRatio).toBeCloseTo(((0.005 - daily) / std) * Math.sqrt(252), 12);
    // All four excess returns: 0.01−d, 0.02−d, −0.01−d, −d; the last two are below target.
    const dd = Math.sqrt(((0.01 + daily) ** 2 + daily ** 2) / 4);
    expect(m.sortinoRatio).toBeCloseTo(((0.005 - daily) / dd) * Math.sqrt(252), 12);
  });

  it('reports nothing below the minimum history and no Sortino without a losing day', () => {
    const few = computeRiskMetrics({ returns: Float64Array.from([0.01, 0.02]) });
    expect(few).toMatchObject({ observations: 2, sharpeRatio: null, maxDrawdown: null });
    const up = computeRiskMetrics({
      returns: new Float64Array(25).fill(0.001).map((v, i) => v * (1 + i)),
    });
    expect(up.sortinoRatio).toBeNull();
    expect(up.maxDrawdown).toBe(0);
    expect(up.sharpeRatio).toBeGreaterThan(0);
  });

  it('refuses a return of −100 % or worse', () => {
    expect(() => computeRiskMetrics({ returns: Float64Array.from([-1]) })).toThrow(RangeError);
  });
});
