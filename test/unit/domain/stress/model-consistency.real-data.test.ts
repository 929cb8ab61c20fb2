import { beforeAll, describe, expect, it } from 'vitest';
import { buildStressFactorModel } from '../../../../src/domain/stress/factor-model.ts';
import {
  runStressTest,
  type StressPosition,
} from '../../../../src/domain/stress/run-stress-test.ts';
import { movesFromShocks, type ResolvedScenario } from '../../../../src/domain/stress/scenarios.ts';
import {
  loadSamplePrices,
  type SamplePriceSet,
} from '../../../../src/market/providers/sample/load-sample-prices.ts';
import { loadSampleSymbols } from '../../../../src/market/providers/sample/load-sample-symbols.ts';
import { loadStressReference, type StressReference } from './reference-fixture.ts';

/**
 * SPEC §6's consistency requirement, for every stock of the sample data at three dates: under a
 * market-only shock m, a position's correlated return is m × its OLS beta to SPY over the same
 * 252 returns — exactly with alpha 0, within 0.02 (beta units) with the shipped alpha 1.0. The
 * OLS betas are NumPy's (np.polyfit, test/reference/stress_reference.py), not ours.
 */
const SHOCK = -0.1;
const DATES = ['2020-02-19', '2023-06-30', '2026-07-31'];
let prices: SamplePriceSet;
let stocks: string[];
let reference: StressReference;

beforeAll(async () => {
  prices = await loadSamplePrices();
  stocks = (await loadSampleSymbols()).filter((s) => s.type === 'stock').map((s) => s.symbol);
  reference = loadStressReference();
});

const marketOnly: ResolvedScenario = {
  id: 'market_only',
  name: 'Market −10%',
  description: '',
  category: 'market',
  severity: 'moderate',
  window: null,
  custom: false,
  moves: movesFromShocks({ Market: SHOCK }),
};

/** Each stock's correlated return per unit market shock (a $1 long position). */
function unitMarketResponses(asOf: string, ridgeAlpha: number): Map<string, number> {
  const model = buildStressFactorModel({
    dates: prices.dates,
    closes: prices.closes,
    asOf,
    symbols: stocks,
    parameters: { ridgeAlpha },
  });
  const positions: StressPosition[] = stocks.map((symbol) => ({
    positionId: symbol,
    symbol,
    kind: 'equity',
    marketValue: 1,
    quantity: 1,
    multiplier: 1,
  }));
  const result = runStressTest({ positions, model, scenario: marketOnly, nav: 1 });
  expect(result.excluded).toEqual([]);
  return new Map(result.positionImpacts.map((p) => [p.symbol, p.return_correlated / SHOCK]));
}

describe.each(DATES)('market-only shock as of %s', (asOf) => {
  it('covers every one of the 130 sample stocks', () => {
    expect(stocks).toHaveLength(130);
    expect(Object.keys(reference.consistency[asOf]!.stocks).sort()).toEqual([...stocks].sort());
  });

  it('moves each stock by exactly shock × its OLS beta to SPY when alpha is 0 (1e-9)', () => {
    const responses = unitMarketResponses(asOf, 0);
    let worst = 0;
    for (const symbol of stocks) {
      const ols = reference.consistency[asOf]!.stocks[symbol]!.ols_beta_spy;
      worst = Math.max(worst, Math.abs(responses.get(symbol)! - ols));
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it('stays within 0.02 of the OLS beta with the shipped ridge (alpha 1.0), as NumPy finds', () => {
    const responses = unitMarketResponses(asOf, 1);
    let worst = 0;
    for (const symbol of stocks) {
      const ref = reference.consistency[asOf]!.stocks[symbol]!;
      const response = responses.get(symbol)!;
      worst = Math.max(worst, Math.abs(response - ref.ols_beta_spy));
      // The same number NumPy gets for the ridge model, to float precision.
      expect(Math.abs(response - ref.ridge_unit_market), symbol).toBeLessThan(1e-9);
    }
    expect(worst).toBeLessThan(0.02);
  });
});

describe('the ±5 clamp keeps the market response', () => {
  it('clamps NOW and TSLA on 2020-02-19 (large offsetting style betas) without moving their market response', () => {
    const model = buildStressFactorModel({
      dates: prices.dates,
      closes: prices.closes,
      asOf: '2020-02-19',
      symbols: stocks,
    });
    const clamped = [...model.betas.values()].filter((b) => b.clamped).map((b) => b.symbol);
    expect(clamped.sort()).toEqual(['NOW', 'TSLA']);
    for (const symbol of clamped) {
      const betas = model.betas.get(symbol)!.betas;
      expect(Math.max(...betas.map(Math.abs))).toBe(5);
      // Same market response as NumPy's unclamped ridge (the 1e-9 test above covers all).
      const k = 8;
      const response = betas.reduce(
        (sum, b, j) =>
          sum + b * ((model.covariance[j * k] as number) / (model.covariance[0] as number)),
        0,
      );
      const ref = reference.consistency['2020-02-19']!.stocks[symbol]!;
      expect(Math.abs(response - ref.ridge_unit_market), symbol).toBeLessThan(1e-9);
    }
  });
});
