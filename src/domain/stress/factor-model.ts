import type { IsoDate } from '../dates.ts';
import { sampleCovariance } from './sample-covariance.ts';
import { fitStandardisedRidgeBatch } from './standardised-ridge.ts';
import {
  factorValuesFromEtfValues,
  STRESS_FACTOR_ETFS,
  STRESS_FACTORS,
  type StressFactor,
} from './stress-factors.ts';

/**
 * The stress-test factor model as of one date (SPEC §6): every symbol's betas to the 8 factor
 * series (Market = SPY; each style = its ETF − SPY; Rates = TLT) from one standardised ridge
 * regression over the 252 returns ending at the date, and the sample covariance Σ of the same
 * series over the same returns, which turns a shock to some factors into the conditional moves
 * of the others.
 *
 * Returns are simple daily returns between consecutive rows of the aligned price grid; a return
 * exists on a row when that row and the one before both have a close, so a missing close costs
 * the two returns that would straddle it rather than silently producing a multi-day return.
 */

export interface StressModelParameters {
  /** Returns per window, ending at the as-of date. */
  windowReturns: number;
  /** Fewer joined returns than this: no betas, the symbol is `insufficient_history`. */
  minObservations: number;
  ridgeAlpha: number;
  /** Betas are clamped to ±this (SPEC §3.1 applies ±5 to every beta). */
  betaLimit: number;
}

export const DEFAULT_STRESS_MODEL_PARAMETERS: Readonly<StressModelParameters> = {
  windowReturns: 252,
  minObservations: 60,
  ridgeAlpha: 1.0,
  betaLimit: 5,
};

export interface StressModelInput {
  /** Ascending, unique dates of the price grid. */
  dates: readonly IsoDate[];
  /** Adjusted closes per symbol, index-aligned to `dates`; NaN where missing. */
  closes: ReadonlyMap<string, Float64Array>;
  /** Calculation date; the window ends at the last grid date on or before it. */
  asOf: IsoDate;
  /** Symbols to fit; default every symbol in `closes` (the factor ETFs included). */
  symbols?: readonly string[];
  parameters?: Partial<StressModelParameters>;
}

export interface SymbolStressBetas {
  symbol: string;
  /** Betas in STRESS_FACTORS order, raw-return units, clamped to ±betaLimit. */
  betas: Float64Array;
  intercept: number;
  rSquared: number;
  observations: number;
  /** Dates of the first and last return in the window; a stale series shows an early end. */
  windowStart: IsoDate;
  windowEnd: IsoDate;
  /** True when at least one beta hit the ±betaLimit clamp. */
  clamped: boolean;
}

export type UnavailableReason = 'no_prices' | 'insufficient_history' | 'non_finite';

export interface UnavailableSymbol {
  symbol: string;
  reason: UnavailableReason;
  observations: number;
}

export interface StressFactorModel {
  /** The requested calculation date. */
  asOf: IsoDate;
  /** The grid date the windows actually end at (≤ asOf). */
  priceDate: IsoDate;
  factors: readonly StressFactor[];
  /** ETF per factor, same order as `factors`. */
  etfs: readonly string[];
  /** k×k row-major sample covariance (ddof 1) of the daily factor series (k = factors.length). */
  covariance: Float64Array;
  covarianceObservations: number;
  covarianceWindow: { start: IsoDate; end: IsoDate };
  betas: ReadonlyMap<string, SymbolStressBetas>;
  unavailable: ReadonlyMap<string, UnavailableSymbol>;
  parameters: Readonly<StressModelParameters>;
}

/** Thrown when the factor ETFs themselves lack the data to build a model as of the date. */
export class StressModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StressModelError';
  }
}

