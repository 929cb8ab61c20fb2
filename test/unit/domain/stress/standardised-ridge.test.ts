import { describe, expect, it } from 'vitest';
import { sampleCovariance } from '../../../../src/domain/stress/sample-covariance.ts';
import { fitStandardisedRidgeBatch } from '../../../../src/domain/stress/standardised-ridge.ts';

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

describe('sampleCovariance', () => {
  it("is NumPy's np.cov (demeaned, ddof 1): a hand-worked 3-day case", () => {
    const a = Float64Array.from([0.02, -0.01, 0.03]);
    const b = Float64Array.from([0.01, 0.02, -0.01]);
    const cov = sampleCovariance([a, b]);
    // np.cov([[.02, -.01, .03], [.01, .02, -.01]]) = [[4.3333e-4, -2.8333e-4], [.., 2.3333e-4]]
    // means 0.01333 and 0.00667; Σ (a−ā)² = 8.6667e-4 over n − 1 = 2.
    expect(cov[0]).toBeCloseTo(0.00043333333333333337, 16);
    expect(cov[1]).toBeCloseTo(-0.00028333333333333335, 16);
    expect(cov[2]).toBe(cov[1]);
    expect(cov[3]).toBeCloseTo(0.00023333333333333336, 16);
  });

  it('ignores a constant shift of a series and refuses fewer than two observations', () => {
    const a = Float64Array.from([0.01, -0.03, 0.02]);
    const shifted = a.map((x) => x + 0.5);
    expect(sampleCovariance([shifted])[0]).toBeCloseTo(sampleCovariance([a])[0] as number, 15);
    expect(() => sampleCovariance([Float64Array.from([0.01])])).toThrow(RangeError);
  });
});
