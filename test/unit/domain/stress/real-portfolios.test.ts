import { beforeAll, describe, expect, it } from 'vitest';
import { blackScholes } from '../../../../src/domain/options/black-scholes.ts';
import {
  buildStressFactorModel,
  type StressFactorModel,
} from '../../../../src/domain/stress/factor-model.ts';
import {
  buildPortfolioStressModel,
  runScenarios,
  runStressTest,
  type StressPosition,
  type StressTestResult,
} from '../../../../src/domain/stress/run-stress-test.ts';
import {
  findScenario,
  resolveScenario,
  STRESS_SCENARIOS,
  type StressScenario,
} from '../../../../src/domain/stress/scenarios.ts';
import { loadSamplePrices } from '../../../../src/market/providers/sample/load-sample-prices.ts';
import { loadStressReference, type ReferenceModel } from './reference-fixture.ts';

// Real bundled prices, model as of 2026-07-31 (the last session). Portfolios hold SPY, TLT and a
// synthetic 3× leveraged SPY whose daily return is exactly 3 × SPY's.
const AS_OF = '2026-07-31';
let model: StressFactorModel;
let reference: ReferenceModel;
let price: (symbol: string) => number;

beforeAll(async () => {
  const set = await loadSamplePrices();
  const spy = set.closes.get('SPY')!;
  const spy3x = new Float64Array(spy.length);
  spy3x[0] = 100;
  for (let t = 1; t < spy.length; t++) {
    spy3x[t] = spy3x[t - 1]! * (1 + 3 * (spy[t]! / spy[t - 1]! - 1));
  }
  const closes = new Map([...set.closes, ['SPY3X', spy3x]]);
  model = buildStressFactorModel({
    dates: set.dates,
    closes,
    asOf: AS_OF,
    symbols: ['SPY', 'TLT', 'SPY3X', 'AAPL'],
  });
  reference = loadStressReference().as_of[AS_OF]!;
  const last = set.dates.indexOf(AS_OF);
  price = (symbol) => closes.get(symbol)![last]!;
});

const scenario = (id: string) => resolveScenario(findScenario(id) as StressScenario);
/** The 19 hypothetical scenarios (the replays need stored closes; their own tests have them). */
const HYPOTHETICAL = STRESS_SCENARIOS.filter((s) => s.shocks).map((s) => resolveScenario(s));
const runAllScenarios = (input: { positions: StressPosition[]; nav: number }) =>
  runScenarios(buildPortfolioStressModel(input.positions, model), HYPOTHETICAL, input.nav);

function holding(positionId: string, symbol: string, value: number): StressPosition {
  return {
    positionId,
    symbol,
    kind: 'equity',
    marketValue: value,
    quantity: value / price(symbol),
    multiplier: 1,
  };
}

function run(positions: StressPosition[], id: string, nav: number): StressTestResult {
  return runStressTest({ positions, model, scenario: scenario(id), nav });
}

