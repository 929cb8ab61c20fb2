import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';

/** The P&L part of a snapshot (phase 4); analytics columns are written by later phases. */
export interface SnapshotPnlRow {
  snapshotDate: string;
  netAssetValue: number;
  cashValue: number;
  longValue: number;
  shortValue: number;
  grossExposure: number;
  netExposure: number;
  dailyPnl: number;
  dailyReturn: number;
  cumulativePnl: number;
  dailyRealizedPnl: number;
  dailyCapitalFlow: number;
  numPositions: number;
  numLongPositions: number;
  numShortPositions: number;
  numOptionPositions: number;
  numPrivatePositions: number;
  portfolioDelta: number | null;
  portfolioGamma: number | null;
  portfolioTheta: number | null;
  portfolioVega: number | null;
  dataIssues: unknown[];
  isComplete: boolean;
}

export interface SnapshotAnalytics {
  realizedVolatility21d?: number | null;
  realizedVolatility63d?: number | null;
  expectedVolatility21d?: number | null;
  volatilityTrend?: string | null;
  volatilityPercentile?: number | null;
  betaCalculated90d?: number | null;
  betaProvider1y?: number | null;
  hhi?: number | null;
  effectiveNumPositions?: number | null;
  top3Concentration?: number | null;
  top10Concentration?: number | null;
  sectorExposure?: unknown;
  /** Set once every phase for the day has run. */
  isComplete?: boolean;
}

const UPSERT_CHUNK = 5_000;

/** All SQL on `portfolio_snapshots`. One row per (portfolio, date), whatever is re-run. */
export class SnapshotRepository {
  constructor(private readonly db: Db) {}

