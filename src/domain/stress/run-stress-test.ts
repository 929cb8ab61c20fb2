import { blackScholes, type OptionKind } from '../options/black-scholes.ts';
import { conditionalFactorMoves } from './conditional-shocks.ts';
import type { StressFactorModel, UnavailableReason } from './factor-model.ts';
import type { ResolvedScenario, StressWindow } from './scenarios.ts';
import {
  DEFAULT_TLT_DURATION,
  factorSeriesLabel,
  RATES_FACTOR_INDEX,
  STRESS_FACTOR_ETFS,
  STRESS_FACTORS,
  tltReturnToYieldChange,
  type StressFactor,
} from './stress-factors.ts';

/**
 * Applies a scenario to a portfolio (SPEC §6). Each position's price moves by
 * r = Σ_f beta_f · move_f (its own betas, or an option's underlying's), floored at −100% since a
 * price cannot go below zero. Stocks and ETFs lose marketValue·r (negative for shorts, so shorts
 * gain in a fall); options are revalued by Black–Scholes at the shocked underlying. Totals are
 * plain sums of position P&L: a short book can lose more than NAV, and that is reported.
 *
 * Two steps: `buildPortfolioStressModel` fixes everything that does not depend on the scenario
 * (each position's betas, exposure and option terms, and Σ) in a plain, storable document, and
 * `evaluateScenario` applies any scenario to it. The nightly refresh stores the document, so a
 * user's own scenario evaluated later uses exactly the model the built-in ones used, and a user
 * can recompute every number from it (`include=model`).
 */

export interface StressOptionTerms {
  kind: OptionKind;
  strike: number;
  /** Years to expiry. */
  years: number;
  rate: number;
  volatility: number;
  /**
   * Current mark per share. Carried for the record only: P&L is the difference of two model
   * values (shocked − unshocked) so a gap between the mark and the model is not reported as
   * scenario P&L, and a zero shock gives exactly zero.
   */
  price: number;
}

export interface StressPosition {
  positionId: string;
  symbol: string;
  kind: 'equity' | 'option' | 'private';
  /** Signed: negative for shorts and written options. */
  marketValue: number;
  /** Signed. */
  quantity: number;
  /** 100 for listed options, 1 otherwise. */
  multiplier: number;
  /** Options: the symbol whose betas and price drive the option. */
  underlyingSymbol?: string;
  underlyingPrice?: number;
  option?: StressOptionTerms;
}

export type StressExclusionReason =
  | 'private_asset'
  | 'no_factor_data'
  | 'insufficient_history'
  | 'non_finite_betas'
  | 'missing_option_inputs';

export interface StressExclusion {
  positionId: string;
  symbol: string;
  reason: StressExclusionReason;
}

/** An option as the model holds it: terms, the underlying's price and contracts × multiplier. */
export interface ModelledOption extends StressOptionTerms {
  spot: number;
  /** Unshocked model value per share. */
  baseValue: number;
  /** quantity × multiplier (signed). */
  units: number;
}

export interface ModelledPosition {
  positionId: string;
  symbol: string;
  /** The symbol whose betas were used: the position's own, or an option's underlying. */
  betaSymbol: string;
  kind: 'equity' | 'option';
  marketValue: number;
  /** Dollar exposure to the beta symbol's price: market value, or delta-adjusted for options. */
  exposure: number;
  /** Betas in STRESS_FACTORS order (raw units, clamped). */
  betas: number[];
  option: ModelledOption | null;
}

/** Everything the scenarios of one portfolio on one day need, as a plain JSON-able document. */
export interface PortfolioStressModel {
  asOf: string;
  /** The session the windows end at (≤ asOf). */
  priceDate: string;
  /** First and last day of the 252 returns behind the betas and Σ. */
  window: StressWindow;
  observations: number;
  ridgeAlpha: number;
  tltDuration: number;
  factors: StressFactor[];
  /** k×k sample covariance of the daily factor series. */
  covariance: number[][];
  positions: ModelledPosition[];
  excluded: StressExclusion[];
}

export interface StressFactorImpact {
  factor: StressFactor;
  etf: string;
  /** The series, e.g. `VTV − SPY`. */
  series: string;
  /** True when the scenario shocks this factor itself. */
  shocked: boolean;
  /** Moves of the factor series (Rates: the TLT return). */
  move_direct: number;
  move_correlated: number;
  /** Rates only: the yield change the TLT move implies, −move / D; null for the others. */
  yield_change_direct: number | null;
  yield_change_correlated: number | null;
  /** Linear attribution Σ_i exposure_i · beta_if · move_f (options delta-adjusted). */
  pnl_direct: number;
  pnl_correlated: number;
}

