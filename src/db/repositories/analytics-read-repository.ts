import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';

/** A portfolio of the user that has not been deleted (the aggregate's universe). */
export interface LivePortfolio {
  id: string;
  name: string;
  accountName: string;
  equityBalance: number;
}

/** The snapshot columns the overview and the aggregate read. */
export interface SnapshotSummary {
  portfolioId: string;
  snapshotDate: string;
  netAssetValue: number;
  cashValue: number;
  longValue: number;
  shortValue: number;
  grossExposure: number;
  netExposure: number;
  dailyPnl: number;
  cumulativePnl: number;
  numPositions: number;
  numLongPositions: number;
  numShortPositions: number;
  numOptionPositions: number;
  numPrivatePositions: number;
  /** ISO-8601 UTC: when the row was last written. */
  updatedAt: string;
}

/** The analytics columns a refresh writes on its target day. */
export interface AnalyticsSnapshot {
  snapshotDate: string;
  netAssetValue: number;
  realizedVolatility21d: number | null;
  realizedVolatility63d: number | null;
  expectedVolatility21d: number | null;
  volatilityTrend: string | null;
  volatilityPercentile: number | null;
  hhi: number | null;
  effectiveNumPositions: number | null;
  top3Concentration: number | null;
  top10Concentration: number | null;
  sectorExposure: unknown;
}

export interface ReturnRow {
  portfolioId: string;
  date: string;
  netAssetValue: number;
  dailyPnl: number;
  dailyReturn: number;
}

export interface PositionFactorRow {
  positionId: string;
  symbol: string;
  factorName: string;
  beta: number;
}

export interface SymbolFactorStat {
  symbol: string;
  factorName: string;
  beta: number;
  rSquared: number | null;
  observations: number;
}

const SUMMARY_COLUMNS = sql`portfolio_id AS "portfolioId", snapshot_date AS "snapshotDate",
  net_asset_value::float8 AS "netAssetValue", cash_value::float8 AS "cashValue",
  long_value::float8 AS "longValue", short_value::float8 AS "shortValue",
  gross_exposure::float8 AS "grossExposure", net_exposure::float8 AS "netExposure",
  daily_pnl::float8 AS "dailyPnl", cumulative_pnl::float8 AS "cumulativePnl",
  num_positions AS "numPositions", num_long_positions AS "numLongPositions",
  num_short_positions AS "numShortPositions", num_option_positions AS "numOptionPositions",
  num_private_positions AS "numPrivatePositions",
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"`;

/**
 * Read-only SQL behind the analytics endpoints that the pipeline's repositories do not already
 * answer: latest rows per portfolio, P&L sums, paged position exposures, symbol beta statistics.
 */
export class AnalyticsReadRepository {
  constructor(private readonly db: Db) {}

  /** The user's portfolios that are not deleted, oldest first. */
  async livePortfolios(userId: string): Promise<LivePortfolio[]> {
    return queryRows(
      this.db,
      sql`SELECT id, name, account_name AS "accountName", equity_balance::float8 AS "equityBalance"
          FROM portfolios WHERE user_id = ${userId} AND deleted_at IS NULL
          ORDER BY created_at, id`,
    );
  }

  /** The latest snapshot of each portfolio (portfolios never calculated are absent). */
  async latestSnapshots(portfolioIds: readonly string[]): Promise<Map<string, SnapshotSummary>> {
    if (portfolioIds.length === 0) return new Map();
    const rows = await queryRows<SnapshotSummary>(
      this.db,
      sql`SELECT DISTINCT ON (portfolio_id) ${SUMMARY_COLUMNS} FROM portfolio_snapshots
          WHERE portfolio_id = ANY(${sql.param([...portfolioIds])}::uuid[])
          ORDER BY portfolio_id, snapshot_date DESC`,
    );
    return new Map(rows.map((r) => [r.portfolioId, r]));
  }

  /** The snapshot of one portfolio on one date, if stored. */
  async snapshotOn(portfolioId: string, date: string): Promise<SnapshotSummary | null> {
    const rows = await queryRows<SnapshotSummary>(
      this.db,
      sql`SELECT ${SUMMARY_COLUMNS} FROM portfolio_snapshots
          WHERE portfolio_id = ${portfolioId} AND snapshot_date = ${date}`,
    );
    return rows[0] ?? null;
  }

  /**
   * Realized P&L up to `asOf` and the daily P&L summed from `yearStart` and from `monthStart`
   * (both inclusive) to `asOf`.
   */
  async pnlSums(
    portfolioId: string,
    asOf: string,
    yearStart: string,
    monthStart: string,
  ): Promise<{ realized: number; ytd: number; mtd: number }> {
    const [row] = await queryRows<{ realized: number; ytd: number; mtd: number }>(
      this.db,
      sql`SELECT coalesce(sum(daily_realized_pnl), 0)::float8 AS realized,
            coalesce(sum(daily_pnl) FILTER (WHERE snapshot_date >= ${yearStart}), 0)::float8 AS ytd,
            coalesce(sum(daily_pnl) FILTER (WHERE snapshot_date >= ${monthStart}), 0)::float8 AS mtd
          FROM portfolio_snapshots WHERE portfolio_id = ${portfolioId} AND snapshot_date <= ${asOf}`,
    );
    return row ?? { realized: 0, ytd: 0, mtd: 0 };
  }

