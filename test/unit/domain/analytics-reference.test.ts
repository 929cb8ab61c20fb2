import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeCorrelationMatrix } from '../../../src/domain/correlation/index.ts';
import { computeRiskMetrics } from '../../../src/domain/risk-metrics/index.ts';
import {
  computePositionVolatility,
  computeVolatilityAnalytics,
  symbolDailyReturns,
} from '../../../src/domain/volatility/index.ts';
import type { VolatilityAnalytics } from '../../../src/domain/volatility/index.ts';
import {
  loadSamplePrices,
  type SamplePriceSet,
} from '../../../src/market/providers/sample/load-sample-prices.ts';

/**
 * The TypeScript analytics against test/reference/analytics_reference.py (NumPy), on the bundled
 * real prices. Regenerate the fixture with `python3 test/reference/analytics_reference.py`.
 */
const fixtureUrl = new URL('../../fixtures/analytics-reference.json', import.meta.url);

interface HarRef {
  intercept: number;
  daily: number;
  weekly: number;
  monthly: number;
  observations: number;
  r_squared: number;
  expected_volatility_21d: number;
}
interface VolRef {
  observations: number;
  realized_volatility_21d: number;
  realized_volatility_63d: number;
  volatility_trend: string;
  volatility_percentile: number;
  percentile_windows: number;
  har: HarRef;
}
interface RiskRef {
  risk_free_rate: number;
  observations: number;
  annualized_volatility: number;
  max_drawdown: number;
  max_drawdown_peak_index: number;
  max_drawdown_trough_index: number;
  sharpe_ratio: number;
  sortino_ratio: number;
}
interface Fixture {
  as_of: string;
  correlation: {
    lookback_days: number;
    window_start: string;
    window_end: string;
    nav: number;
    symbols: string[];
    values: number[];
    matrix: number[][];
    overall_correlation: number;
    weights: number[];
    effective_positions: number;
  };
  volatility: { SPY: VolRef; equal_weight_5: VolRef & { symbols: string[] } };
  risk_metrics: { symbol: string; from: string; to: string; rf_0: RiskRef; rf_2pct: RiskRef };
}

const fixture = JSON.parse(readFileSync(fixtureUrl, 'utf8')) as Fixture;
const REL = 1e-9;

/** |actual − expected| ≤ 1e-9 · |expected| (with a 1e-15 floor for values at 0). */
function expectRel(actual: number | null | undefined, expected: number, what: string): void {
  expect(actual, what).toBeTypeOf('number');
  const tolerance = REL * Math.max(Math.abs(expected), 1e-6);
  expect(Math.abs((actual as number) - expected), what).toBeLessThanOrEqual(tolerance);
}

function expectVolatility(actual: VolatilityAnalytics, ref: VolRef, label: string): void {
  expect(actual.observations).toBe(ref.observations);
  expectRel(actual.realizedVolatility21d, ref.realized_volatility_21d, `${label} 21d`);
  expectRel(actual.realizedVolatility63d, ref.realized_volatility_63d, `${label} 63d`);
  expect(actual.volatilityTrend).toBe(ref.volatility_trend);
  expect(actual.percentileWindows).toBe(ref.percentile_windows);
  expectRel(actual.volatilityPercentile, ref.volatility_percentile, `${label} percentile`);
  expect(actual.forecastMethod).toBe('har');
  const har = actual.har!;
  expect(har.observations).toBe(ref.har.observations);
  expectRel(har.intercept, ref.har.intercept, `${label} HAR intercept`);
  expectRel(har.daily, ref.har.daily, `${label} HAR daily`);
  expectRel(har.weekly, ref.har.weekly, `${label} HAR weekly`);
  expectRel(har.monthly, ref.har.monthly, `${label} HAR monthly`);
  expectRel(har.rSquared, ref.har.r_squared, `${label} HAR R²`);
  expectRel(actual.expectedVolatility21d, ref.har.expected_volatility_21d, `${label} HAR forecast`);
}

