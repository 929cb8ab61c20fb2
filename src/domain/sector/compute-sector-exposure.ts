import { classifySector, type SectorHolding, type UnclassifiedReason } from './classify-sector.ts';
import {
  GICS_SECTORS,
  SP500_SECTOR_WEIGHTS,
  type GicsSector,
  type SectorBenchmark,
} from './sp500-sector-weights.ts';

export interface SectorDifference {
  sector: GicsSector;
  /** Portfolio weight − benchmark weight, in percentage points. */
  differencePp: number;
}

export interface SectorExposure {
  /** Net (long − short) value per sector, dollars. */
  sectorValues: Record<GicsSector, number>;
  /** Net sector value / NAV, decimals; every sector present, 0 when not held. */
  portfolioWeights: Record<GicsSector, number>;
  benchmarkWeights: Record<GicsSector, number>;
  /** (portfolio − benchmark) × 100: percentage points, + overweight, − underweight. */
  overUnderweightPp: Record<GicsSector, number>;
  /** Most positive difference; null when no sector is overweight. */
  largestOverweight: SectorDifference | null;
  /** Most negative difference; null when no sector is underweight. */
  largestUnderweight: SectorDifference | null;
  /** Signed value with no GICS sector (non-sector ETFs, private assets, unknown sector). */
  unclassifiedValue: number;
  unclassified: { symbol: string; marketValue: number; reason: UnclassifiedReason }[];
  benchmark: { name: string; asOf: string; source: string };
}

/**
 * SPEC §7 sector exposure against the S&P 500. Weights are net sector value / NAV: a short
 * offsets a long in its sector, and NAV (not gross or gross long) is the base because it is what
 * the benchmark's weights are a share of — an investor's money. So a 60 % invested book shows
 * every sector underweight and a levered one can exceed the benchmark everywhere; that is its
 * true exposure. Weights therefore sum to (classified net exposure) / NAV, not to 1.
 */
export function computeSectorExposure(input: {
  holdings: readonly SectorHolding[];
  nav: number;
  benchmark?: SectorBenchmark;
}): SectorExposure {
  const { holdings, nav } = input;
  const benchmark = input.benchmark ?? SP500_SECTOR_WEIGHTS;
  if (!Number.isFinite(nav) || nav <= 0) {
    throw new RangeError(`NAV must be a finite number > 0, got ${nav}`);
  }
  const sectorValues = bySector(() => 0);
  const unclassified: SectorExposure['unclassified'] = [];
  let unclassifiedValue = 0;
  for (const h of holdings) {
    if (!Number.isFinite(h.marketValue)) {
      throw new RangeError(`Market value of ${h.symbol} is not finite: ${h.marketValue}`);
    }
    const cls = classifySector(h);
    if ('sector' in cls) {
      sectorValues[cls.sector] += h.marketValue;
    } else if ('benchmark' in cls) {
      for (const s of GICS_SECTORS) sectorValues[s] += h.marketValue * benchmark.weights[s];
    } else {
      unclassifiedValue += h.marketValue;
      unclassified.push({ symbol: h.symbol, marketValue: h.marketValue, reason: cls.unclassified });
    }
  }

  const portfolioWeights = bySector((s) => sectorValues[s] / nav);
  const benchmarkWeights = bySector((s) => benchmark.weights[s]);
  // Percentage points to 4 decimals: (0 − 0.028) × 100 is −2.8000000000000003 otherwise.
  const overUnderweightPp = bySector(
    (s) => Math.round((portfolioWeights[s] - benchmarkWeights[s]) * 1_000_000) / 10_000,
  );

  let largestOverweight: SectorDifference | null = null;
  let largestUnderweight: SectorDifference | null = null;
  for (const sector of GICS_SECTORS) {
    const differencePp = overUnderweightPp[sector];
    if (differencePp > 0 && differencePp > (largestOverweight?.differencePp ?? 0)) {
      largestOverweight = { sector, differencePp };
    }
    if (differencePp < 0 && differencePp < (largestUnderweight?.differencePp ?? 0)) {
      largestUnderweight = { sector, differencePp };
    }
  }

  return {
    sectorValues,
    portfolioWeights,
    benchmarkWeights,
    overUnderweightPp,
    largestOverweight,
    largestUnderweight,
    unclassifiedValue,
    unclassified,
    benchmark: { name: benchmark.name, asOf: benchmark.asOf, source: benchmark.source },
  };
}

function bySector(value: (sector: GicsSector) => number): Record<GicsSector, number> {
  return Object.fromEntries(GICS_SECTORS.map((s) => [s, value(s)])) as Record<GicsSector, number>;
}