export interface StressPositionImpact {
  positionId: string;
  symbol: string;
  betaSymbol: string;
  /** Price return of `betaSymbol` after the −100% floor. */
  return_direct: number;
  return_correlated: number;
  pnl_direct: number;
  pnl_correlated: number;
}

export interface StressTestResult {
  scenarioId: string;
  nav: number;
  directPnl: number;
  correlatedPnl: number;
  correlationEffect: number;
  /** Correlated P&L / NAV × 100 (percentage points); null when NAV is not positive. */
  percentageOfNav: number | null;
  /** NAV + correlated P&L. */
  newPortfolioValue: number;
  shockedFactors: StressFactor[];
  factorImpacts: StressFactorImpact[];
  positionImpacts: StressPositionImpact[];
  excluded: StressExclusion[];
  /**
   * Total P&L minus the sum of linear factor impacts: option convexity and the −100% floor.
   * Zero for a book of unfloored stocks.
   */
  attributionResidual: { direct: number; correlated: number };
}

const EXCLUSION_FOR: Record<UnavailableReason, StressExclusionReason> = {
  no_prices: 'no_factor_data',
  insufficient_history: 'insufficient_history',
  non_finite: 'non_finite_betas',
};

/** The scenario-independent part, once per portfolio and day. */
export function buildPortfolioStressModel(
  positions: readonly StressPosition[],
  model: StressFactorModel,
  tltDuration: number = DEFAULT_TLT_DURATION,
): PortfolioStressModel {
  const modelled: ModelledPosition[] = [];
  const excluded: StressExclusion[] = [];
  for (const position of positions) {
    const { positionId, symbol } = position;
    if (position.kind === 'private') {
      excluded.push({ positionId, symbol, reason: 'private_asset' });
      continue;
    }
    const betaSymbol =
      position.kind === 'option' ? (position.underlyingSymbol ?? '') : position.symbol;
    let option: ModelledOption | null = null;
    let exposure = position.marketValue;
    if (position.kind === 'option') {
      const terms = position.option;
      const spot = position.underlyingPrice;
      if (
        terms === undefined ||
        betaSymbol === '' ||
        spot === undefined ||
        !(spot > 0) ||
        !(terms.strike > 0) ||
        ![terms.years, terms.rate, terms.volatility].every(Number.isFinite)
      ) {
        excluded.push({ positionId, symbol, reason: 'missing_option_inputs' });
        continue;
      }
      requireFinite(position, 'quantity', position.quantity);
      requireFinite(position, 'multiplier', position.multiplier);
      const base = blackScholes({ ...terms, spot });
      const units = position.quantity * position.multiplier;
      option = { ...terms, spot, baseValue: base.price, units };
      exposure = base.delta * units * spot;
    } else {
      requireFinite(position, 'marketValue', position.marketValue);
    }
    const fitted = model.betas.get(betaSymbol);
    if (fitted === undefined) {
      const reason = model.unavailable.get(betaSymbol)?.reason;
      excluded.push({
        positionId,
        symbol,
        reason: reason === undefined ? 'no_factor_data' : EXCLUSION_FOR[reason],
      });
      continue;
    }
    modelled.push({
      positionId,
      symbol,
      betaSymbol,
      kind: position.kind,
      marketValue: position.marketValue,
      exposure,
      betas: [...fitted.betas],
      option,
    });
  }
  const k = model.factors.length;
  return {
    asOf: model.asOf,
    priceDate: model.priceDate,
    window: model.covarianceWindow,
    observations: model.covarianceObservations,
    ridgeAlpha: model.parameters.ridgeAlpha,
    tltDuration,
    factors: [...model.factors],
    covariance: Array.from({ length: k }, (_, i) => [
      ...model.covariance.subarray(i * k, i * k + k),
    ]),
    positions: modelled,
    excluded,
  };
}

/** Every scenario against one portfolio model. */
export function runScenarios(
  model: PortfolioStressModel,
  scenarios: readonly ResolvedScenario[],
  nav: number,
): StressTestResult[] {
  const covariance = Float64Array.from(model.covariance.flat());
  return scenarios.map((scenario) => evaluate(model, covariance, scenario, nav));
}

/** Both steps for one scenario: build the portfolio's model and evaluate the scenario on it. */
export function runStressTest(input: {
  positions: readonly StressPosition[];
  model: StressFactorModel;
  scenario: ResolvedScenario;
  nav: number;
  tltDuration?: number;
}): StressTestResult {
  const portfolio = buildPortfolioStressModel(input.positions, input.model, input.tltDuration);
  return evaluateScenario(portfolio, input.scenario, input.nav);
}