describe('analytics vs the NumPy reference on the bundled prices', () => {
  let prices: SamplePriceSet;
  beforeAll(async () => {
    prices = await loadSamplePrices();
  });

  const closesOf = (symbol: string) => prices.closes.get(symbol)!;

  it(`correlation matrix of ${fixture.correlation.symbols.length} symbols as of ${fixture.as_of}`, () => {
    const ref = fixture.correlation;
    const r = computeCorrelationMatrix({
      dates: prices.dates,
      closes: prices.closes,
      positions: ref.symbols.map((symbol, i) => ({ symbol, marketValue: ref.values[i]! })),
      nav: ref.nav,
      asOf: fixture.as_of,
    });
    expect(r.windowStart).toBe(ref.window_start);
    expect(r.windowEnd).toBe(ref.window_end);
    expect(r.excluded).toEqual([]);
    expect(r.dataQuality).toBe('good');
    expect(r.pairCounts.valid).toBe(45);
    const at = new Map(r.symbols.map((s, i) => [s, i]));
    ref.symbols.forEach((a, i) => {
      ref.symbols.forEach((b, j) => {
        const value = r.matrix[at.get(a)!]![at.get(b)!];
        expectRel(value, ref.matrix[i]![j]!, `${a}/${b}`);
        expect(r.dataPoints[at.get(a)!]![at.get(b)!]).toBe(ref.lookback_days);
      });
    });
    expectRel(r.overallCorrelation, ref.overall_correlation, 'overall correlation');
    for (const p of r.included) {
      expectRel(p.weight, ref.weights[ref.symbols.indexOf(p.symbol)]!, `weight ${p.symbol}`);
    }
    expectRel(r.effectivePositions, ref.effective_positions, 'effective positions');
  });

  it('SPY volatility, HAR fit and forecast (position level)', () => {
    const v = computePositionVolatility({
      dates: prices.dates,
      closes: closesOf('SPY'),
      asOf: fixture.as_of,
    });
    expectVolatility(v, fixture.volatility.SPY, 'SPY');
  });

  it('equal-weight 5-stock portfolio volatility (portfolio level)', () => {
    const ref = fixture.volatility.equal_weight_5;
    const each = ref.symbols.map((s) =>
      symbolDailyReturns(prices.dates, closesOf(s), fixture.as_of),
    );
    // Rebalanced daily: the portfolio's return is the mean of the five stocks' returns.
    const portfolio = each[0]!.map((_, t) => each.reduce((s, r) => s + r[t]!, 0) / each.length);
    expectVolatility(computeVolatilityAnalytics(portfolio), ref, 'EW5');
  });

  for (const key of ['rf_0', 'rf_2pct'] as const) {
    const ref = fixture.risk_metrics[key];
    it(`SPY risk metrics ${fixture.risk_metrics.from}..${fixture.risk_metrics.to}, rf ${ref.risk_free_rate}`, () => {
      const from = prices.dates.indexOf(fixture.risk_metrics.from);
      const to = prices.dates.indexOf(fixture.risk_metrics.to);
      const closes = closesOf('SPY').slice(from, to + 1);
      const returns = closes.subarray(1).map((c, i) => c / closes[i]! - 1);
      const m = computeRiskMetrics({ returns, riskFreeRate: ref.risk_free_rate });
      expect(m.observations).toBe(ref.observations);
      expectRel(m.annualizedVolatility, ref.annualized_volatility, 'volatility');
      expectRel(m.maxDrawdown, ref.max_drawdown, 'max drawdown');
      expect(m.maxDrawdownPeakIndex).toBe(ref.max_drawdown_peak_index);
      expect(m.maxDrawdownTroughIndex).toBe(ref.max_drawdown_trough_index);
      // The COVID crash: peak 2020-02-19, trough 2020-03-23.
      expect(prices.dates[from + m.maxDrawdownPeakIndex!]).toBe('2020-02-19');
      expect(prices.dates[from + m.maxDrawdownTroughIndex!]).toBe('2020-03-23');
      expectRel(m.sharpeRatio, ref.sharpe_ratio, 'Sharpe');
      expectRel(m.sortinoRatio, ref.sortino_ratio, 'Sortino');
    });
  }
});
