import { describe, expect, it } from 'vitest';
import { aggregatePortfolios } from '../../../../src/domain/aggregate/index.ts';
import type { PortfolioAnalytics } from '../../../../src/domain/aggregate/index.ts';

const MARKET = 'Market Beta (90D)';
const SIZE = 'Size';

const p1: PortfolioAnalytics = {
  portfolioId: 'p1',
  nav: 100_000,
  betas: new Map([
    [MARKET, 1.2],
    [SIZE, 0.5],
  ]),
  exposures: { longValue: 100_000, shortValue: 0, grossExposure: 100_000, netExposure: 100_000 },
  stress: [{ scenarioId: 'market_down_10', directPnl: -12_000, correlatedPnl: -13_000 }],
  positions: [
    { symbol: 'AAPL', marketValue: 60_000 },
    { symbol: 'MSFT', marketValue: 40_000 },
  ],
};
const p2: PortfolioAnalytics = {
  portfolioId: 'p2',
  nav: 300_000,
  betas: new Map([[MARKET, 0.8]]),
  exposures: {
    longValue: 300_000,
    shortValue: -50_000,
    grossExposure: 350_000,
    netExposure: 250_000,
  },
  stress: [
    { scenarioId: 'market_down_10', directPnl: -24_000, correlatedPnl: -25_000 },
    { scenarioId: 'rates_up_25bp', directPnl: -1_000, correlatedPnl: -1_500 },
  ],
  positions: [
    { symbol: 'AAPL', marketValue: 150_000 },
    { symbol: 'XOM', marketValue: 150_000 },
    { symbol: 'MSFT', marketValue: -50_000 },
  ],
};

describe('aggregatePortfolios', () => {
  const a = aggregatePortfolios([p1, p2], [MARKET, SIZE]);

  it('NAV-weights betas and sums dollar exposures', () => {
    // (100k·1.2 + 300k·0.8) / 400k = 360k / 400k = 0.9.
    expect(a.factors[0]).toEqual({
      name: MARKET,
      aggregateBeta: 0.9,
      aggregateExposureDollar: 360_000,
      portfolios: 2,
      navCovered: 400_000,
    });
    // Only p1 has Size: its beta, not diluted by p2.
    expect(a.factors[1]).toMatchObject({ name: SIZE, aggregateBeta: 0.5, portfolios: 1 });
    expect(a.totalNav).toBe(400_000);
    expect(a.exposures).toEqual({
      longValue: 400_000,
      shortValue: -50_000,
      grossExposure: 450_000,
      netExposure: 350_000,
    });
  });

  it('sums stress P&L per scenario', () => {
    expect(a.stress).toEqual([
      {
        scenarioId: 'market_down_10',
        directPnl: -36_000,
        correlatedPnl: -38_000,
        correlationEffect: -2_000,
        percentageImpact: -9.5,
        portfolios: 2,
      },
      {
        scenarioId: 'rates_up_25bp',
        directPnl: -1_000,
        correlatedPnl: -1_500,
        correlationEffect: -500,
        percentageImpact: -0.5,
        portfolios: 1,
      },
    ]);
  });

  it('measures concentration on the merged, netted positions', () => {
    // AAPL 210k, XOM 150k, MSFT −10k: gross 370k.
    expect(a.positions).toEqual([
      { symbol: 'AAPL', marketValue: 210_000 },
      { symbol: 'MSFT', marketValue: -10_000 },
      { symbol: 'XOM', marketValue: 150_000 },
    ]);
    const w = [210, 150, 10].map((v) => v / 370);
    expect(a.concentration.hhi).toBeCloseTo(w.reduce((s, x) => s + x * x, 0) * 10_000, 9);
    expect(a.concentration.topPositions[0]).toEqual({
      symbol: 'AAPL',
      marketValue: 210_000,
      weight: 210 / 370,
    });
  });

  it('returns no beta when the covered NAV is not positive, and nothing for no portfolios', () => {
    const broke = aggregatePortfolios([{ ...p1, nav: 0 }]);
    expect(broke.factors[0]).toMatchObject({ name: MARKET, aggregateBeta: null });
    expect(broke.stress[0]?.percentageImpact).toBeNull();
    const empty = aggregatePortfolios([]);
    expect(empty.factors).toEqual([]);
    expect(empty.concentration.hhi).toBeNull();
  });
});
