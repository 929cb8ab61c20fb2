import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Shape of test/fixtures/stress-reference.json, written by test/reference/stress_reference.py. */
export interface ReferenceBetas {
  betas: number[];
  intercept: number;
  r_squared: number;
  observations: number;
  window_start: string;
  window_end: string;
}

export interface ReferenceModel {
  price_date: string;
  covariance: number[][];
  covariance_observations: number;
  covariance_window: [string, string];
  betas: Record<string, ReferenceBetas>;
  insufficient: Record<string, number>;
  scenarios: Record<
    string,
    {
      move_direct: number[];
      move_correlated: number[];
      long_only: Record<'SPY' | 'TLT', { pct_direct: number; pct_correlated: number }>;
    }
  >;
}

export interface StressReference {
  parameters: Record<string, number>;
  as_of: Record<string, ReferenceModel>;
  /** Per date: each stock's OLS beta to SPY and the correlated return of a unit market shock. */
  consistency: Record<
    string,
    {
      window: [string, string];
      stocks: Record<
        string,
        { ols_beta_spy: number; ridge_unit_market: number; ols_unit_market: number }
      >;
    }
  >;
  /** Realized moves over the historical windows from the bundled closes. */
  replays: Record<
    string,
    {
      window: [string, string];
      etf_moves: Record<string, number | null>;
      factor_moves: Record<string, number>;
    }
  >;
}

export function loadStressReference(): StressReference {
  const path = fileURLToPath(new URL('../../../fixtures/stress-reference.json', import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as StressReference;
}

/**
 * The variants the reference script fits besides real symbols, built identically: AAPL with every
 * 17th row of the last 400 missing (windows that skip rows), NVDA with only its last 80 closes
 * (a short window) and JPM with its last 50 (too short: 49 returns < 60).
 */
export function syntheticSeries(
  closes: ReadonlyMap<string, Float64Array>,
): Map<string, Float64Array> {
  const aapl = closes.get('AAPL') as Float64Array;
  const n = aapl.length;
  const gappy = aapl.slice();
  for (let i = n - 400; i < n; i++) if (i % 17 === 0) gappy[i] = NaN;
  const tail = (symbol: string, keep: number) => {
    const out = new Float64Array(n).fill(NaN);
    out.set((closes.get(symbol) as Float64Array).subarray(n - keep), n - keep);
    return out;
  };
  return new Map([
    ['AAPL_GAPPY', gappy],
    ['NVDA_SHORT', tail('NVDA', 80)],
    ['JPM_TOO_SHORT', tail('JPM', 50)],
  ]);
}

/** |actual − expected| / |expected|. */
export function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}
