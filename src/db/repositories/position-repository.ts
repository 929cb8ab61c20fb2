import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';

export interface UniversePositionSymbol {
  symbol: string;
  investmentClass: string;
  underlyingSymbol: string | null;
  expirationDate: string | null;
}

/** SQL on `positions` (the portfolio pipeline adds to this). */
export class PositionRepository {
  constructor(private readonly db: Db) {}

  /**
   * Distinct symbols of live positions in live portfolios that are still open on `date` —
   * the position part of the nightly symbol universe.
   */
  async symbolsOfActivePositions(date: string): Promise<UniversePositionSymbol[]> {
    return queryRows(
      this.db,
      sql`SELECT DISTINCT p.symbol, p.investment_class AS "investmentClass",
            p.underlying_symbol AS "underlyingSymbol", p.expiration_date AS "expirationDate"
          FROM positions p JOIN portfolios f ON f.id = p.portfolio_id
          WHERE p.deleted_at IS NULL AND f.deleted_at IS NULL
            AND p.entry_date <= ${date}::date
            AND (p.exit_date IS NULL OR p.exit_date > ${date}::date)`,
    );
  }
}
