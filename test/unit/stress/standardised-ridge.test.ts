import { describe, expect, it } from 'vitest';
import { ewmaCovariance } from '../../../src/domain/stress/ewma-covariance.ts';
import { fitStandardisedRidgeBatch } from '../../../src/domain/stress/standardised-ridge.ts';

describe('fitStandardisedRidgeBatch', () => {
  it('matches the one-regressor closed form beta = (zᵀ(y−ȳ) / (n + α)) / std', () => {
    // x = 1..4: mean 2.5, population std √1.25; y = 2x + 1 → zᵀ(y−ȳ) = 2·n·std = 8√1.25.
    const x = Float64Array.from([1, 2, 3, 4]);
    const y = Float64Array.from([3, 5, 7, 9]);
    const fit = fitStandardisedRidgeBatch([x], [y], 1);
    const beta = (2 * 4) / (4 + 1); // w / std = (8√1.25 / 5) / √1.25
    expect(fit.betas[0]).toBeCloseTo(beta, 14);
    expect(fit.intercepts[0]).toBeCloseTo(6 - beta * 2.5, 14);
    // Residual y − ŷ = (2 − 1.6)(x − 2.5): SSE = 0.16·5 = 0.8, SST = 4·5 = 20 → R² = 0.96.
    expect(fit.rSquared[0]).toBeCloseTo(0.96, 14);
  });

  it('recovers exact OLS coefficients when α = 0 and the fit is exact', () => {
    const x1 = Float64Array.from([0.01, -0.02, 0.015, 0.003, -0.007, 0.02]);
    const x2 = Float64Array.from([0.002, 0.01, -0.004, 0.006, 0.001, -0.012]);
    const y = x1.map((v, t) => 0.001 + 1.5 * v - 0.75 * (x2[t] as number));
    const fit = fitStandardisedRidgeBatch([x1, x2], [y], 0);
    expect(fit.betas[0]).toBeCloseTo(1.5, 12);
    expect(fit.betas[1]).toBeCloseTo(-0.75, 12);
    expect(fit.intercepts[0]).toBeCloseTo(0.001, 14);
    expect(fit.rSquared[0]).toBeCloseTo(1, 12);
  });

  it('fits each y of a batch exactly as it would be fitted alone', () => {
    const x1 = Float64Array.from([0.01, -0.02, 0.015, 0.003, -0.007, 0.02, -0.01]);
    const x2 = Float64Array.from([0.002, 0.01, -0.004, 0.006, 0.001, -0.012, 0.004]);
    const ya = Float64Array.from([0.02, -0.01, 0.0, 0.01, -0.02, 0.03, 0.001]);
    const yb = Float64Array.from([-0.005, 0.004, 0.012, -0.003, 0.002, 0.0, -0.008]);
    const batch = fitStandardisedRidgeBatch([x1, x2], [ya, yb], 1);
    const alone = fitStandardisedRidgeBatch([x1, x2], [yb], 1);
    expect([...batch.betas.subarray(2, 4)]).toEqual([...alone.betas]);
    expect(batch.intercepts[1]).toBe(alone.intercepts[0]);
  });

  it('gives a constant regressor zero beta instead of dividing by a zero std', () => {
    const x = Float64Array.from([1, 2, 3, 4]);
    const flat = Float64Array.from([5, 5, 5, 5]);
    const fit = fitStandardisedRidgeBatch([x, flat], [Float64Array.from([3, 5, 7, 9])], 1);
    expect(fit.betas[1]).toBe(0);
    expect(fit.betas[0]).toBeCloseTo(1.6, 14);
  });
});

describe('ewmaCovariance', () => {
  it('weights λ^(T−t), normalised to 1, around a zero mean (hand-worked 3-day case)', () => {
    // λ = 0.5 over 3 days: raw weights 0.25, 0.5, 1 → /1.75.
    const a = Float64Array.from([0.02, -0.01, 0.03]);
    const b = Float64Array.from([0.01, 0.02, -0.01]);
    const cov = ewmaCovariance([a, b], 0.5);
    const w = [0.25 / 1.75, 0.5 / 1.75, 1 / 1.75];
    const dot = (p: Float64Array, q: Float64Array) =>
      w.reduce((s, wt, t) => s + wt * (p[t] as number) * (q[t] as number), 0);
    expect(cov[0]).toBeCloseTo(dot(a, a), 16);
    expect(cov[1]).toBeCloseTo(dot(a, b), 16);
    expect(cov[2]).toBe(cov[1]);
    expect(cov[3]).toBeCloseTo(dot(b, b), 16);
    // (0.25·4e-4 + 0.5·1e-4 + 9e-4) / 1.75 by hand:
    expect(cov[0]).toBeCloseTo((1e-4 + 0.5e-4 + 9e-4) / 1.75, 16);
  });

  it('is the plain zero-mean average of r rᵀ when λ = 1', () => {
    const a = Float64Array.from([0.01, -0.03]);
    expect(ewmaCovariance([a], 1)[0]).toBeCloseTo((1e-4 + 9e-4) / 2, 16);
  });
});
