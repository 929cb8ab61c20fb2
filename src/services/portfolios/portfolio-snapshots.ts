/** `GET /data/portfolio/{id}/snapshot` and `/history`: stored snapshots, read as they are. */
import type { Db } from '../../db/database.ts';
import {
  SnapshotRepository,
  type SnapshotAnalytics,
  type SnapshotPnlRow,
} from '../../db/repositories/snapshot-repository.ts';

const NO_CALCULATION = 'no_calculation_available';

function snapshotFields(pnl: SnapshotPnlRow | null, a: SnapshotAnalytics | null) {
  const v = <T>(x: T | undefined): T | null => (x === undefined ? null : x);
  return {
    snapshot_date: pnl?.snapshotDate ?? null,
    net_asset_value: pnl?.netAssetValue ?? null,
    daily_pnl: pnl?.dailyPnl ?? null,
    daily_return: pnl?.dailyReturn ?? null,
    cumulative_pnl: pnl?.cumulativePnl ?? null,
    beta_calculated_90d: v(a?.betaCalculated90d),
    beta_provider_1y: v(a?.betaProvider1y),
    cash_value: pnl?.cashValue ?? null,
    long_value: pnl?.longValue ?? null,
    short_value: pnl?.shortValue ?? null,
    gross_exposure: pnl?.grossExposure ?? null,
    net_exposure: pnl?.netExposure ?? null,
    daily_realized_pnl: pnl?.dailyRealizedPnl ?? null,
    daily_capital_flow: pnl?.dailyCapitalFlow ?? null,
    num_positions: pnl?.numPositions ?? null,
    num_long_positions: pnl?.numLongPositions ?? null,
    num_short_positions: pnl?.numShortPositions ?? null,
    num_option_positions: pnl?.numOptionPositions ?? null,
    num_private_positions: pnl?.numPrivatePositions ?? null,
    portfolio_delta: pnl?.portfolioDelta ?? null,
    portfolio_gamma: pnl?.portfolioGamma ?? null,
    portfolio_theta: pnl?.portfolioTheta ?? null,
    portfolio_vega: pnl?.portfolioVega ?? null,
    realized_volatility_21d: v(a?.realizedVolatility21d),
    realized_volatility_63d: v(a?.realizedVolatility63d),
    expected_volatility_21d: v(a?.expectedVolatility21d),
    volatility_trend: v(a?.volatilityTrend),
    volatility_percentile: v(a?.volatilityPercentile),
    hhi: v(a?.hhi),
    effective_num_positions: v(a?.effectiveNumPositions),
    top_3_concentration: v(a?.top3Concentration),
    top_10_concentration: v(a?.top10Concentration),
    sector_exposure: v(a?.sectorExposure),
    data_issues: pnl?.dataIssues ?? [],
    is_complete: pnl?.isComplete ?? false,
  };
}

/**
 * The most recent snapshot, complete or not (`is_complete` says which: a day whose analytics
 * have not all run yet, or whose prices were carried too long). Before any calculation the
 * analytics convention applies: `available: false`, a reason, and every field null.
 */
export async function latestSnapshot(db: Db, portfolioId: string) {
  const snapshots = new SnapshotRepository(db);
  const latest = (await snapshots.latestDates([portfolioId])).get(portfolioId);
  const [pnl] = latest ? await snapshots.history(portfolioId, latest.date, latest.date) : [];
  const analytics = latest ? await snapshots.analytics(portfolioId, latest.date) : null;
  return {
    portfolio_id: portfolioId,
    available: pnl !== undefined,
    reason: pnl === undefined ? NO_CALCULATION : null,
    ...snapshotFields(pnl ?? null, analytics),
  };
}

/** One entry per stored snapshot (= trading day) in [from, to], oldest first. */
export async function snapshotHistory(db: Db, portfolioId: string, from: string, to: string) {
  const rows = await new SnapshotRepository(db).history(portfolioId, from, to);
  return {
    portfolio_id: portfolioId,
    snapshots: rows.map((r) => ({
      date: r.snapshotDate,
      net_asset_value: r.netAssetValue,
      daily_pnl: r.dailyPnl,
      daily_return: r.dailyReturn,
      cumulative_pnl: r.cumulativePnl,
      gross_exposure: r.grossExposure,
      net_exposure: r.netExposure,
      is_complete: r.isComplete,
    })),
  };
}