export function evaluateScenario(
  model: PortfolioStressModel,
  scenario: ResolvedScenario,
  nav: number,
): StressTestResult {
  return runScenarios(model, [scenario], nav)[0]!;
}

function evaluate(
  model: PortfolioStressModel,
  covariance: Float64Array,
  scenario: ResolvedScenario,
  nav: number,
): StressTestResult {
  if (!Number.isFinite(nav)) throw new RangeError(`NAV must be finite, got ${nav}`);
  const k = model.factors.length;
  const moves = conditionalFactorMoves(covariance, k, scenario.moves);
  const shocked = new Set(scenario.moves.map((s) => s.index));

  const factorPnlDirect = new Float64Array(k);
  const factorPnlCorrelated = new Float64Array(k);
  const positionImpacts: StressPositionImpact[] = [];
  let directPnl = 0;
  let correlatedPnl = 0;

  for (const p of model.positions) {
    let linearDirect = 0;
    let linearCorrelated = 0;
    for (let f = 0; f < k; f++) {
      const beta = p.betas[f] as number;
      const direct = beta * (moves.direct[f] as number);
      const correlated = beta * (moves.correlated[f] as number);
      linearDirect += direct;
      linearCorrelated += correlated;
      factorPnlDirect[f] = (factorPnlDirect[f] as number) + p.exposure * direct;
      factorPnlCorrelated[f] = (factorPnlCorrelated[f] as number) + p.exposure * correlated;
    }
    const returnDirect = Math.max(linearDirect, -1);
    const returnCorrelated = Math.max(linearCorrelated, -1);
    const pnlDirect = positionPnl(p, returnDirect);
    const pnlCorrelated = positionPnl(p, returnCorrelated);
    directPnl += pnlDirect;
    correlatedPnl += pnlCorrelated;
    positionImpacts.push({
      positionId: p.positionId,
      symbol: p.symbol,
      betaSymbol: p.betaSymbol,
      return_direct: returnDirect,
      return_correlated: returnCorrelated,
      pnl_direct: pnlDirect,
      pnl_correlated: pnlCorrelated,
    });
  }

  const factorImpacts: StressFactorImpact[] = model.factors.map((factor, f) => {
    const moveDirect = moves.direct[f] as number;
    const moveCorrelated = moves.correlated[f] as number;
    const isRates = f === RATES_FACTOR_INDEX;
    return {
      factor,
      etf: STRESS_FACTOR_ETFS[factor],
      series: factorSeriesLabel(factor),
      shocked: shocked.has(f),
      move_direct: moveDirect,
      move_correlated: moveCorrelated,
      yield_change_direct: isRates ? tltReturnToYieldChange(moveDirect, model.tltDuration) : null,
      yield_change_correlated: isRates
        ? tltReturnToYieldChange(moveCorrelated, model.tltDuration)
        : null,
      pnl_direct: factorPnlDirect[f] as number,
      pnl_correlated: factorPnlCorrelated[f] as number,
    };
  });

  return {
    scenarioId: scenario.id,
    nav,
    directPnl,
    correlatedPnl,
    correlationEffect: correlatedPnl - directPnl,
    percentageOfNav: nav > 0 ? (correlatedPnl / nav) * 100 : null,
    newPortfolioValue: nav + correlatedPnl,
    shockedFactors: STRESS_FACTORS.filter((_, f) => shocked.has(f)),
    factorImpacts,
    positionImpacts,
    excluded: [...model.excluded],
    attributionResidual: {
      direct: directPnl - sum(factorPnlDirect),
      correlated: correlatedPnl - sum(factorPnlCorrelated),
    },
  };
}

function positionPnl(p: ModelledPosition, priceReturn: number): number {
  if (p.option === null) return p.marketValue * priceReturn;
  const { spot, baseValue, units } = p.option;
  return (optionValue(p.option, spot * (1 + priceReturn)) - baseValue) * units;
}

/** Black–Scholes per-share value, extended to a worthless underlying (the −100% floor). */
function optionValue(terms: StressOptionTerms, spot: number): number {
  if (spot > 0) return blackScholes({ ...terms, spot }).price;
  if (terms.kind === 'CALL') return 0;
  // At S = 0 a put is certain to pay K at expiry: worth the discounted strike today.
  return terms.strike * Math.exp(-terms.rate * Math.max(terms.years, 0));
}

function requireFinite(position: StressPosition, field: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new RangeError(`position ${position.positionId}: ${field} must be finite, got ${value}`);
  }
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
