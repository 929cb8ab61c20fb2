import type { IsoDate } from '../dates.ts';
import type { ValuedPosition } from '../concentration/net-by-symbol.ts';

export interface CorrelationMatrixInput {
  /** The price grid's dates, ascending; every series in `closes` is index-aligned to it. */
  dates: readonly IsoDate[];
  /** Adjusted closes per symbol; NaN where the symbol has no close that day. */
  closes: ReadonlyMap<string, Float64Array>;
  /** Lots may repeat a symbol; they are netted first. */
  positions: readonly ValuedPosition[];
  /** Portfolio equity, > 0: the base of the minimum-weight test. */
  nav: number;
  /** The window ends on the last grid date on or before this one. */
  asOf: IsoDate;
  /** Trading-day log returns in the window (SPEC §7: 90). */
  lookbackDays?: number;
  /** Common returns a pair needs for a correlation (SPEC §7: 20). */
  minOverlap?: number;
  /** Minimum |net value| in dollars for a position to be included. */
  minValue?: number;
  /** Minimum |net value| / NAV for a position to be included. */
  minWeight?: number;
}

export type ExclusionReason = 'below_threshold' | 'insufficient_data' | 'no_prices';

export interface ExcludedPosition {
  symbol: string;
  marketValue: number;
  reason: ExclusionReason;
}

export interface IncludedPosition {
  symbol: string;
  marketValue: number;
  /** marketValue / Σ|marketValue| over the included positions: signed, |weights| sum to 1. */
  weight: number;
  /** Valid log returns the symbol has in the window. */
  returns: number;
}

/** Why a pair has no correlation. */
export type PairGap = 'insufficient_overlap' | 'zero_variance';

export interface CorrelationPair {
  symbolA: string;
  symbolB: string;
  /** Pearson r on the pair's common returns; null when the pair has a gap. */
  correlation: number | null;
  /** Returns both symbols have in the window (the pair's sample size). */
  dataPoints: number;
  gap: PairGap | null;
}

export type DataQuality = 'good' | 'limited' | 'insufficient';

export interface CorrelationMatrixResult {
  lookbackDays: number;
  minOverlap: number;
  /** Date of the first and last return in the window (null when the grid has none). */
  windowStart: IsoDate | null;
  windowEnd: IsoDate | null;
  /** Included symbols, largest |value| first; the order of `matrix` rows and columns. */
  symbols: string[];
  /** Symmetric; 1 on the diagonal; null where the pair has a gap. */
  matrix: (number | null)[][];
  /** Symmetric; the diagonal holds each symbol's own return count. */
  dataPoints: number[][];
  /** Every pair i < j in `symbols` order, for the pairwise table. */
  pairs: CorrelationPair[];
  pairCounts: { total: number; valid: number; insufficientOverlap: number; zeroVariance: number };
  /** Mean |r| over valid off-diagonal pairs; null only when there is no valid pair. */
  overallCorrelation: number | null;
  /** 1 / (wᵀ C w); null when there is no position or the quadratic form is not > 0. */
  effectivePositions: number | null;
  dataQuality: DataQuality;
  included: IncludedPosition[];
  excluded: ExcludedPosition[];
}