export function buildStressFactorModel(input: StressModelInput): StressFactorModel {
  const parameters = { ...DEFAULT_STRESS_MODEL_PARAMETERS, ...input.parameters };
  validateParameters(parameters);
  const { dates, closes } = input;
  const end = lastIndexOnOrBefore(dates, input.asOf);
  if (end < 0) throw new StressModelError(`no prices on or before ${input.asOf}`);

  const etfs = STRESS_FACTORS.map((f) => STRESS_FACTOR_ETFS[f]);
  const etfCloses = etfs.map((etf) => {
    const series = closes.get(etf);
    if (series === undefined) throw new StressModelError(`no prices for factor ETF ${etf}`);
    if (series.length !== dates.length) throw new RangeError(`${etf}: closes not aligned`);
    return series;
  });

  // Rows (≤ end) on which every ETF has a return; only these can enter any regression.
  const etfRows: number[] = [];
  for (let t = 1; t <= end; t++) {
    if (etfCloses.every((series) => Number.isFinite(simpleReturn(series, t)))) etfRows.push(t);
  }
  const covarianceRows = etfRows.slice(-parameters.windowReturns);
  if (covarianceRows.length < parameters.minObservations) {
    throw new StressModelError(
      `only ${covarianceRows.length} joined factor-ETF returns on or before ${input.asOf}; ` +
        `${parameters.minObservations} needed`,
    );
  }
  const covariance = sampleCovariance(factorSeriesOn(etfCloses, covarianceRows));

  const k = STRESS_FACTORS.length;
  // Each factor's conditional move per unit of market move, Σ_jM / Σ_MM (1 for Market itself).
  const marketResponse = Float64Array.from(
    { length: k },
    (_, j) => (covariance[j * k] as number) / (covariance[0] as number),
  );
  const { betas, unavailable } = fitSymbols(
    input.symbols ?? [...closes.keys()],
    closes,
    dates,
    etfCloses,
    etfRows,
    parameters,
    marketResponse,
  );

  return {
    asOf: input.asOf,
    priceDate: dates[end] as IsoDate,
    factors: STRESS_FACTORS,
    etfs,
    covariance,
    covarianceObservations: covarianceRows.length,
    covarianceWindow: {
      start: dates[covarianceRows[0] as number] as IsoDate,
      end: dates[covarianceRows.at(-1) as number] as IsoDate,
    },
    betas,
    unavailable,
    parameters,
  };
}

/**
 * Each symbol's window is its last `windowReturns` rows among the ETF rows where it also has a
 * return. Symbols with the same window share one ridge fit (one Cholesky); with complete data
 * that is every symbol, so the common case is a single batch.
 */
function fitSymbols(
  symbols: readonly string[],
  closes: ReadonlyMap<string, Float64Array>,
  dates: readonly IsoDate[],
  etfCloses: readonly Float64Array[],
  etfRows: readonly number[],
  parameters: StressModelParameters,
  marketResponse: Float64Array,
): {
  betas: Map<string, SymbolStressBetas>;
  unavailable: Map<string, UnavailableSymbol>;
} {
  const betas = new Map<string, SymbolStressBetas>();
  const unavailable = new Map<string, UnavailableSymbol>();
  const groups = new Map<string, { rows: number[]; symbols: string[] }>();

  for (const symbol of new Set(symbols)) {
    const series = closes.get(symbol);
    if (series === undefined) {
      unavailable.set(symbol, { symbol, reason: 'no_prices', observations: 0 });
      continue;
    }
    if (series.length !== dates.length) throw new RangeError(`${symbol}: closes not aligned`);
    const rows: number[] = [];
    let skipped = false;
    for (let i = etfRows.length - 1; i >= 0 && rows.length < parameters.windowReturns; i--) {
      const t = etfRows[i] as number;
      if (Number.isFinite(simpleReturn(series, t))) rows.push(t);
      else skipped = true;
    }
    if (rows.length < parameters.minObservations) {
      unavailable.set(symbol, {
        symbol,
        reason: 'insufficient_history',
        observations: rows.length,
      });
      continue;
    }
    rows.reverse();
    // Not skipping any ETF row means the window is exactly the ETFs' last rows: the shared key.
    const key = skipped ? rows.join(',') : 'shared';
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { rows, symbols: [symbol] });
    else group.symbols.push(symbol);
  }

  const k = etfCloses.length;
  for (const { rows, symbols: members } of groups.values()) {
    const fit = fitStandardisedRidgeBatch(
      factorSeriesOn(etfCloses, rows),
      members.map((symbol) => returnsOn(closes.get(symbol) as Float64Array, rows)),
      parameters.ridgeAlpha,
    );
    members.forEach((symbol, s) => {
      const raw = fit.betas.subarray(s * k, (s + 1) * k);
      const intercept = fit.intercepts[s] as number;
      const rSquared = fit.rSquared[s] as number;
      if (!raw.every(Number.isFinite) || !Number.isFinite(intercept)) {
        // SPEC §3.1: a non-finite fit is an error to report, never a zero beta.
        unavailable.set(symbol, { symbol, reason: 'non_finite', observations: rows.length });
        return;
      }
      const clampedBetas = clampKeepingMarketResponse(raw, parameters.betaLimit, marketResponse);
      betas.set(symbol, {
        symbol,
        betas: clampedBetas,
        intercept,
        rSquared,
        observations: rows.length,
        windowStart: dates[rows[0] as number] as IsoDate,
        windowEnd: dates[rows.at(-1) as number] as IsoDate,
        clamped: clampedBetas.some((b, j) => b !== raw[j]),
      });
    });
  }
  return { betas, unavailable };
}