describe(`stress tests on real data as of ${AS_OF}`, () => {
  it('loses about 10% of NAV (9–11%) on a long SPY book in market_down_10, gains it in market_up_10', () => {
    const spy = [holding('spy', 'SPY', 1_000_000)];
    const down = run(spy, 'market_down_10', 1_000_000);
    const up = run(spy, 'market_up_10', 1_000_000);
    expect(down.percentageOfNav).toBeGreaterThan(-11);
    expect(down.percentageOfNav).toBeLessThan(-9);
    expect(up.percentageOfNav).toBeGreaterThan(9);
    expect(up.percentageOfNav).toBeLessThan(11);
    // The style factors are relative to SPY, so SPY's own Market beta is ~1 and the direct
    // result is already about −10%: the correlated run adds only what ridge shrinkage left out.
    expect(down.directPnl / 10_000).toBeGreaterThan(-10.1);
    expect(down.directPnl / 10_000).toBeLessThan(-9.7);
    expect(Math.abs(down.correlationEffect)).toBeLessThan(0.003 * 1_000_000);
  });

  it('makes a net-short SPY book gain in market_down_10', () => {
    const book = [holding('long', 'SPY', 300_000), holding('short', 'SPY', -800_000)];
    const down = run(book, 'market_down_10', 1_000_000);
    expect(down.correlatedPnl).toBeGreaterThan(0);
    expect(down.directPnl).toBeGreaterThan(0);
    expect(down.percentageOfNav).toBeGreaterThan(4.5);
    expect(down.percentageOfNav).toBeLessThan(5.5);
  });

  it('loses about 17.5% (15–20%) on a long TLT book in rates_up_100bp and gains in rates_down_100bp', () => {
    const tlt = [holding('tlt', 'TLT', 500_000)];
    const up = run(tlt, 'rates_up_100bp', 500_000);
    const down = run(tlt, 'rates_down_100bp', 500_000);
    expect(up.percentageOfNav).toBeGreaterThan(-20);
    expect(up.percentageOfNav).toBeLessThan(-15);
    expect(down.percentageOfNav).toBeGreaterThan(15);
    expect(down.percentageOfNav).toBeLessThan(20);
  });

  it('agrees with the NumPy reference for long SPY and long TLT in the 19 hypothetical scenarios (1e-9 relative)', () => {
    for (const symbol of ['SPY', 'TLT'] as const) {
      const results = runAllScenarios({
        positions: [holding(symbol, symbol, 250_000)],
        nav: 250_000,
      });
      expect(results).toHaveLength(19);
      for (const r of results) {
        const expected = reference.scenarios[r.scenarioId]!;
        const pct = expected.long_only[symbol];
        const scale = Math.max(Math.abs(pct.pct_correlated), Math.abs(pct.pct_direct), 1e-3);
        expect(
          Math.abs(r.percentageOfNav! - pct.pct_correlated) / scale,
          r.scenarioId,
        ).toBeLessThan(1e-9);
        expect(Math.abs((r.directPnl / 250_000) * 100 - pct.pct_direct) / scale).toBeLessThan(1e-9);
        r.factorImpacts.forEach((f, j) => {
          expect(f.move_correlated).toBeCloseTo(expected.move_correlated[j]!, 12);
          expect(f.move_direct).toBeCloseTo(expected.move_direct[j]!, 12);
        });
      }
    }
  });

  it('makes a deep out-of-the-money long put gain in market_crash_35 while the stock loses', () => {
    const spot = price('SPY');
    const terms = {
      kind: 'PUT' as const,
      strike: 0.7 * spot,
      years: 0.25,
      rate: 0.04,
      volatility: 0.2,
    };
    const premium = blackScholes({ ...terms, spot }).price;
    const put: StressPosition = {
      positionId: 'put',
      symbol: 'SPY261030P',
      kind: 'option',
      marketValue: premium * 10 * 100,
      quantity: 10,
      multiplier: 100,
      underlyingSymbol: 'SPY',
      underlyingPrice: spot,
      option: { ...terms, price: premium },
    };
    const stock = holding('stock', 'SPY', 100_000);
    const result = run([stock, put], 'market_crash_35', 200_000);
    const byId = new Map(result.positionImpacts.map((p) => [p.positionId, p]));
    expect(byId.get('stock')!.pnl_correlated).toBeLessThan(-30_000);
    expect(byId.get('put')!.pnl_correlated).toBeGreaterThan(0);
    // Far out of the money, delta is tiny: the linear attribution misses most of the gain.
    expect(result.attributionResidual.correlated).toBeGreaterThan(0);
  });

  it('never lets a 3× leveraged position lose more than 100% in market_crash_35', () => {
    const lev = [holding('lev', 'SPY3X', 50_000)];
    const result = run(lev, 'market_crash_35', 50_000);
    const linearCorrelated = result.factorImpacts.reduce((s, f) => s + f.pnl_correlated, 0);
    expect(linearCorrelated).toBeLessThan(-50_000); // the unfloored model says about −105%
    expect(result.correlatedPnl).toBe(-50_000);
    expect(result.directPnl).toBeGreaterThanOrEqual(-50_000);
    expect(result.positionImpacts[0]!.return_correlated).toBe(-1);
  });

  it('excludes a private asset and sums position P&L to the totals in every scenario', () => {
    const book: StressPosition[] = [
      holding('spy', 'SPY', 400_000),
      holding('tlt', 'TLT', 200_000),
      holding('aapl', 'AAPL', -150_000),
      holding('lev', 'SPY3X', 50_000),
      {
        ...holding('pe', 'SPY', 1),
        symbol: 'FO_PRIVATE_FUND',
        kind: 'private',
        marketValue: 300_000,
      },
    ];
    for (const r of runAllScenarios({ positions: book, nav: 1_000_000 })) {
      expect(r.excluded).toEqual([
        { positionId: 'pe', symbol: 'FO_PRIVATE_FUND', reason: 'private_asset' },
      ]);
      expect(r.positionImpacts).toHaveLength(4);
      const direct = r.positionImpacts.reduce((s, p) => s + p.pnl_direct, 0);
      const correlated = r.positionImpacts.reduce((s, p) => s + p.pnl_correlated, 0);
      expect(r.directPnl).toBeCloseTo(direct, 6);
      expect(r.correlatedPnl).toBeCloseTo(correlated, 6);
      expect(r.newPortfolioValue).toBeCloseTo(1_000_000 + r.correlatedPnl, 6);
    }
  });
});
