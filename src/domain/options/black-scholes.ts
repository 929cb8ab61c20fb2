import { normalCdf, normalPdf } from './normal.ts';

import type { OptionType } from '../positions/value-sets.ts';

/** A call or a put. */
export type OptionKind = OptionType;

export interface BlackScholesInput {
  kind: OptionKind;
  /** Underlying price. */
  spot: number;
  strike: number;
  /** Years to expiry (calendar days / 365). */
  years: number;
  /** Continuously compounded risk-free rate, decimal. */
  rate: number;
  /** Annualised volatility, decimal. */
  volatility: number;
}

/** Per-share value and Greeks; theta is per calendar day, vega per 1 volatility point. */
export interface OptionValuation {
  price: number;
  delta: number;
  gamma: number;
  theta: number;
  vega: number;
  intrinsic: number;
}

export function intrinsicValue(kind: OptionKind, spot: number, strike: number): number {
  return kind === 'CALL' ? Math.max(spot - strike, 0) : Math.max(strike - spot, 0);
}

/**
 * Black–Scholes–Merton without dividends (SPEC §5). At or past expiry — or with zero volatility —
 * the option is worth its (discounted) intrinsic value and carries no time value.
 */
export function blackScholes(input: BlackScholesInput): OptionValuation {
  const { kind, spot, strike, years, rate, volatility } = input;
  if (!(spot > 0) || !(strike > 0) || !Number.isFinite(years) || !Number.isFinite(rate)) {
    throw new RangeError(`invalid Black-Scholes input: ${JSON.stringify(input)}`);
  }
  const intrinsic = intrinsicValue(kind, spot, strike);
  if (years <= 0 || !(volatility > 0)) {
    const discountedStrike = strike * Math.exp(-rate * Math.max(years, 0));
    const forwardIntrinsic =
      kind === 'CALL' ? Math.max(spot - discountedStrike, 0) : Math.max(discountedStrike - spot, 0);
    const inTheMoney = forwardIntrinsic > 0;
    return {
      price: years <= 0 ? intrinsic : forwardIntrinsic,
      delta: inTheMoney ? (kind === 'CALL' ? 1 : -1) : 0,
      gamma: 0,
      theta: 0,
      vega: 0,
      intrinsic,
    };
  }
  const sqrtT = Math.sqrt(years);
  const d1 =
    (Math.log(spot / strike) + (rate + 0.5 * volatility * volatility) * years) /
    (volatility * sqrtT);
  const d2 = d1 - volatility * sqrtT;
  const discount = Math.exp(-rate * years);
  const pdf = normalPdf(d1);
  const decay = (-spot * pdf * volatility) / (2 * sqrtT);
  if (kind === 'CALL') {
    return {
      price: spot * normalCdf(d1) - strike * discount * normalCdf(d2),
      delta: normalCdf(d1),
      gamma: pdf / (spot * volatility * sqrtT),
      theta: (decay - rate * strike * discount * normalCdf(d2)) / 365,
      vega: (spot * pdf * sqrtT) / 100,
      intrinsic,
    };
  }
  return {
    price: strike * discount * normalCdf(-d2) - spot * normalCdf(-d1),
    delta: normalCdf(d1) - 1,
    gamma: pdf / (spot * volatility * sqrtT),
    theta: (decay + rate * strike * discount * normalCdf(-d2)) / 365,
    vega: (spot * pdf * sqrtT) / 100,
    intrinsic,
  };
}