  /**
   * The latest snapshot the analytics phase wrote to. Back-cast history rows carry P&L only, and
   * a refresh that stopped before its analytics leaves its day without them, so "latest with any
   * analytics column" is the latest day volatility, concentration and sectors were computed for.
   */
  async latestAnalyticsSnapshot(portfolioId: string): Promise<AnalyticsSnapshot | null> {
    const rows = await queryRows<AnalyticsSnapshot>(
      this.db,
      sql`SELECT snapshot_date AS "snapshotDate", net_asset_value::float8 AS "netAssetValue",
            realized_volatility_21d AS "realizedVolatility21d",
            realized_volatility_63d AS "realizedVolatility63d",
            expected_volatility_21d AS "expectedVolatility21d", volatility_trend AS "volatilityTrend",
            volatility_percentile AS "volatilityPercentile", hhi,
            effective_num_positions AS "effectiveNumPositions",
            top_3_concentration AS "top3Concentration", top_10_concentration AS "top10Concentration",
            sector_exposure AS "sectorExposure"
          FROM portfolio_snapshots
          WHERE portfolio_id = ${portfolioId} AND (sector_exposure IS NOT NULL OR hhi IS NOT NULL
            OR realized_volatility_21d IS NOT NULL OR expected_volatility_21d IS NOT NULL)
          ORDER BY snapshot_date DESC LIMIT 1`,
    );
    return rows[0] ?? null;
  }

  /** Daily NAV, P&L and return of the portfolios up to `upTo`, per portfolio oldest first. */
  async returnHistory(portfolioIds: readonly string[], upTo: string): Promise<ReturnRow[]> {
    if (portfolioIds.length === 0) return [];
    return queryRows(
      this.db,
      sql`SELECT portfolio_id AS "portfolioId", snapshot_date AS date,
            net_asset_value::float8 AS "netAssetValue", daily_pnl::float8 AS "dailyPnl",
            daily_return AS "dailyReturn"
          FROM portfolio_snapshots
          WHERE portfolio_id = ANY(${sql.param([...portfolioIds])}::uuid[]) AND snapshot_date <= ${upTo}
          ORDER BY portfolio_id, snapshot_date`,
    );
  }

  /** The latest date the portfolio has stress results for. */
  async latestStressDate(portfolioId: string): Promise<string | null> {
    const rows = await queryRows<{ d: string | null }>(
      this.db,
      sql`SELECT max(calculation_date) AS d FROM stress_test_results WHERE portfolio_id = ${portfolioId}`,
    );
    return rows[0]?.d ?? null;
  }

  /** The minimum pair overlap a stored correlation calculation was made with. */
  async correlationMinOverlap(calculationId: string): Promise<number | null> {
    const rows = await queryRows<{ n: number }>(
      this.db,
      sql`SELECT min_overlap AS n FROM correlation_calculations WHERE id = ${calculationId}`,
    );
    return rows[0]?.n ?? null;
  }

  /**
   * Positions (not deleted) of the portfolio with exposure rows on `date`, optionally only those
   * whose symbol is in `symbols` (upper case): the total and one page, ordered by symbol.
   */
  async positionFactorPage(
    portfolioId: string,
    date: string,
    symbols: readonly string[] | null,
    limit: number,
    offset: number,
  ): Promise<{ total: number; positions: { positionId: string; symbol: string }[] }> {
    const held = sql`FROM positions p WHERE p.portfolio_id = ${portfolioId} AND p.deleted_at IS NULL
      ${symbols ? sql`AND upper(p.symbol) = ANY(${sql.param([...symbols])}::text[])` : sql``}
      AND EXISTS (SELECT 1 FROM position_factor_exposures e
        WHERE e.position_id = p.id AND e.calculation_date = ${date})`;
    const [count] = await queryRows<{ n: number }>(this.db, sql`SELECT count(*)::int AS n ${held}`);
    const positions = await queryRows<{ positionId: string; symbol: string }>(
      this.db,
      sql`SELECT p.id AS "positionId", p.symbol ${held}
          ORDER BY p.symbol, p.entry_date, p.id LIMIT ${limit} OFFSET ${offset}`,
    );
    return { total: count?.n ?? 0, positions };
  }

  /** The factor betas of the given positions on `date`. */
  async positionFactorRows(
    positionIds: readonly string[],
    date: string,
  ): Promise<PositionFactorRow[]> {
    if (positionIds.length === 0) return [];
    return queryRows(
      this.db,
      sql`SELECT e.position_id AS "positionId", p.symbol, f.name AS "factorName",
            e.exposure_value AS beta
          FROM position_factor_exposures e
          JOIN positions p ON p.id = e.position_id
          JOIN factor_definitions f ON f.id = e.factor_id
          WHERE e.position_id = ANY(${sql.param([...positionIds])}::uuid[])
            AND e.calculation_date = ${date}
          ORDER BY f.display_order`,
    );
  }

  /** Beta, R² and observations of the named factors for the symbols on `date`. */
  async symbolFactorStats(
    symbols: readonly string[],
    date: string,
    factorNames: readonly string[],
  ): Promise<SymbolFactorStat[]> {
    if (symbols.length === 0) return [];
    return queryRows(
      this.db,
      sql`SELECT e.symbol, f.name AS "factorName", e.beta, e.r_squared AS "rSquared", e.observations
          FROM symbol_factor_exposures e JOIN factor_definitions f ON f.id = e.factor_id
          WHERE e.calculation_date = ${date} AND e.symbol = ANY(${sql.param([...symbols])}::text[])
            AND f.name = ANY(${sql.param([...factorNames])}::text[])`,
    );
  }
}
