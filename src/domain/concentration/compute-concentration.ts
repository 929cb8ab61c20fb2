import { cents } from '../money.ts';
import { netBySymbol, type ValuedPosition } from './net-by-symbol.ts';

export interface TopPosition {
  symbol: string;
  /** Signed net market value. */
  marketValue: number;
  /** |marketValue| / gross exposure: a share, positive for shorts too. */
  weight: number;
}

export interface Concentration {
  /** Σ|value| over the netted holdings (the weights' denominator). */
  grossExposure: number;
  /** Holdings with a non-zero net value. */
  numPositions: number;
  /** Σ w² × 10,000: 10,000 for one holding, 10,000 / N for N equal ones. Null with no holdings. */
  hhi: number | null;
  /** 1 / Σ w²: the number of equal holdings with the same HHI. */
  effectiveNumPositions: number | null;
  /** Share of gross in the 3 and 10 largest holdings by |value| (all of it when fewer). */
  top3Concentration: number | null;
  top10Concentration: number | null;
  /** The largest holdings by |value|, descending. */
  topPositions: TopPosition[];
}

/**
 * SPEC §7 concentration. Weights are by gross exposure, w_i = |v_i| / Σ|v_j|, after netting lots
 * per symbol: a short is as much a concentrated bet as a long of the same size, and dividing by
 * gross (not NAV) keeps Σw = 1 so HHI stays in (0, 10,000] even for a levered or net-short book.
 * Holdings that net to exactly 0 carry no risk and are left out. The caller decides what value
 * stands for a position (market value; delta-adjusted value for options if preferred).
 */
export function computeConcentration(
  positions: readonly ValuedPosition[],
  topCount = 10,
): Concentration {
  const held = netBySymbol(positions)
    .filter((p) => p.marketValue !== 0)
    .sort(
      (a, b) => Math.abs(b.marketValue) - Math.abs(a.marketValue) || (a.symbol < b.symbol ? -1 : 1),
    );
  const gross = held.reduce((s, p) => s + Math.abs(p.marketValue), 0);
  if (held.length === 0) {
    return {
      grossExposure: 0,
      numPositions: 0,
      hhi: null,
      effectiveNumPositions: null,
      top3Concentration: null,
      top10Concentration: null,
      topPositions: [],
    };
  }
  const weights = held.map((p) => Math.abs(p.marketValue) / gross);
  const sumSquares = weights.reduce((s, w) => s + w * w, 0);
  // A share of gross cannot exceed 1; summing weights can land a hair above it (1.0000000000000002).
  const topShare = (k: number) =>
    Math.min(
      1,
      weights.slice(0, k).reduce((s, w) => s + w, 0),
    );
  return {
    grossExposure: gross,
    numPositions: held.length,
    hhi: sumSquares * 10_000,
    effectiveNumPositions: 1 / sumSquares,
    top3Concentration: topShare(3),
    top10Concentration: topShare(10),
    topPositions: held.slice(0, topCount).map((p, i) => ({
      symbol: p.symbol,
      marketValue: cents(p.marketValue),
      weight: weights[i] as number,
    })),
  };
}
