import { blackScholes, type OptionKind } from '../options/black-scholes.ts';
import { conditionalFactorMoves } from './conditional-shocks.ts';
import type { StressFactorModel, UnavailableReason } from './factor-model.ts';
import {
  DEFAULT_TLT_DURATION,
  etfShocks,
  STRESS_SCENARIOS,
  type StressFactor,
  type StressScenario,
} from './scenarios.ts';

/**
 * Applies a scenario to a portfolio (SPEC §6). Each position's price moves by
 * r = Σ_f beta_f · move_f (its own betas, or an option's underlying's), floored at −100% since a
 * price cannot go below zero. Stocks and ETFs lose marketValue·r (negative for shorts, so shorts
 * gain in a fall); options are revalued by Black–Scholes at the shocked underlying. Totals are
 * plain sums of position P&L: a short book can lose more than NAV, and that is reported.
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

export interface StressFactorImpact {
  factor: StressFactor;
  etf: string;
  /** True when the scenario shocks this factor itself. */
  shocked: boolean;
  /** ETF returns (Rates already converted to a TLT return). */
  move_direct: number;
  move_correlated: number;
  /** Linear attribution Σ_i exposure_i · beta_if · move_f (options delta-adjusted). */
  pnl_direct: number;
  pnl_correlated: number;
}

export interface StressPositionImpact {
  positionId: string;
  symbol: string;
  /** The symbol whose betas were used: the position's own, or an option's underlying. */
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
  factorImpacts: StressFactorImpact[];
  positionImpacts: StressPositionImpact[];
  excluded: StressExclusion[];
  /**
   * Total P&L minus the sum of linear factor impacts: option convexity and the −100% floor.
   * Zero for a book of unfloored stocks.
   */
  attributionResidual: { direct: number; correlated: number };
}

export interface StressTestInput {
  positions: readonly StressPosition[];
  model: StressFactorModel;
  scenario: StressScenario;
  nav: number;
  /** TLT modified duration for Rates shocks; default 17.5. */
  tltDuration?: number;
}

export function runStressTest(input: StressTestInput): StressTestResult {
  const prepared = preparePositions(input.positions, input.model);
  return evaluate(prepared, input.model, input.scenario, input.nav, input.tltDuration);
}

/** Every scenario (default: the 22 of SPEC §6) against one portfolio and one model. */
export function runAllScenarios(
  input: Omit<StressTestInput, 'scenario'> & { scenarios?: readonly StressScenario[] },
): StressTestResult[] {
  const prepared = preparePositions(input.positions, input.model);
  return (input.scenarios ?? STRESS_SCENARIOS).map((scenario) =>
    evaluate(prepared, input.model, scenario, input.nav, input.tltDuration),
  );
}

interface PreparedOption {
  terms: StressOptionTerms;
  spot: number;
  /** Unshocked model value per share. */
  baseValue: number;
  units: number;
}

interface PreparedPosition {
  position: StressPosition;
  betaSymbol: string;
  betas: Float64Array;
  /** Dollar exposure to the beta symbol's price: market value, or delta-adjusted for options. */
  exposure: number;
  option: PreparedOption | null;
}

interface Prepared {
  positions: PreparedPosition[];
  excluded: StressExclusion[];
}

const EXCLUSION_FOR: Record<UnavailableReason, StressExclusionReason> = {
  no_prices: 'no_factor_data',
  insufficient_history: 'insufficient_history',
  non_finite: 'non_finite_betas',
};

// Work that does not depend on the scenario is done once per portfolio, not 22 times.
function preparePositions(
  positions: readonly StressPosition[],
  model: StressFactorModel,
): Prepared {
  const prepared: PreparedPosition[] = [];
  const excluded: StressExclusion[] = [];
  for (const position of positions) {
    const { positionId, symbol } = position;
    if (position.kind === 'private') {
      excluded.push({ positionId, symbol, reason: 'private_asset' });
      continue;
    }
    const betaSymbol =
      position.kind === 'option' ? (position.underlyingSymbol ?? '') : position.symbol;
    let option: PreparedOption | null = null;
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
      option = { terms, spot, baseValue: base.price, units };
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
    prepared.push({ position, betaSymbol, betas: fitted.betas, exposure, option });
  }
  return { positions: prepared, excluded };
}

function evaluate(
  prepared: Prepared,
  model: StressFactorModel,
  scenario: StressScenario,
  nav: number,
  tltDuration: number = DEFAULT_TLT_DURATION,
): StressTestResult {
  if (!Number.isFinite(nav)) throw new RangeError(`NAV must be finite, got ${nav}`);
  const k = model.factors.length;
  const shocks = etfShocks(scenario, tltDuration);
  const moves = conditionalFactorMoves(model.covariance, k, shocks);
  const shocked = new Set(shocks.map((s) => s.index));

  const factorPnlDirect = new Float64Array(k);
  const factorPnlCorrelated = new Float64Array(k);
  const positionImpacts: StressPositionImpact[] = [];
  let directPnl = 0;
  let correlatedPnl = 0;

  for (const p of prepared.positions) {
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
      positionId: p.position.positionId,
      symbol: p.position.symbol,
      betaSymbol: p.betaSymbol,
      return_direct: returnDirect,
      return_correlated: returnCorrelated,
      pnl_direct: pnlDirect,
      pnl_correlated: pnlCorrelated,
    });
  }

  const factorImpacts: StressFactorImpact[] = model.factors.map((factor, f) => ({
    factor,
    etf: model.etfs[f] as string,
    shocked: shocked.has(f),
    move_direct: moves.direct[f] as number,
    move_correlated: moves.correlated[f] as number,
    pnl_direct: factorPnlDirect[f] as number,
    pnl_correlated: factorPnlCorrelated[f] as number,
  }));

  return {
    scenarioId: scenario.id,
    nav,
    directPnl,
    correlatedPnl,
    correlationEffect: correlatedPnl - directPnl,
    percentageOfNav: nav > 0 ? (correlatedPnl / nav) * 100 : null,
    newPortfolioValue: nav + correlatedPnl,
    factorImpacts,
    positionImpacts,
    excluded: [...prepared.excluded],
    attributionResidual: {
      direct: directPnl - sum(factorPnlDirect),
      correlated: correlatedPnl - sum(factorPnlCorrelated),
    },
  };
}

function positionPnl(p: PreparedPosition, priceReturn: number): number {
  if (p.option === null) return p.position.marketValue * priceReturn;
  const { terms, spot, baseValue, units } = p.option;
  return (optionValue(terms, spot * (1 + priceReturn)) - baseValue) * units;
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
