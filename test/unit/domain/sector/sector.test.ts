import { describe, expect, it } from 'vitest';
import {
  classifySector,
  computeSectorExposure,
  GICS_SECTORS,
  SECTOR_ETFS,
  SP500_SECTOR_WEIGHTS,
} from '../../../../src/domain/sector/index.ts';
import { loadSampleSymbols } from '../../../../src/market/providers/sample/load-sample-symbols.ts';

describe('S&P 500 benchmark table', () => {
  it('covers the 11 GICS sectors and sums to 100 % within rounding', () => {
    const weights = Object.values(SP500_SECTOR_WEIGHTS.weights);
    expect(Object.keys(SP500_SECTOR_WEIGHTS.weights).sort()).toEqual([...GICS_SECTORS].sort());
    expect(weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 2);
    expect(SP500_SECTOR_WEIGHTS.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('maps the 11 sector ETFs to the sectors the bundled symbol file gives them', async () => {
    const symbols = await loadSampleSymbols();
    const fromFile = symbols
      .filter((s) => s.role?.startsWith('sector: '))
      .map((s) => [s.symbol, s.role!.slice('sector: '.length)]);
    expect(fromFile).toHaveLength(11);
    expect(Object.fromEntries(fromFile)).toEqual(SECTOR_ETFS);
  });

  it('recognises every GICS sector of the bundled stocks', async () => {
    const stocks = (await loadSampleSymbols()).filter((s) => s.type === 'stock');
    for (const s of stocks) {
      expect(classifySector({ symbol: s.symbol, marketValue: 1, sector: s.sector })).toEqual({
        sector: s.sector,
      });
    }
  });
});

describe('computeSectorExposure (net value / NAV vs S&P 500)', () => {
  it('works a mixed book by hand', () => {
    const r = computeSectorExposure({
      nav: 1_000_000,
      holdings: [
        { symbol: 'AAPL', marketValue: 400_000, sector: 'Information Technology' },
        { symbol: 'XLF', marketValue: 100_000, isEtf: true }, // sector ETF → Financials
        { symbol: 'JPM', marketValue: 50_000, sector: 'Financial Services' }, // Yahoo's name
        { symbol: 'XOM', marketValue: -30_000, sector: 'Energy' }, // short
        { symbol: 'IWM', marketValue: 200_000, isEtf: true }, // small caps: spans sectors
        { symbol: 'FO_ART', marketValue: 100_000 },
        { symbol: 'ZZZZ', marketValue: 10_000, sector: null },
      ],
    });
    expect(r.portfolioWeights['Information Technology']).toBeCloseTo(0.4, 15);
    expect(r.portfolioWeights.Financials).toBeCloseTo(0.15, 15);
    expect(r.portfolioWeights.Energy).toBeCloseTo(-0.03, 15);
    expect(r.portfolioWeights.Utilities).toBe(0);
    // 40 − 34.6 = +5.4 pp; 15 − 13.1 = +1.9 pp; −3 − 2.8 = −5.8 pp.
    expect(r.overUnderweightPp['Information Technology']).toBeCloseTo(5.4, 10);
    expect(r.overUnderweightPp.Financials).toBeCloseTo(1.9, 10);
    expect(r.overUnderweightPp.Energy).toBeCloseTo(-5.8, 10);
    // Exactly, not −5.800000000000001: percentage points are rounded to 4 decimals.
    expect(Object.values(r.overUnderweightPp).every((pp) => Number(pp.toFixed(4)) === pp)).toBe(
      true,
    );
    expect(r.largestOverweight?.sector).toBe('Information Technology');
    expect(r.largestOverweight?.differencePp).toBeCloseTo(5.4, 10);
    // Nothing held in Communication Services: the whole 10.7 % is the largest gap.
    expect(r.largestUnderweight?.sector).toBe('Communication Services');
    expect(r.largestUnderweight?.differencePp).toBeCloseTo(-10.7, 10);
    expect(r.unclassifiedValue).toBe(310_000);
    expect(r.unclassified).toEqual([
      { symbol: 'IWM', marketValue: 200_000, reason: 'non_sector_etf' },
      { symbol: 'FO_ART', marketValue: 100_000, reason: 'private_asset' },
      { symbol: 'ZZZZ', marketValue: 10_000, reason: 'unknown_sector' },
    ]);
    expect(r.benchmark.name).toBe('SP500');
  });

  it('spreads an S&P 500 index fund over the sectors by the benchmark weights', () => {
    const r = computeSectorExposure({
      nav: 1_000_000,
      holdings: [
        { symbol: 'SPY', marketValue: 500_000, isEtf: true },
        { symbol: 'voo', marketValue: -100_000, isEtf: true }, // a short of another tracker
        { symbol: 'XLK', marketValue: 100_000, isEtf: true },
      ],
    });
    // Net S&P 500 holding 400,000: IT 400,000 × 0.346 + XLK 100,000 = 238,400.
    expect(r.sectorValues['Information Technology']).toBeCloseTo(238_400, 6);
    expect(r.portfolioWeights['Information Technology']).toBeCloseTo(0.2384, 12);
    // Financials 400,000 × 0.131 = 52,400 → 5.24 % against 13.1 %: −7.86 pp.
    expect(r.portfolioWeights.Financials).toBeCloseTo(0.0524, 12);
    expect(r.overUnderweightPp.Financials).toBe(-7.86);
    // Energy 400,000 × 0.028 = 11,200 → 1.12 % against 2.8 %: −1.68 pp.
    expect(r.overUnderweightPp.Energy).toBe(-1.68);
    expect(r.unclassifiedValue).toBe(0);
    expect(r.unclassified).toEqual([]);
  });

  it('has no overweight for an all-cash book and rejects NAV ≤ 0', () => {
    const r = computeSectorExposure({ nav: 100, holdings: [] });
    expect(r.largestOverweight).toBeNull();
    expect(r.largestUnderweight?.sector).toBe('Information Technology');
    expect(() => computeSectorExposure({ nav: 0, holdings: [] })).toThrow(RangeError);
  });
});
