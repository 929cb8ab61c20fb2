import { daysBetween, type IsoDate } from '../dates.ts';
import {
  blackScholes,
  intrinsicValue,
  type OptionKind,
  type OptionValuation,
} from './black-scholes.ts';

/** SPEC §5 fallbacks when the inputs are unknown. */
export const DEFAULT_OPTION_VOLATILITY = 0.25;
export const DEFAULT_RISK_FREE_RATE = 0.04;

export interface OptionContractTerms {
  kind: OptionKind;
  strike: number;
  expiration: IsoDate;
}

export interface OptionModelInputs {
  date: IsoDate;
  underlyingPrice: number;
  /** The underlying's 63-day realized volatility, or null when unknown. */
  volatility: number | null;
  /** Annual risk-free rate (decimal), or null when unknown. */
  rate: number | null;
}

export interface ModelledOptionValue extends OptionValuation {
  years: number;
  volatilityUsed: number;
  rateUsed: number;
  source: 'black_scholes' | 'intrinsic_at_expiry';
}

/**
 * Model value of one option share on a date, when the provider has no option close: intrinsic
 * at or after expiry, otherwise Black–Scholes with the underlying's realized volatility and the
 * 3-month rate (defaults when unknown). Time to expiry counts calendar days / 365.
 */
export function modelOptionValue(
  terms: OptionContractTerms,
  inputs: OptionModelInputs,
): ModelledOptionValue {
  const years = Math.max(daysBetween(inputs.date, terms.expiration), 0) / 365;
  const volatility =
    inputs.volatility !== null && inputs.volatility > 0
      ? inputs.volatility
      : DEFAULT_OPTION_VOLATILITY;
  const rate = inputs.rate ?? DEFAULT_RISK_FREE_RATE;
  if (years === 0) {
    const intrinsic = intrinsicValue(terms.kind, inputs.underlyingPrice, terms.strike);
    const itm = intrinsic > 0;
    return {
      price: intrinsic,
      intrinsic,
      delta: itm ? (terms.kind === 'CALL' ? 1 : -1) : 0,
      gamma: 0,
      theta: 0,
      vega: 0,
      years,
      volatilityUsed: volatility,
      rateUsed: rate,
      source: 'intrinsic_at_expiry',
    };
  }
  const value = blackScholes({
    kind: terms.kind,
    spot: inputs.underlyingPrice,
    strike: terms.strike,
    years,
    rate,
    volatility,
  });
  return { ...value, years, volatilityUsed: volatility, rateUsed: rate, source: 'black_scholes' };
}

/** Annualised (√252) sample standard deviation of the simple returns in `closes[from..to]`. */
export function realizedVolatilityFromCloses(
  closes: ArrayLike<number>,
  endIndex: number,
  window = 63,
): number | null {
  const returns: number[] = [];
  for (let i = endIndex; i > 0 && returns.length < window; i--) {
    const a = closes[i - 1]!;
    const b = closes[i]!;
    if (Number.isFinite(a) && Number.isFinite(b) && a > 0) returns.push(b / a - 1);
  }
  if (returns.length < Math.min(window, 20)) return null;
  const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
  const variance = returns.reduce((s, r) => s + (r - mean) ** 2, 0) / (returns.length - 1);
  return Math.sqrt(variance * 252);
}
