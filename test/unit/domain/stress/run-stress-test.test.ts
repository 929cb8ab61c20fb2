import { describe, expect, it } from 'vitest';
import { blackScholes } from '../../../../src/domain/options/black-scholes.ts';
import type {
  StressFactorModel,
  SymbolStressBetas,
  UnavailableSymbol,
} from '../../../../src/domain/stress/factor-model.ts';
import { DEFAULT_STRESS_MODEL_PARAMETERS } from '../../../../src/domain/stress/factor-model.ts';
import {
  buildPortfolioStressModel,
  evaluateScenario,
  runScenarios,
  runStressTest as runStressTestOnModel,
  type StressPosition,
  type StressTestResult,
} from '../../../../src/domain/stress/run-stress-test.ts';
import {
  findScenario,
  resolveScenario,
  STRESS_SCENARIOS,
  type StressScenario,
} from '../../../../src/domain/stress/scenarios.ts';
import {
  STRESS_FACTOR_ETFS,
  STRESS_FACTORS,
} from '../../../../src/domain/stress/stress-factors.ts';

/**
 * A hand-made model: daily vols of 1% on every factor, and Value correlated 0.5 with Market, so
 * a Market shock s moves Value by 0.5·s in the correlated run and nothing else moves.
 */
function handModel(
  betas: Record<string, Partial<Record<(typeof STRESS_FACTORS)[number], number>>>,
  unavailable: UnavailableSymbol[] = [],
): StressFactorModel {
  const k = STRESS_FACTORS.length;
  const covariance = new Float64Array(k * k);
  for (let i = 0; i < k; i++) covariance[i * k + i] = 1e-4;
  covariance[1] = covariance[k] = 0.5e-4; // Market–Value
  const fitted = new Map<string, SymbolStressBetas>();
  for (const [symbol, byFactor] of Object.entries(betas)) {
    fitted.set(symbol, {
      symbol,
      betas: Float64Array.from(STRESS_FACTORS, (f) => byFactor[f] ?? 0),
      intercept: 0,
      rSquared: 1,
      observations: 252,
      windowStart: '2025-07-31',
      windowEnd: '2026-07-31',
      clamped: false,
    });
  }
  return {
    asOf: '2026-07-31',
    priceDate: '2026-07-31',
    factors: STRESS_FACTORS,
    etfs: STRESS_FACTORS.map((f) => STRESS_FACTOR_ETFS[f]),
    covariance,
    covarianceObservations: 252,
    covarianceWindow: { start: '2025-07-31', end: '2026-07-31' },
    betas: fitted,
    unavailable: new Map(unavailable.map((u) => [u.symbol, u])),
    parameters: DEFAULT_STRESS_MODEL_PARAMETERS,
  };
}

const scenario = (id: string) => findScenario(id) as StressScenario;

/** One scenario against one portfolio: the two steps the refresh and the read path take. */
function runStressTest(input: {
  positions: StressPosition[];
  model: StressFactorModel;
  scenario: StressScenario;
  nav: number;
  tltDuration?: number;
}): StressTestResult {
  const duration = input.tltDuration ?? 17.5;
  return runStressTestOnModel({
    ...input,
    scenario: resolveScenario(input.scenario, { duration }),
    tltDuration: duration,
  });
}

const equity = (positionId: string, symbol: string, marketValue: number): StressPosition => ({
  positionId,
  symbol,
  kind: 'equity',
  marketValue,
  quantity: marketValue / 100,
  multiplier: 1,
});

const model = handModel(
  {
    ABC: { Market: 1.2, Value: 0.5 },
    LEV: { Market: 3 },
    BOND: { Rates: 1 },
  },
  [{ symbol: 'NEWCO', reason: 'insufficient_history', observations: 12 }],
);

