import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';

/** All SQL on `factor_exposures` (portfolio level) and `position_factor_exposures`. */
export class PortfolioFactorRepository {
  constructor(private readonly db: Db) {}

  /** Replaces one portfolio's exposures for a date, portfolio and position rows together. */
  async replace(
    portfolioId: string,
    date: string,
    portfolioRows: readonly { factorId: number; value: number; dollars: number }[],
    positionRows: readonly {
      positionId: string;
      factorId: number;
      value: number;
      dollars: number;
    }[],
    /** Positions of the portfolio that no longer have rows (e.g. closed): their old rows go too. */
    extraPositionIds?: readonly string[],
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.execute(
        sql`DELETE FROM factor_exposures WHERE portfolio_id = ${portfolioId} AND calculation_date = ${date}`,
      );
      // By position id, so the unique (position_id, factor_id, date) index serves the delete.
      const ids = [...new Set(positionRows.map((r) => r.positionId))];
      await tx.execute(sql`DELETE FROM position_factor_exposures
        WHERE position_id = ANY(${sql.param([...ids, ...(extraPositionIds ?? [])])}::uuid[])
          AND calculation_date = ${date}`);
      if (portfolioRows.length > 0) {
        await tx.execute(sql`INSERT INTO factor_exposures (portfolio_id, factor_id, calculation_date, exposure_value, exposure_dollar)
          SELECT ${portfolioId}::uuid, f, ${date}::date, v, d
          FROM unnest(${sql.param(portfolioRows.map((r) => r.factorId))}::int[],
            ${sql.param(portfolioRows.map((r) => r.value))}::float8[],
            ${sql.param(portfolioRows.map((r) => r.dollars))}::float8[]) AS t(f, v, d)`);
      }
      if (positionRows.length > 0) {
        await tx.execute(sql`INSERT INTO position_factor_exposures (position_id, factor_id, calculation_date, exposure_value, exposure_dollar)
          SELECT p, f, ${date}::date, v, d
          FROM unnest(${sql.param(positionRows.map((r) => r.positionId))}::uuid[],
            ${sql.param(positionRows.map((r) => r.factorId))}::int[],
            ${sql.param(positionRows.map((r) => r.value))}::float8[],
            ${sql.param(positionRows.map((r) => r.dollars))}::float8[]) AS t(p, f, v, d)`);
      }
    });
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

  /** symbol → factor name → beta, for every symbol with rows on `date`. */
  async symbolBetas(
    symbols: readonly string[],
    date: string,
  ): Promise<Map<string, Map<string, number>>> {
    const rows = await queryRows<{ symbol: string; name: string; beta: number }>(
      this.db,
      sql`SELECT e.symbol, f.name, e.beta FROM symbol_factor_exposures e
          JOIN factor_definitions f ON f.id = e.factor_id
          WHERE e.calculation_date = ${date} AND e.symbol = ANY(${sql.param([...symbols])}::text[])`,
    );
    const out = new Map<string, Map<string, number>>();
    for (const r of rows) {
      let m = out.get(r.symbol);
      if (!m) out.set(r.symbol, (m = new Map()));
      m.set(r.name, r.beta);
    }
    return out;
  }
}
