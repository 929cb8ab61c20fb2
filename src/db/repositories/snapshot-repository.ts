import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import { jsonTextArray, moneyText } from './bulk-params.ts';

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

/** A snapshot row as the refresh writes it: the P&L part, and for the target day its analytics. */
export interface RefreshedSnapshotRow extends SnapshotPnlRow {
  portfolioId: string;
  /** Null on history rows: their analytics columns are left as stored. */
  analytics: SnapshotAnalytics | null;
}

// Moved with its query to portfolio-repository.ts; the refresh still imports it from here.

const UPSERT_CHUNK = 5_000;

/** All SQL on `portfolio_snapshots`. One row per (portfolio, date), whatever is re-run. */
export class SnapshotRepository {
  constructor(private readonly db: Db) {}

  /**
   * Upserts snapshot rows of any number of portfolios. Analytics columns are set only where the
   * row carries them, and a null analytic keeps the stored value (as a partial re-run should).
   */
  async upsertRefreshed(rows: readonly RefreshedSnapshotRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += UPSERT_CHUNK) {
      const chunk = rows.slice(start, start + UPSERT_CHUNK);
      const col = <K extends keyof RefreshedSnapshotRow>(k: K) => sql.param(chunk.map((r) => r[k]));
      const money = <K extends keyof SnapshotPnlRow>(k: K) =>
        sql`${sql.param(chunk.map((r) => moneyText(r[k] as number)))}::numeric[]`;
      const an = <K extends keyof SnapshotAnalytics>(k: K) =>
        sql.param(chunk.map((r) => r.analytics?.[k] ?? null));
      await this.db.execute(sql`
        INSERT INTO portfolio_snapshots (portfolio_id, snapshot_date, net_asset_value, cash_value,
          long_value, short_value, gross_exposure, net_exposure, daily_pnl, daily_return,
          cumulative_pnl, daily_realized_pnl, daily_capital_flow, num_positions, num_long_positions,
          num_short_positions, num_option_positions, num_private_positions, portfolio_delta,
          portfolio_gamma, portfolio_theta, portfolio_vega, data_issues, is_complete,
          realized_volatility_21d, realized_volatility_63d, expected_volatility_21d, volatility_trend,
          volatility_percentile, beta_calculated_90d, beta_provider_1y, hhi, effective_num_positions,
          top_3_concentration, top_10_concentration, sector_exposure)
        SELECT pid, d, nav, cash, lv, sv, gross, net, pnl, ret, cum, rpnl, flow, np, nl,
          ns, nopt, npriv, delta, gamma, theta, vega, issues::jsonb, complete,
          rv21, rv63, ev21, vtrend, vpct, b90, b1y, hhi, eff, top3, top10, sector::jsonb
        FROM unnest(${col('portfolioId')}::uuid[], ${col('snapshotDate')}::date[],
          ${money('netAssetValue')}, ${money('cashValue')}, ${money('longValue')},
          ${money('shortValue')}, ${money('grossExposure')}, ${money('netExposure')},
          ${money('dailyPnl')}, ${col('dailyReturn')}::float8[], ${money('cumulativePnl')},
          ${money('dailyRealizedPnl')}, ${money('dailyCapitalFlow')},
          ${col('numPositions')}::int[], ${col('numLongPositions')}::int[], ${col('numShortPositions')}::int[],
          ${col('numOptionPositions')}::int[], ${col('numPrivatePositions')}::int[],
          ${col('portfolioDelta')}::float8[], ${col('portfolioGamma')}::float8[],
          ${col('portfolioTheta')}::float8[], ${col('portfolioVega')}::float8[],
          ${jsonTextArray(chunk.map((r) => r.dataIssues))}, ${col('isComplete')}::boolean[],
          ${an('realizedVolatility21d')}::float8[], ${an('realizedVolatility63d')}::float8[],
          ${an('expectedVolatility21d')}::float8[], ${an('volatilityTrend')}::text[],
          ${an('volatilityPercentile')}::float8[], ${an('betaCalculated90d')}::float8[],
          ${an('betaProvider1y')}::float8[], ${an('hhi')}::float8[], ${an('effectiveNumPositions')}::float8[],
          ${an('top3Concentration')}::float8[], ${an('top10Concentration')}::float8[],
          ${jsonTextArray(chunk.map((r) => r.analytics?.sectorExposure ?? null))})
          AS t(pid, d, nav, cash, lv, sv, gross, net, pnl, ret, cum, rpnl, flow, np, nl, ns, nopt, npriv,
               delta, gamma, theta, vega, issues, complete, rv21, rv63, ev21, vtrend, vpct, b90, b1y,
               hhi, eff, top3, top10, sector)
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
          data_issues = EXCLUDED.data_issues, is_complete = EXCLUDED.is_complete,
          realized_volatility_21d = coalesce(EXCLUDED.realized_volatility_21d, portfolio_snapshots.realized_volatility_21d),
          realized_volatility_63d = coalesce(EXCLUDED.realized_volatility_63d, portfolio_snapshots.realized_volatility_63d),
          expected_volatility_21d = coalesce(EXCLUDED.expected_volatility_21d, portfolio_snapshots.expected_volatility_21d),
          volatility_trend = coalesce(EXCLUDED.volatility_trend, portfolio_snapshots.volatility_trend),
          volatility_percentile = coalesce(EXCLUDED.volatility_percentile, portfolio_snapshots.volatility_percentile),
          beta_calculated_90d = coalesce(EXCLUDED.beta_calculated_90d, portfolio_snapshots.beta_calculated_90d),
          beta_provider_1y = coalesce(EXCLUDED.beta_provider_1y, portfolio_snapshots.beta_provider_1y),
          hhi = coalesce(EXCLUDED.hhi, portfolio_snapshots.hhi),
          effective_num_positions = coalesce(EXCLUDED.effective_num_positions, portfolio_snapshots.effective_num_positions),
          top_3_concentration = coalesce(EXCLUDED.top_3_concentration, portfolio_snapshots.top_3_concentration),
          top_10_concentration = coalesce(EXCLUDED.top_10_concentration, portfolio_snapshots.top_10_concentration),
          sector_exposure = coalesce(EXCLUDED.sector_exposure, portfolio_snapshots.sector_exposure),
          updated_at = now()`);
    }
  }

  /** Per portfolio, the dates in [its `from`, to] whose snapshot is stored and complete. */
  async completeDatesOf(
    ranges: readonly { portfolioId: string; from: string }[],
    to: string,
  ): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>(ranges.map((r) => [r.portfolioId, new Set()]));
    if (ranges.length === 0) return out;
    const fromOf = new Map(ranges.map((r) => [r.portfolioId, r.from]));
    const earliest = ranges.reduce((m, r) => (r.from < m ? r.from : m), to);
    // `portfolio_id = ANY` keeps the planner on the (portfolio_id, snapshot_date) key; joined
    // to per-portfolio bounds it chose the date index and read every portfolio's rows.
    const rows = await queryRows<{ portfolioId: string; d: string }>(
      this.db,
      sql`SELECT portfolio_id AS "portfolioId", snapshot_date AS d FROM portfolio_snapshots
          WHERE portfolio_id = ANY(${sql.param(ranges.map((r) => r.portfolioId))}::uuid[])
            AND snapshot_date BETWEEN ${earliest}::date AND ${to}::date AND is_complete`,
    );
    for (const r of rows) if (r.d >= fromOf.get(r.portfolioId)!) out.get(r.portfolioId)!.add(r.d);
    return out;
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

  /**
   * Marks a portfolio's stored days from `from` on (every day when null) incomplete, so the next
   * calculation rewrites them: a change to the book restated their P&L.
   */
  async markIncompleteFrom(portfolioId: string, from: string | null): Promise<number> {
    const rows = await queryRows<{ n: number }>(
      this.db,
      sql`WITH changed AS (
            UPDATE portfolio_snapshots SET is_complete = false, updated_at = now()
            WHERE portfolio_id = ${portfolioId}
              AND (${from}::date IS NULL OR snapshot_date >= ${from}::date)
            RETURNING 1)
          SELECT count(*)::int AS n FROM changed`,
    );
    return rows[0]?.n ?? 0;
  }

  /** Removes a portfolio's days before its history now starts (a deleted earliest lot). */
  async deleteBefore(portfolioId: string, date: string): Promise<void> {
    await this.db.execute(sql`DELETE FROM portfolio_snapshots
      WHERE portfolio_id = ${portfolioId} AND snapshot_date < ${date}::date`);
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
