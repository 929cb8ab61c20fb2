import { computeConcentration } from '../../domain/concentration/index.ts';
import { computeCorrelationMatrix } from '../../domain/correlation/index.ts';
import { computeSectorExposure } from '../../domain/sector/index.ts';
import { computeVolatilityAnalytics } from '../../domain/volatility/index.ts';
import type { CorrelationCalculationInput } from '../../db/repositories/correlation-repository.ts';
import type { PositionRow } from '../../db/repositories/position-repository.ts';
import type { SnapshotAnalytics } from '../../db/repositories/snapshot-repository.ts';
import type { PnlPhaseResult } from './phase-4-pnl.ts';
import { CORRELATION_LOOKBACK_DAYS } from '../../domain/correlation/lookback.ts';

/** Sector and ETF flag of a symbol (company profiles, loaded once for many portfolios). */
export type SectorLookup = ReadonlyMap<string, { sector: string | null; isEtf: boolean }>;

export interface AnalyticsPhaseOutput {
  analytics: SnapshotAnalytics;
  /** The calculation with its full pair matrix; null when the NAV is not positive. */
  correlation: CorrelationCalculationInput | null;
}

type Holding = { p: PositionRow; v: PnlPhaseResult['latest']['positions'][number] };

/**
 * Correlations (with the full pair matrix), volatility from the portfolio's own daily returns,
 * concentration and sector exposure — SPEC §7 — for the target day. Nothing is written here.
 */
export function computeAnalyticsPhase(
  positions: readonly PositionRow[],
  pnl: PnlPhaseResult,
  date: string,
  profiles: SectorLookup,
): AnalyticsPhaseOutput {
  const values = new Map(pnl.latest.positions.map((v) => [v.positionId, v]));
  const held = positions
    .map((p) => ({ p, v: values.get(p.id) }))
    .filter((x): x is Holding => !!x.v && x.v.marketValue !== 0);
  const nav = pnl.latest.netAssetValue;
  const correlation = nav > 0 ? correlationOf(held, pnl, nav, date) : null;
  const vol = computeVolatilityAnalytics(Float64Array.from(pnl.history.map((d) => d.dailyReturn)));
  const concentration = computeConcentration(
    held.map(({ p, v }) => ({ symbol: p.symbol, marketValue: v.marketValue })),
  );
  const sector = computeSectorExposure({ nav, holdings: sectorHoldingsOf(held, pnl, profiles) });
  const analytics: SnapshotAnalytics = {
    realizedVolatility21d: vol.realizedVolatility21d,
    realizedVolatility63d: vol.realizedVolatility63d,
    expectedVolatility21d: vol.expectedVolatility21d,
    volatilityTrend: vol.volatilityTrend,
    volatilityPercentile: vol.volatilityPercentile,
    hhi: concentration.hhi,
    effectiveNumPositions: concentration.effectiveNumPositions,
    top3Concentration: concentration.top3Concentration,
    top10Concentration: concentration.top10Concentration,
    sectorExposure: {
      portfolio_weights: sector.portfolioWeights,
      benchmark_weights: sector.benchmarkWeights,
      over_underweight: sector.overUnderweightPp,
      largest_overweight: sector.largestOverweight,
      largest_underweight: sector.largestUnderweight,
      unclassified_value: sector.unclassifiedValue,
      top_positions: concentration.topPositions,
    },
  };
  return { analytics, correlation };
}

/** The correlation calculation as stored, between public holdings' own prices (NAV positive). */
function correlationOf(
  held: readonly Holding[],
  pnl: PnlPhaseResult,
  nav: number,
  date: string,
): CorrelationCalculationInput {
  // Options and private assets have no prices of their own to correlate.
  const corr = computeCorrelationMatrix({
    dates: pnl.sessions,
    closes: pnl.closes,
    positions: held
      .filter(({ p }) => p.investmentClass === 'PUBLIC')
      .map(({ p, v }) => ({ symbol: p.symbol, marketValue: v.marketValue })),
    nav,
    asOf: date,
    lookbackDays: CORRELATION_LOOKBACK_DAYS,
  });
  return {
    lookbackDays: corr.lookbackDays,
    minOverlap: corr.minOverlap,
    overallCorrelation: corr.overallCorrelation,
    effectivePositions: corr.effectivePositions,
    dataQuality: corr.dataQuality,
    positionsIncluded: corr.included.length,
    positionsExcluded: corr.excluded.length,
    positionDetails: {
      included: corr.included.map((i) => ({
        symbol: i.symbol,
        market_value: i.marketValue,
        weight: i.weight,
      })),
      excluded: corr.excluded.map((e) => ({
        symbol: e.symbol,
        market_value: e.marketValue,
        reason: e.reason,
      })),
    },
    pairs: corr.pairs
      .filter((x) => x.correlation !== null)
      .map((x) => ({
        symbol1: x.symbolA,
        symbol2: x.symbolB,
        correlation: x.correlation!,
        dataPoints: x.dataPoints,
      })),
  };
}

/** Holdings by sector: an option counts at its delta-adjusted exposure to its underlying. */
function sectorHoldingsOf(held: readonly Holding[], pnl: PnlPhaseResult, profiles: SectorLookup) {
  return held.map(({ p, v }) => {
    const symbol = p.investmentClass === 'OPTIONS' ? (p.underlyingSymbol ?? p.symbol) : p.symbol;
    const option = pnl.optionDeltas.get(p.id);
    const profile = profiles.get(symbol);
    return {
      symbol,
      marketValue: option
        ? option.delta * 100 * p.quantity * option.underlyingPrice
        : v.marketValue,
      sector: profile?.sector ?? null,
      isEtf: profile?.isEtf ?? false,
      isPrivate: p.investmentClass === 'PRIVATE',
    };
  });
}
