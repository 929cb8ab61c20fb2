import { eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import { companyProfiles } from '../schema/index.ts';
import type { SymbolProfile } from '../../market/provider.ts';
import {
  anyOf,
  withIsoTimes,
  withNumbers,
  type WithIsoTimes,
  type WithNumbers,
} from './row-values.ts';

const NUMERIC_COLUMNS = ['marketCap', 'week52High', 'week52Low'] as const;

/** A stored company profile, numbers as numbers. */
export type CompanyProfileRow = WithIsoTimes<
  WithNumbers<typeof companyProfiles.$inferSelect, (typeof NUMERIC_COLUMNS)[number]>,
  'updatedAt'
>;

/** All SQL on `company_profiles`. */
export class CompanyProfileRepository {
  constructor(private readonly db: Db) {}

  /** One symbol's profile, or null when none is stored. */
  async profile(symbol: string): Promise<CompanyProfileRow | null> {
    const [row] = await this.db
      .select()
      .from(companyProfiles)
      .where(eq(companyProfiles.symbol, symbol));
    return row ? withIsoTimes(withNumbers(row, NUMERIC_COLUMNS), ['updatedAt']) : null;
  }

  async upsert(profiles: readonly SymbolProfile[], dataSource: string): Promise<void> {
    if (profiles.length === 0) return;
    const col = <K extends keyof SymbolProfile>(k: K) =>
      sql.param(profiles.map((p) => p[k] ?? null));
    await this.db.execute(sql`
      INSERT INTO company_profiles (symbol, name, sector, industry, exchange, country, is_etf,
        market_cap, pe_ratio, forward_pe, dividend_yield, beta, beta_source, week_52_high,
        week_52_low, next_earnings_date, data_source, updated_at)
      SELECT symbol, name, sector, industry, exchange, country, is_etf, market_cap, pe_ratio,
        forward_pe, dividend_yield, beta, beta_source, week_52_high, week_52_low,
        next_earnings_date, ${dataSource}, now()
      FROM unnest(${col('symbol')}::text[], ${col('name')}::text[], ${col('sector')}::text[],
        ${col('industry')}::text[], ${col('exchange')}::text[], ${col('country')}::text[],
        ${col('isEtf')}::boolean[], ${col('marketCap')}::numeric[], ${col('peRatio')}::float8[],
        ${col('forwardPe')}::float8[], ${col('dividendYield')}::float8[], ${col('beta')}::float8[],
        ${col('betaSource')}::text[], ${col('week52High')}::numeric[], ${col('week52Low')}::numeric[],
        ${col('nextEarningsDate')}::date[])
        AS t(symbol, name, sector, industry, exchange, country, is_etf, market_cap, pe_ratio,
             forward_pe, dividend_yield, beta, beta_source, week_52_high, week_52_low, next_earnings_date)
      ON CONFLICT (symbol) DO UPDATE SET name = EXCLUDED.name, sector = EXCLUDED.sector,
        industry = EXCLUDED.industry, exchange = EXCLUDED.exchange, country = EXCLUDED.country,
        is_etf = EXCLUDED.is_etf, market_cap = EXCLUDED.market_cap, pe_ratio = EXCLUDED.pe_ratio,
        forward_pe = EXCLUDED.forward_pe, dividend_yield = EXCLUDED.dividend_yield,
        beta = EXCLUDED.beta, beta_source = EXCLUDED.beta_source,
        week_52_high = EXCLUDED.week_52_high, week_52_low = EXCLUDED.week_52_low,
        next_earnings_date = coalesce(EXCLUDED.next_earnings_date, company_profiles.next_earnings_date),
        data_source = EXCLUDED.data_source, updated_at = now()`);
  }

  /** Symbols with no profile or one older than `maxAgeDays` (phase 0 refreshes only these). */
  async staleSymbols(symbols: readonly string[], maxAgeDays: number): Promise<string[]> {
    const fresh = await queryRows<{ symbol: string }>(
      this.db,
      sql`SELECT symbol FROM company_profiles WHERE symbol = ANY(${sql.param([...symbols])}::text[])
          AND updated_at > now() - make_interval(days => ${maxAgeDays})`,
    );
    const freshSet = new Set(fresh.map((r) => r.symbol));
    return symbols.filter((s) => !freshSet.has(s));
  }

  /** Symbols whose earnings date has passed (or is unknown): fundamentals are refreshed for these. */
  async earningsDue(symbols: readonly string[], asOf: string): Promise<string[]> {
    const rows = await queryRows<{ symbol: string }>(
      this.db,
      sql`SELECT s AS symbol FROM unnest(${sql.param([...symbols])}::text[]) AS s
          LEFT JOIN company_profiles p ON p.symbol = s
          WHERE p.next_earnings_date IS NULL OR p.next_earnings_date <= ${asOf}::date`,
    );
    return rows.map((r) => r.symbol);
  }

  async updateEarningsDates(
    rows: readonly { symbol: string; nextEarningsDate: string | null }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.db.execute(sql`
      UPDATE company_profiles p SET next_earnings_date = t.d, updated_at = now()
      FROM unnest(${sql.param(rows.map((r) => r.symbol))}::text[],
                  ${sql.param(rows.map((r) => r.nextEarningsDate))}::date[]) AS t(s, d)
      WHERE p.symbol = t.s`);
  }

  async getProviderBetas(
    symbols: readonly string[],
  ): Promise<Map<string, { beta: number; source: string }>> {
    const rows = await queryRows<{ symbol: string; beta: number; source: string | null }>(
      this.db,
      sql`SELECT symbol, beta, coalesce(beta_source, data_source) AS source FROM company_profiles
          WHERE symbol = ANY(${sql.param([...symbols])}::text[]) AND beta IS NOT NULL`,
    );
    return new Map(rows.map((r) => [r.symbol, { beta: r.beta, source: r.source ?? 'provider' }]));
  }

  async getSectors(
    symbols: readonly string[],
  ): Promise<
    Map<
      string,
      { sector: string | null; isEtf: boolean; name: string | null; industry: string | null }
    >
  > {
    const rows = await this.db
      .select({
        symbol: companyProfiles.symbol,
        sector: companyProfiles.sector,
        isEtf: companyProfiles.isEtf,
        name: companyProfiles.name,
        industry: companyProfiles.industry,
      })
      .from(companyProfiles)
      .where(anyOf(companyProfiles.symbol, symbols, 'text'));
    return new Map(
      rows.map((r) => [
        r.symbol,
        { sector: r.sector, isEtf: r.isEtf, name: r.name, industry: r.industry },
      ]),
    );
  }
}