describe('runStressTest on a hand-made model', () => {
  it('moves a long stock by Σ beta·move: −12% direct, −14.5% correlated in market_down_10', () => {
    // direct: 1.2·(−10%) = −12%; correlated adds Value's conditional move 0.5·(−10%) × 0.5.
    const result = runStressTest({
      positions: [equity('p1', 'ABC', 100_000)],
      model,
      scenario: scenario('market_down_10'),
      nav: 200_000,
    });
    expect(result.directPnl).toBeCloseTo(-12_000, 8);
    expect(result.correlatedPnl).toBeCloseTo(-14_500, 8);
    expect(result.correlationEffect).toBeCloseTo(-2_500, 8);
    expect(result.percentageOfNav).toBeCloseTo(-7.25, 10);
    expect(result.newPortfolioValue).toBeCloseTo(185_500, 8);
    expect(result.positionImpacts[0]).toMatchObject({ positionId: 'p1', betaSymbol: 'ABC' });
    expect(result.positionImpacts[0]!.return_correlated).toBeCloseTo(-0.145, 14);
    const value = result.factorImpacts.find((f) => f.factor === 'Value')!;
    expect(value).toMatchObject({
      etf: 'VTV',
      series: 'VTV − SPY',
      shocked: false,
      move_direct: 0,
      yield_change_direct: null,
    });
    expect(result.shockedFactors).toEqual(['Market']);
    expect(value.move_correlated).toBeCloseTo(-0.05, 14);
    expect(value.pnl_correlated).toBeCloseTo(-2_500, 8);
    expect(result.factorImpacts.find((f) => f.factor === 'Market')!.shocked).toBe(true);
    expect(result.attributionResidual.correlated).toBeCloseTo(0, 8);
  });

  it('makes a short position gain when prices fall and lose when they rise', () => {
    const short = [equity('s1', 'ABC', -50_000)];
    const down = runStressTest({
      positions: short,
      model,
      scenario: scenario('market_down_10'),
      nav: 1e5,
    });
    const up = runStressTest({
      positions: short,
      model,
      scenario: scenario('market_up_10'),
      nav: 1e5,
    });
    expect(down.correlatedPnl).toBeCloseTo(7_250, 8);
    expect(up.correlatedPnl).toBeCloseTo(-7_250, 8);
  });

  it('floors a 3× position at −100% in market_crash_35 (3 × −35% = −105%)', () => {
    const result = runStressTest({
      positions: [equity('lev', 'LEV', 10_000)],
      model,
      scenario: scenario('market_crash_35'),
      nav: 10_000,
    });
    expect(result.positionImpacts[0]!.return_direct).toBe(-1);
    expect(result.directPnl).toBe(-10_000);
    expect(result.correlatedPnl).toBe(-10_000);
    expect(result.newPortfolioValue).toBe(0);
    // The linear attribution says −10,500; the 500 the floor saves is the residual.
    expect(result.attributionResidual.direct).toBeCloseTo(500, 8);
  });

  it('does not floor portfolio totals: a short book can lose more than its NAV', () => {
    const result = runStressTest({
      positions: [equity('s', 'LEV', -10_000)],
      model,
      scenario: scenario('market_rally_25'),
      nav: 5_000,
    });
    expect(result.correlatedPnl).toBeCloseTo(-7_500, 8);
    expect(result.newPortfolioValue).toBeCloseTo(-2_500, 8);
    expect(result.percentageOfNav).toBeCloseTo(-150, 10);
  });

  it('turns a +100bp rates shock into a −17.5% bond return, or −D·1% for another duration', () => {
    const bond = [equity('b', 'BOND', 100_000)];
    const up = runStressTest({
      positions: bond,
      model,
      scenario: scenario('rates_up_100bp'),
      nav: 1e5,
    });
    expect(up.correlatedPnl).toBeCloseTo(-17_500, 8);
    const rates = up.factorImpacts.find((f) => f.factor === 'Rates')!;
    expect(rates.move_direct).toBeCloseTo(-0.175, 14);
    // The yield change is reported beside the TLT move: −move / D.
    expect(rates.yield_change_direct).toBeCloseTo(0.01, 14);
    const short = runStressTest({
      positions: bond,
      model,
      scenario: scenario('rates_up_100bp'),
      nav: 1e5,
      tltDuration: 6,
    });
    expect(short.correlatedPnl).toBeCloseTo(-6_000, 8);
  });

  it('excludes private assets and symbols without betas, with the reason, contributing 0', () => {
    const result = runStressTest({
      positions: [
        equity('p1', 'ABC', 100_000),
        { ...equity('pe', 'FO_FUND_I', 500_000), kind: 'private' },
        equity('u', 'UNKNOWN', 20_000),
        equity('n', 'NEWCO', 30_000),
      ],
      model,
      scenario: scenario('market_down_10'),
      nav: 1_000_000,
    });
    expect(result.excluded).toEqual([
      { positionId: 'pe', symbol: 'FO_FUND_I', reason: 'private_asset' },
      { positionId: 'u', symbol: 'UNKNOWN', reason: 'no_factor_data' },
      { positionId: 'n', symbol: 'NEWCO', reason: 'insufficient_history' },
    ]);
    expect(result.positionImpacts.map((p) => p.positionId)).toEqual(['p1']);
    expect(result.correlatedPnl).toBeCloseTo(-14_500, 8);
  });

  it('fully revalues an option by Black–Scholes at the shocked underlying', () => {
    const terms = { kind: 'CALL' as const, strike: 100, years: 0.5, rate: 0.04, volatility: 0.3 };
    const base = blackScholes({ ...terms, spot: 100 });
    const call: StressPosition = {
      positionId: 'c',
      symbol: 'ABC260116C00100000',
      kind: 'option',
      marketValue: base.price * 2 * 100,
      quantity: 2,
      multiplier: 100,
      underlyingSymbol: 'ABC',
      underlyingPrice: 100,
      option: { ...terms, price: base.price },
    };
    const result = runStressTest({
      positions: [call],
      model,
      scenario: scenario('market_down_10'),
      nav: 1e5,
    });
    const shocked = blackScholes({ ...terms, spot: 100 * (1 - 0.145) });
    expect(result.correlatedPnl).toBeCloseTo((shocked.price - base.price) * 200, 8);
    // A long call loses less than its delta says (convexity): the residual is positive.
    const linear = base.delta * 200 * 100 * -0.145;
    expect(result.factorImpacts.reduce((s, f) => s + f.pnl_correlated, 0)).toBeCloseTo(linear, 8);
    expect(result.attributionResidual.correlated).toBeGreaterThan(0);
    expect(result.positionImpacts[0]).toMatchObject({ betaSymbol: 'ABC' });
  });

  it('values a put on an underlying floored to zero at its discounted strike', () => {
    const terms = { kind: 'PUT' as const, strike: 50, years: 1, rate: 0.05, volatility: 0.4 };
    const base = blackScholes({ ...terms, spot: 60 });
    const put: StressPosition = {
      positionId: 'put',
      symbol: 'LEV270115P00050000',
      kind: 'option',
      marketValue: base.price * 100,
      quantity: 1,
      multiplier: 100,
      underlyingSymbol: 'LEV',
      underlyingPrice: 60,
      option: { ...terms, price: base.price },
    };
    const result = runStressTest({
      positions: [put],
      model,
      scenario: scenario('market_crash_35'),
      nav: 1e4,
    });
    expect(result.directPnl).toBeCloseTo((50 * Math.exp(-0.05) - base.price) * 100, 8);
  });

  it('lists an option without underlying price or terms as missing_option_inputs', () => {
    const result = runStressTest({
      positions: [
        { ...equity('o', 'ABC260116C00100000', 1_000), kind: 'option', underlyingSymbol: 'ABC' },
      ],
      model,
      scenario: scenario('market_down_10'),
      nav: 1e5,
    });
    expect(result.excluded).toEqual([
      { positionId: 'o', symbol: 'ABC260116C00100000', reason: 'missing_option_inputs' },
    ]);
    expect(result.correlatedPnl).toBe(0);
  });

  it('reports no percentage of NAV when NAV is not positive', () => {
    const result = runStressTest({
      positions: [equity('p', 'ABC', 1)],
      model,
      scenario: scenario('market_up_5'),
      nav: 0,
    });
    expect(result.percentageOfNav).toBeNull();
  });

  it('runs every built-in scenario, each total equal to the sum of its position P&L', () => {
    const positions = [
      equity('a', 'ABC', 120_000),
      equity('b', 'BOND', 80_000),
      equity('l', 'LEV', -30_000),
      { ...equity('pe', 'PRIVATE_X', 1e6), kind: 'private' as const },
    ];
    // Replays read their shocks from closes on the window's first and last day.
    const closeOn = (etf: string, date: string) =>
      etf === 'SPY' ? (date.endsWith('-01') || date < '2005' ? 100 : 80) : undefined;
    const scenarios = STRESS_SCENARIOS.map((s) => resolveScenario(s, { closeOn }));
    const portfolio = buildPortfolioStressModel(positions, model);
    const results = runScenarios(portfolio, scenarios, 250_000);
    expect(results.map((r) => r.scenarioId)).toEqual(STRESS_SCENARIOS.map((s) => s.id));
    for (const r of results) {
      const direct = r.positionImpacts.reduce((s, p) => s + p.pnl_direct, 0);
      const correlated = r.positionImpacts.reduce((s, p) => s + p.pnl_correlated, 0);
      expect(r.directPnl, r.scenarioId).toBeCloseTo(direct, 6);
      expect(r.correlatedPnl, r.scenarioId).toBeCloseTo(correlated, 6);
      expect(r.correlationEffect).toBeCloseTo(r.correlatedPnl - r.directPnl, 6);
      expect(r.excluded.map((e) => e.reason)).toEqual(['private_asset']);
    }
  });

  it('stores a model a later evaluation reproduces exactly, through JSON', () => {
    const positions = [equity('a', 'ABC', 120_000), equity('b', 'BOND', 80_000)];
    const portfolio = buildPortfolioStressModel(positions, model);
    const roundTripped = JSON.parse(JSON.stringify(portfolio)) as typeof portfolio;
    const crash = resolveScenario(scenario('market_crash_35'));
    expect(evaluateScenario(roundTripped, crash, 250_000)).toEqual(
      evaluateScenario(portfolio, crash, 250_000),
    );
    expect(portfolio.covariance).toHaveLength(8);
    expect(portfolio.positions[0]).toMatchObject({ positionId: 'a', exposure: 120_000 });
    expect(portfolio.positions[0]!.betas[0]).toBe(1.2);
  });
});
