import { tradingSessionsBetween } from '../../../../src/domain/calendar/index.ts';
import { FACTOR_ETFS } from '../../../../src/domain/factors/factor-definitions.ts';

/** mulberry32 + Box–Muller: seeded normals, so every run sees the same prices. */
export function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Closes from a starting price and the simple returns of sessions 1 … n − 1. */
export function closesFromReturns(returns: ArrayLike<number>, start = 100): Float64Array {
  const closes = new Float64Array(returns.length + 1);
  closes[0] = start;
  for (let t = 1; t < closes.length; t++) closes[t] = closes[t - 1]! * (1 + returns[t - 1]!);
  return closes;
}

export interface SyntheticMarket {
  dates: string[];
  /** Per session, the "market" return every ETF loads on (index 0 unused). */
  market: Float64Array;
  closes: Map<string, Float64Array>;
  noise: () => number;
}

/**
 * The factor ETFs as one-factor random walks on real NYSE sessions: each ETF's return is
 * loading × market + its own noise, so no regressor is constant or perfectly collinear.
 */
export function syntheticMarket(from = '2024-01-02', to = '2025-06-30', seed = 7): SyntheticMarket {
  const dates = tradingSessionsBetween(from, to);
  const noise = gaussian(seed);
  const market = new Float64Array(dates.length);
  for (let t = 1; t < dates.length; t++) market[t] = 0.0004 + 0.01 * noise();
  const closes = new Map<string, Float64Array>();
  FACTOR_ETFS.forEach((etf, i) => {
    const loading = etf === 'TLT' ? -0.3 : 0.6 + 0.1 * i;
    closes.set(etf, stockLike(market, loading, 0.004, noise));
  });
  return { dates, market, closes, noise };
}

/** A series whose returns are beta × market + idiosyncratic noise of the given size. */
export function stockLike(
  market: Float64Array,
  beta: number,
  idiosyncratic: number,
  noise: () => number,
): Float64Array {
  const returns = new Float64Array(market.length - 1);
  for (let t = 1; t < market.length; t++) {
    returns[t - 1] = beta * market[t]! + idiosyncratic * noise();
  }
  return closesFromReturns(returns);
}
