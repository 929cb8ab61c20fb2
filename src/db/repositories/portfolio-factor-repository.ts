import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import { indexedValues, moneyText } from './bulk-params.ts';

/** One portfolio's exposures for a date, portfolio and position rows. */
export interface PortfolioFactorWrite {
  portfolioId: string;
  portfolioRows: readonly { factorId: number; value: number; dollars: number }[];
  positionRows: readonly { positionId: string; factorId: number; value: number; dollars: number }[];
  /** Every position of the portfolio: rows they had for the date go, held or not. */
  positionIds: readonly string[];
  /** Every factor (the definitions' ids): the delete names them to stay on the unique key. */
  factorIds: readonly number[];
}

/** All SQL on `factor_exposures` (portfolio level) and `position_factor_exposures`. */
export class PortfolioFactorRepository {
  constructor(private readonly db: Db) {}

  /**
   * Replaces the exposures of many portfolios for a date: one delete and one insert per table,
   * whatever the number of portfolios. Run it inside a transaction to make it atomic.
   */
  async replaceMany(date: string, writes: readonly PortfolioFactorWrite[]): Promise<void> {
    if (writes.length === 0) return;
    await this.db.execute(sql`DELETE FROM factor_exposures
      WHERE portfolio_id = ANY(${sql.param(writes.map((w) => w.portfolioId))}::uuid[])
        AND calculation_date = ${date}`);
    // By position and factor id, so the unique (position_id, factor_id, date) key serves it:
    // by position alone the planner (PGlite has no statistics) scanned the whole table.
    await this.db.execute(sql`DELETE FROM position_factor_exposures
      WHERE position_id = ANY(${sql.param(writes.flatMap((w) => w.positionIds))}::uuid[])
        AND factor_id = ANY(${sql.param([...new Set(writes.flatMap((w) => w.factorIds))])}::int[])
        AND calculation_date = ${date}`);
    const portfolioRows = writes.flatMap((w) =>
      w.portfolioRows.map((r) => ({ portfolioId: w.portfolioId, ...r })),
    );
    if (portfolioRows.length > 0) {
      await this.db
        .execute(sql`INSERT INTO factor_exposures (portfolio_id, factor_id, calculation_date, exposure_value, exposure_dollar)
        SELECT p, f, ${date}::date, v, d
        FROM unnest(${sql.param(portfolioRows.map((r) => r.portfolioId))}::uuid[],
          ${sql.param(portfolioRows.map((r) => r.factorId))}::int[],
          ${sql.param(portfolioRows.map((r) => r.value))}::float8[],
          ${sql.param(portfolioRows.map((r) => moneyText(r.dollars)))}::numeric[]) AS t(p, f, v, d)`);
    }
    const positionRows = writes.flatMap((w) => w.positionRows);
    if (positionRows.length > 0) {
      // 13 rows per position: each id is sent once and rows point at it (uuid input is dear).
      const ids = indexedValues(positionRows.map((r) => r.positionId));
      await this.db
        .execute(sql`INSERT INTO position_factor_exposures (position_id, factor_id, calculation_date, exposure_value, exposure_dollar)
        SELECT (${sql.param(ids.distinct)}::uuid[])[i], f, ${date}::date, v, d
        FROM unnest(${sql.param(ids.index)}::int[],
          ${sql.param(positionRows.map((r) => r.factorId))}::int[],
          ${sql.param(positionRows.map((r) => r.value))}::float8[],
          ${sql.param(positionRows.map((r) => moneyText(r.dollars)))}::numeric[]) AS t(i, f, v, d)`);
    }
  }

  async forPortfolio(
    portfolioId: string,
    date: string,
  ): Promise<{ name: string; displayOrder: number; beta: number; exposureDollar: number }[]> {
    return queryRows(
      this.db,
      sql`SELECT f.name, f.display_order AS "displayOrder", e.exposure_value AS beta,
            e.exposure_dollar::float8 AS "exposureDollar"
          FROM factor_exposures e JOIN factor_definitions f ON f.id = e.factor_id
          WHERE e.portfolio_id = ${portfolioId} AND e.calculation_date = ${date}
          ORDER BY f.display_order`,
    );
  }

  async latestDate(portfolioId: string): Promise<string | null> {
    const rows = await queryRows<{ d: string | null }>(
      this.db,
      sql`SELECT max(calculation_date) AS d FROM factor_exposures WHERE portfolio_id = ${portfolioId}`,
    );
    return rows[0]?.d ?? null;
  }
}
