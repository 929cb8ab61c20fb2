import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';

/** A stored company profile, numbers as numbers. */
export interface CompanyProfileRow {
  symbol: string;
  name: string | null;
  sector: string | null;
  industry: string | null;
  exchange: string | null;
  country: string | null;
  isEtf: boolean;
  marketCap: number | null;
  peRatio: number | null;
  forwardPe: number | null;
  dividendYield: number | null;
  beta: number | null;
  betaSource: string | null;
  week52High: number | null;
  week52Low: number | null;
  nextEarningsDate: string | null;
  dataSource: string;
  updatedAt: string;
}

/** What the database holds about one symbol, for the symbol lookup endpoints. */
export interface SymbolFootprint {
  profile: CompanyProfileRow | null;
  latestFactorDate: string | null;
  lastClose: { date: string; close: number } | null;
  firstCloseDate: string | null;
}

/** Read-only SQL for `GET /symbols/{symbol}`: a few indexed single-symbol lookups. */
export class SymbolLookupRepository {
  constructor(private readonly db: Db) {}

  async footprint(symbol: string): Promise<SymbolFootprint> {
    const [profile] = await queryRows<CompanyProfileRow & Record<string, unknown>>(
      this.db,
      sql`SELECT symbol, name, sector, industry, exchange, country, is_etf AS "isEtf",
            market_cap::float8 AS "marketCap", pe_ratio AS "peRatio", forward_pe AS "forwardPe",
            dividend_yield AS "dividendYield", beta, beta_source AS "betaSource",
            week_52_high::float8 AS "week52High", week_52_low::float8 AS "week52Low",
            next_earnings_date AS "nextEarningsDate", data_source AS "dataSource",
            to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"
          FROM company_profiles WHERE symbol = ${symbol}`,
    );
    const [factor] = await queryRows<{ d: string | null }>(
      this.db,
      sql`SELECT max(calculation_date) AS d FROM symbol_factor_exposures WHERE symbol = ${symbol}`,
    );
    const [last] = await queryRows<{ date: string; close: number }>(
      this.db,
      sql`SELECT date, close::float8 AS close FROM market_data_cache WHERE symbol = ${symbol}
          ORDER BY date DESC LIMIT 1`,
    );
    const [first] = await queryRows<{ date: string }>(
      this.db,
      sql`SELECT date FROM market_data_cache WHERE symbol = ${symbol} ORDER BY date LIMIT 1`,
    );
    return {
      profile: profile ?? null,
      latestFactorDate: factor?.d ?? null,
      lastClose: last ?? null,
      firstCloseDate: first?.date ?? null,
    };
  }
}