  async upsertPnl(portfolioId: string, rows: readonly SnapshotPnlRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += UPSERT_CHUNK) {
      const chunk = rows.slice(start, start + UPSERT_CHUNK);
      const col = <K extends keyof SnapshotPnlRow>(k: K) => sql.param(chunk.map((r) => r[k]));
      await this.db.execute(sql`
        INSERT INTO portfolio_snapshots (portfolio_id, snapshot_date, net_asset_value, cash_value,
          long_value, short_value, gross_exposure, net_exposure, daily_pnl, daily_return,
          cumulative_pnl, daily_realized_pnl, daily_capital_flow, num_positions, num_long_positions,
          num_short_positions, num_option_positions, num_private_positions, portfolio_delta,
          portfolio_gamma, portfolio_theta, portfolio_vega, data_issues, is_complete)
        SELECT ${portfolioId}::uuid, d, nav, cash, lv, sv, gross, net, pnl, ret, cum, rpnl, flow, np, nl,
          ns, nopt, npriv, delta, gamma, theta, vega, issues::jsonb, complete
        FROM unnest(${col('snapshotDate')}::date[], ${col('netAssetValue')}::float8[],
          ${col('cashValue')}::float8[], ${col('longValue')}::float8[], ${col('shortValue')}::float8[],
          ${col('grossExposure')}::float8[], ${col('netExposure')}::float8[], ${col('dailyPnl')}::float8[],
          ${col('dailyReturn')}::float8[], ${col('cumulativePnl')}::float8[],
          ${col('dailyRealizedPnl')}::float8[], ${col('dailyCapitalFlow')}::float8[],
          ${col('numPositions')}::int[], ${col('numLongPositions')}::int[], ${col('numShortPositions')}::int[],
          ${col('numOptionPositions')}::int[], ${col('numPrivatePositions')}::int[],
          ${col('portfolioDelta')}::float8[], ${col('portfolioGamma')}::float8[],
          ${col('portfolioTheta')}::float8[], ${col('portfolioVega')}::float8[],
          ${sql.param(chunk.map((r) => JSON.stringify(r.dataIssues)))}::text[], ${col('isComplete')}::boolean[])
          AS t(d, nav, cash, lv, sv, gross, net, pnl, ret, cum, rpnl, flow, np, nl, ns, nopt, npriv,
               delta, gamma, theta, vega, issues, complete)
        ON CONFLICT (portfolio_id, snapshot_date) DO UPDATE SET
          net_asset_value = EXCLUDED.net_asset_value, cash_value = EXCLUDED.cash_value,
          long_value = EXCLUDED.long_value, short_value = EXCLUDED.short_value,
          gross_exposure = EXCLUDED.gross_exposure, net_exposure = EXCLUDED.net_exposure,
          daily_pnl = EXCLUDED.daily_pnl, daily_return = EXCLUDED.daily_return,
          cumulative_pnl = EXCLUDED.cumulative_pnl, daily_realized_pnl = EXCLUDED.daily_realized_pnl,
          daily_capital_flow = EXCLUDED.daily_capital_flow, num_positions = EXCLUDED.num_positions,
          num_long_positions = EXCLUDED.num_long_positions,
          num_short_positions = EXCLUDED.num_short_positions,
          num_option_positions = EXCLUDED.num_option_positions,
          num_private_positions = EXCLUDED.num_private_positions,
          portfolio_delta = EXCLUDED.portfolio_delta, portfolio_gamma = EXCLUDED.portfolio_gamma,
          portfolio_theta = EXCLUDED.portfolio_theta, portfolio_vega = EXCLUDED.portfolio_vega,
          data_issues = EXCLUDED.data_issues, is_complete = EXCLUDED.is_complete, updated_at = now()`);
    }
  }

  async updateAnalytics(portfolioId: string, date: string, a: SnapshotAnalytics): Promise<void> {
    const v = (x: unknown) => (x === undefined ? null : x);
    await this.db.execute(sql`UPDATE portfolio_snapshots SET
        realized_volatility_21d = coalesce(${v(a.realizedVolatility21d)}::float8, realized_volatility_21d),
        realized_volatility_63d = coalesce(${v(a.realizedVolatility63d)}::float8, realized_volatility_63d),
        expected_volatility_21d = coalesce(${v(a.expectedVolatility21d)}::float8, expected_volatility_21d),
        volatility_trend = coalesce(${v(a.volatilityTrend)}::text, volatility_trend),
        volatility_percentile = coalesce(${v(a.volatilityPercentile)}::float8, volatility_percentile),
        beta_calculated_90d = coalesce(${v(a.betaCalculated90d)}::float8, beta_calculated_90d),
        beta_provider_1y = coalesce(${v(a.betaProvider1y)}::float8, beta_provider_1y),
        hhi = coalesce(${v(a.hhi)}::float8, hhi),
        effective_num_positions = coalesce(${v(a.effectiveNumPositions)}::float8, effective_num_positions),
        top_3_concentration = coalesce(${v(a.top3Concentration)}::float8, top_3_concentration),
        top_10_concentration = coalesce(${v(a.top10Concentration)}::float8, top_10_concentration),
        sector_exposure = coalesce(${a.sectorExposure === undefined ? null : JSON.stringify(a.sectorExposure)}::jsonb, sector_exposure),
        is_complete = coalesce(${a.isComplete ?? null}::boolean, is_complete),
        updated_at = now()
      WHERE portfolio_id = ${portfolioId} AND snapshot_date = ${date}`);
  }

  /** Latest snapshot date (complete or not) of each portfolio. */
  async latestDates(
    portfolioIds: readonly string[],
  ): Promise<Map<string, { date: string; isComplete: boolean }>> {
    const rows = await queryRows<{ portfolio_id: string; date: string; is_complete: boolean }>(
      this.db,
      sql`SELECT DISTINCT ON (portfolio_id) portfolio_id, snapshot_date AS date, is_complete
          FROM portfolio_snapshots WHERE portfolio_id = ANY(${sql.param([...portfolioIds])}::uuid[])
          ORDER BY portfolio_id, snapshot_date DESC`,
    );
    return new Map(rows.map((r) => [r.portfolio_id, { date: r.date, isComplete: r.is_complete }]));
  }

  /** Dates in [from, to] whose snapshot is stored and complete. */
  async completeDates(portfolioId: string, from: string, to: string): Promise<Set<string>> {
    const rows = await queryRows<{ d: string }>(
      this.db,
      sql`SELECT snapshot_date AS d FROM portfolio_snapshots WHERE portfolio_id = ${portfolioId}
          AND snapshot_date BETWEEN ${from} AND ${to} AND is_complete`,
    );
    return new Set(rows.map((r) => r.d));
  }

  /** Portfolios (live) without a complete snapshot for `date` — the refresh's work list. */
  async portfoliosMissingCompleteSnapshot(date: string): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      sql`SELECT p.id FROM portfolios p
          WHERE p.deleted_at IS NULL AND NOT EXISTS (
            SELECT 1 FROM portfolio_snapshots s
            WHERE s.portfolio_id = p.id AND s.snapshot_date = ${date} AND s.is_complete)
          ORDER BY p.created_at, p.id`,
    );
    return rows.map((r) => r.id);
  }

  async history(
    portfolioId: string,
    from: string,
    to: string,
  ): Promise<(SnapshotPnlRow & { portfolioId: string })[]> {
    return queryRows(
      this.db,
      sql`SELECT portfolio_id AS "portfolioId", snapshot_date AS "snapshotDate",
            net_asset_value::float8 AS "netAssetValue", cash_value::float8 AS "cashValue",
            long_value::float8 AS "longValue", short_value::float8 AS "shortValue",
            gross_exposure::float8 AS "grossExposure", net_exposure::float8 AS "netExposure",
            daily_pnl::float8 AS "dailyPnl", daily_return AS "dailyReturn",
            cumulative_pnl::float8 AS "cumulativePnl", daily_realized_pnl::float8 AS "dailyRealizedPnl",
            daily_capital_flow::float8 AS "dailyCapitalFlow", num_positions AS "numPositions",
            num_long_positions AS "numLongPositions", num_short_positions AS "numShortPositions",
            num_option_positions AS "numOptionPositions", num_private_positions AS "numPrivatePositions",
            portfolio_delta AS "portfolioDelta", portfolio_gamma AS "portfolioGamma",
            portfolio_theta AS "portfolioTheta", portfolio_vega AS "portfolioVega",
            data_issues AS "dataIssues", is_complete AS "isComplete"
          FROM portfolio_snapshots WHERE portfolio_id = ${portfolioId}
            AND snapshot_date BETWEEN ${from} AND ${to} ORDER BY snapshot_date`,
    );
  }

  /** The analytics columns of one snapshot. */
  async analytics(
    portfolioId: string,
    date: string,
  ): Promise<(SnapshotAnalytics & { isComplete: boolean }) | null> {
    const rows = await queryRows<SnapshotAnalytics & { isComplete: boolean }>(
      this.db,
      sql`SELECT realized_volatility_21d AS "realizedVolatility21d", realized_volatility_63d AS "realizedVolatility63d",
            expected_volatility_21d AS "expectedVolatility21d", volatility_trend AS "volatilityTrend",
            volatility_percentile AS "volatilityPercentile", beta_calculated_90d AS "betaCalculated90d",
            beta_provider_1y AS "betaProvider1y", hhi, effective_num_positions AS "effectiveNumPositions",
            top_3_concentration AS "top3Concentration", top_10_concentration AS "top10Concentration",
            sector_exposure AS "sectorExposure", is_complete AS "isComplete"
          FROM portfolio_snapshots WHERE portfolio_id = ${portfolioId} AND snapshot_date = ${date}`,
    );
    return rows[0] ?? null;
  }
}
