import { describe, expect, it } from 'vitest';
import { computeConcentration } from '../../../../src/domain/concentration/index.ts';

describe('computeConcentration (weights = |value| / gross)', () => {
  it('computes HHI, effective N and top shares of known weights', () => {
    // Lots net per symbol: AAPL 50, MSFT 30, XOM −20 → gross 100, w = 0.5, 0.3, 0.2.
    const c = computeConcentration([
      { symbol: 'AAPL', marketValue: 30 },
      { symbol: 'MSFT', marketValue: 30 },
      { symbol: 'AAPL', marketValue: 20 },
      { symbol: 'XOM', marketValue: -20 },
      { symbol: 'GE', marketValue: 0 },
    ]);
    // Σw² = 0.25 + 0.09 + 0.04 = 0.38.
    expect(c.hhi).toBeCloseTo(3_800, 9);
    expect(c.effectiveNumPositions).toBeCloseTo(1 / 0.38, 12);
    expect(c.grossExposure).toBe(100);
    expect(c.numPositions).toBe(3);
    expect(c.top3Concentration).toBeCloseTo(1, 15);
    expect(c.top10Concentration).toBeCloseTo(1, 15);
    expect(c.topPositions).toEqual([
      { symbol: 'AAPL', marketValue: 50, weight: 0.5 },
      { symbol: 'MSFT', marketValue: 30, weight: 0.3 },
      { symbol: 'XOM', marketValue: -20, weight: 0.2 },
    ]);
  });

  it('gives 10,000 / N for N equal holdings and the top-k shares of twelve', () => {
    const twelve = Array.from({ length: 12 }, (_, i) => ({
      symbol: `S${String(i).padStart(2, '0')}`,
      marketValue: i % 2 === 0 ? 1_000 : -1_000,
    }));
    const c = computeConcentration(twelve);
    expect(c.hhi).toBeCloseTo(10_000 / 12, 9);
    expect(c.effectiveNumPositions).toBeCloseTo(12, 12);
    expect(c.top3Concentration).toBeCloseTo(3 / 12, 15);
    expect(c.top10Concentration).toBeCloseTo(10 / 12, 15);
    expect(c.topPositions).toHaveLength(10);
  });

  it('never reports a top share above 1, and market values to the cent', () => {
    // 23/30 + 6/30 + 1/30 sums to 1.0000000000000002 in floating point.
    const c = computeConcentration([
      { symbol: 'A', marketValue: 23 },
      { symbol: 'B', marketValue: 6 },
      { symbol: 'C', marketValue: 1 },
    ]);
    expect(c.top3Concentration).toBe(1);
    expect(c.top10Concentration).toBe(1);
    // Two lots netting to 0.1 + 0.2 = 0.30000000000000004 show as 0.3.
    const lots = computeConcentration([
      { symbol: 'D', marketValue: 0.1 },
      { symbol: 'D', marketValue: 0.2 },
    ]);
    expect(lots.topPositions).toEqual([{ symbol: 'D', marketValue: 0.3, weight: 1 }]);
  });

  it('is 10,000 for a single holding and null for none', () => {
    expect(computeConcentration([{ symbol: 'NVDA', marketValue: -5 }]).hhi).toBe(10_000);
    const empty = computeConcentration([]);
    expect(empty.hhi).toBeNull();
    expect(empty.effectiveNumPositions).toBeNull();
    expect(empty.topPositions).toEqual([]);
  });

  it('refuses a non-finite value', () => {
    expect(() => computeConcentration([{ symbol: 'X', marketValue: NaN }])).toThrow(RangeError);
  });
});