/**
 * Betas clamped to ±limit (SPEC §3.1) without changing what a market-only move does to the
 * symbol. Style series are spreads against SPY with small variances and strong collinearity
 * (VTV − SPY mirrors VUG − SPY), so a few stocks fit large offsetting style betas; clamping one
 * of them alone would change the stock's response to a market move, which SPEC §6 requires to
 * equal its OLS beta to SPY. The Market beta takes up what the clamp removed from that response,
 * Σ_j (raw_j − clamped_j) · Σ_jM / Σ_MM, and is itself clamped only if that pushes it past the
 * limit.
 */
function clampKeepingMarketResponse(
  raw: Float64Array,
  limit: number,
  marketResponse: Float64Array,
): Float64Array {
  const clamp = (b: number) => Math.min(limit, Math.max(-limit, b));
  const out = raw.map(clamp);
  let lost = 0;
  for (let j = 1; j < raw.length; j++) {
    lost += ((raw[j] as number) - (out[j] as number)) * (marketResponse[j] as number);
  }
  out[0] = clamp((raw[0] as number) + lost);
  return out;
}

/** close[t] / close[t−1] − 1, or NaN when either close is missing or not positive. */
function simpleReturn(series: Float64Array, t: number): number {
  const previous = series[t - 1] as number;
  const current = series[t] as number;
  return previous > 0 && current > 0 ? current / previous - 1 : NaN;
}

/** The 8 daily factor series on the given rows (style factors relative to SPY). */
function factorSeriesOn(
  etfCloses: readonly Float64Array[],
  rows: readonly number[],
): Float64Array[] {
  const etfReturns = etfCloses.map((series) => returnsOn(series, rows));
  const columns = STRESS_FACTORS.map(() => new Float64Array(rows.length));
  const day = new Float64Array(etfReturns.length);
  rows.forEach((_, t) => {
    etfReturns.forEach((r, f) => {
      day[f] = r[t] as number;
    });
    factorValuesFromEtfValues(day).forEach((value, f) => {
      (columns[f] as Float64Array)[t] = value;
    });
  });
  return columns;
}

function returnsOn(series: Float64Array, rows: readonly number[]): Float64Array {
  const out = new Float64Array(rows.length);
  rows.forEach((t, i) => {
    out[i] = simpleReturn(series, t);
  });
  return out;
}

/** Index of the last date ≤ `date` in ascending `dates`, or −1. */
function lastIndexOnOrBefore(dates: readonly IsoDate[], date: IsoDate): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((dates[mid] as IsoDate) <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function validateParameters(p: StressModelParameters): void {
  if (!Number.isInteger(p.windowReturns) || p.windowReturns < 2) {
    throw new RangeError(`windowReturns must be an integer >= 2, got ${p.windowReturns}`);
  }
  if (!Number.isInteger(p.minObservations) || p.minObservations < 2) {
    throw new RangeError(`minObservations must be an integer >= 2, got ${p.minObservations}`);
  }
  if (p.minObservations > p.windowReturns) {
    throw new RangeError('minObservations cannot exceed windowReturns');
  }
  if (!(p.betaLimit > 0)) throw new RangeError(`betaLimit must be > 0, got ${p.betaLimit}`);
}
