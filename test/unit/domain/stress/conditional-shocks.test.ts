import { describe, expect, it } from 'vitest';
import { conditionalFactorMoves } from '../../../../src/domain/stress/conditional-shocks.ts';
import { NotPositiveDefiniteError } from '../../../../src/domain/stress/linear-algebra.ts';

describe('conditionalFactorMoves', () => {
  // σ1 = 2%, σ2 = 1%, ρ = 0.5 → cov = 0.0001. E[x2 | x1 = s] = ρ σ2/σ1 · s = 0.25 s.
  const twoByTwo = Float64Array.from([0.0004, 0.0001, 0.0001, 0.0001]);

  it('moves the other factor by ρσ₂/σ₁ · s in the 2×2 case', () => {
    const moves = conditionalFactorMoves(twoByTwo, 2, [{ index: 0, value: -0.1 }]);
    expect([...moves.direct]).toEqual([-0.1, 0]);
    expect(moves.correlated[0]).toBe(-0.1);
    expect(moves.correlated[1]).toBeCloseTo(-0.025, 15);
  });

  it('works the other way round: shocking factor 2 moves factor 1 by cov/σ₂² · s = s', () => {
    const moves = conditionalFactorMoves(twoByTwo, 2, [{ index: 1, value: 0.04 }]);
    expect(moves.correlated[0]).toBeCloseTo(0.04, 15);
    expect(moves.correlated[1]).toBe(0.04);
  });

  // Σ = 1e-4 · [[4,2,1],[2,3,1],[1,1,2]]: Σ_SS⁻¹ for S = {0,1} is (1/8)[[3,−2],[−2,4]], so
  // Σ_US Σ_SS⁻¹ = (1/8)[1, 2]; the common scale cancels.
  const threeByThree = Float64Array.from([4, 2, 1, 2, 3, 1, 1, 1, 2].map((v) => v * 1e-4));

  it('uses Σ_US Σ_SS⁻¹ s with two shocked factors (3×3 closed form)', () => {
    const moves = conditionalFactorMoves(threeByThree, 3, [
      { index: 0, value: -0.1 },
      { index: 1, value: -0.2 },
    ]);
    expect([...moves.direct]).toEqual([-0.1, -0.2, 0]);
    // (1/8)(1·(−0.1) + 2·(−0.2)) = −0.0625
    expect(moves.correlated[2]).toBeCloseTo(-0.0625, 15);
    expect(moves.correlated[0]).toBe(-0.1);
    expect(moves.correlated[1]).toBe(-0.2);
  });

  it('lets offsetting shocks cancel: (1/8)(1·(−0.1) + 2·0.05) = 0', () => {
    const moves = conditionalFactorMoves(threeByThree, 3, [
      { index: 1, value: 0.05 },
      { index: 0, value: -0.1 },
    ]);
    expect(moves.correlated[2]).toBeCloseTo(0, 15);
  });

  it('handles a single shocked factor in 3 dimensions: move_u = Σ_u2 / Σ_22 · s', () => {
    const moves = conditionalFactorMoves(threeByThree, 3, [{ index: 2, value: 0.06 }]);
    expect(moves.correlated[0]).toBeCloseTo(0.03, 15);
    expect(moves.correlated[1]).toBeCloseTo(0.03, 15);
    expect(moves.correlated[2]).toBe(0.06);
  });

  it('returns zero moves without shocks and the shocks themselves when every factor is shocked', () => {
    const none = conditionalFactorMoves(threeByThree, 3, []);
    expect([...none.direct, ...none.correlated]).toEqual([0, 0, 0, 0, 0, 0]);
    const all = conditionalFactorMoves(twoByTwo, 2, [
      { index: 0, value: 0.01 },
      { index: 1, value: -0.02 },
    ]);
    expect([...all.correlated]).toEqual([0.01, -0.02]);
    expect([...all.direct]).toEqual([0.01, -0.02]);
  });

  it('refuses shocks on perfectly collinear factors, where the expectation is undefined', () => {
    const collinear = Float64Array.from([1, 1, 0.5, 1, 1, 0.5, 0.5, 0.5, 1]);
    expect(() =>
      conditionalFactorMoves(collinear, 3, [
        { index: 0, value: 0.1 },
        { index: 1, value: 0.1 },
      ]),
    ).toThrow(NotPositiveDefiniteError);
  });

  it('rejects bad input: wrong size, out-of-range or repeated index, non-finite shock', () => {
    expect(() => conditionalFactorMoves(twoByTwo, 3, [])).toThrow(RangeError);
    expect(() => conditionalFactorMoves(twoByTwo, 2, [{ index: 2, value: 0 }])).toThrow(RangeError);
    expect(() =>
      conditionalFactorMoves(twoByTwo, 2, [
        { index: 0, value: 0.1 },
        { index: 0, value: 0.2 },
      ]),
    ).toThrow(RangeError);
    expect(() => conditionalFactorMoves(twoByTwo, 2, [{ index: 0, value: NaN }])).toThrow(
      RangeError,
    );
  });
});
