import { computeVolatilityAnalytics } from '../../domain/volatility/index.ts';
import type { Db } from '../../db/database.ts';
import {
  AnalyticsReadRepository,
  type ReturnRow,
} from '../../db/repositories/analytics-read-repository.ts';
import {
  aggregateEnvelope,
  INSUFFICIENT_DATA,
  NO_CALCULATION,
  portfolioEnvelope,
  latestSnapshotMembers,
} from './envelope.ts';
import type { AggregateVolatility, PortfolioVolatility, VolatilityData } from './schemas.ts';

const EMPTY: VolatilityData = {
  realized_volatility_21d: null,
  realized_volatility_63d: null,
  expected_volatility_21d: null,
  volatility_trend: null,
  volatility_percentile: null,
};

/** GET /analytics/portfolio/{id}/volatility: the figures of the latest analytics run. */
export async function portfolioVolatility(
  db: Db,
  portfolioId: string,
): Promise<PortfolioVolatility> {
  const snap = await new AnalyticsReadRepository(db).latestAnalyticsSnapshot(portfolioId);
  if (!snap) return { ...portfolioEnvelope(portfolioId, null, NO_CALCULATION), data: EMPTY };
  const data: VolatilityData = {
    realized_volatility_21d: snap.realizedVolatility21d,
    realized_volatility_63d: snap.realizedVolatility63d,
    expected_volatility_21d: snap.expectedVolatility21d,
    volatility_trend: snap.volatilityTrend,
    volatility_percentile: snap.volatilityPercentile,
  };
  // Fewer than 21 daily returns: even the shortest realized volatility could not be computed.
  const reason = data.realized_volatility_21d === null ? INSUFFICIENT_DATA : null;
  return { ...portfolioEnvelope(portfolioId, snap.snapshotDate, reason), data };
}

/**
 * The daily return of the combined book: Σ P&L_p(d) / Σ NAV_p(d−1) over the portfolios that
 * have a snapshot on d and on their previous session — the NAV-weighted mean of their returns,
 * which is the return of holding them all in one account. A portfolio's first snapshot has no
 * previous NAV and is left out of that day.
 */
export function combinedDailyReturns(rows: readonly ReturnRow[]): {
  dates: string[];
  returns: Float64Array;
} {
  const byDate = new Map<string, { pnl: number; base: number }>();
  let previous: ReturnRow | null = null;
  for (const r of rows) {
    if (previous && previous.portfolioId === r.portfolioId) {
      const day = byDate.get(r.date) ?? { pnl: 0, base: 0 };
      day.pnl += r.dailyPnl;
      day.base += previous.netAssetValue;
      byDate.set(r.date, day);
    }
    previous = r;
  }
  const dates = [...byDate.keys()].filter((d) => byDate.get(d)!.base > 0).sort();
  return {
    dates,
    returns: Float64Array.from(dates, (d) => byDate.get(d)!.pnl / byDate.get(d)!.base),
  };
}

/**
 * GET /analytics/aggregate/volatility: SPEC §7's volatility figures (realized 21/63-day, HAR
 * forecast, trend, percentile) of the combined book's daily returns up to the most recent
 * snapshot date among the user's portfolios.
 */
export async function aggregateVolatility(db: Db, userId: string): Promise<AggregateVolatility> {
  const { all, members } = await latestSnapshotMembers(db, userId);
  const envelope = aggregateEnvelope(all, members);
  if (!envelope.available) return { ...envelope, data: { ...EMPTY, observations: 0 } };
  const rows = await new AnalyticsReadRepository(db).returnHistory(
    members.map((m) => m.portfolio.id),
    envelope.calculation_date!,
  );
  const { returns } = combinedDailyReturns(rows);
  const vol = computeVolatilityAnalytics(returns);
  const data = {
    realized_volatility_21d: vol.realizedVolatility21d,
    realized_volatility_63d: vol.realizedVolatility63d,
    expected_volatility_21d: vol.expectedVolatility21d,
    volatility_trend: vol.volatilityTrend,
    volatility_percentile: vol.volatilityPercentile,
    observations: vol.observations,
  };
  const reason = data.realized_volatility_21d === null ? INSUFFICIENT_DATA : null;
  return { ...envelope, available: reason === null, reason, data };
}
