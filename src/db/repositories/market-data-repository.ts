import { asc, desc, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import { marketDataCache } from '../schema/index.ts';

export interface DailyClose {
  symbol: string;
  date: string;
  close: number;
}

export interface CloseSeries {
  dates: string[];
  closes: Float64Array;
}

/** Rows per statement: large enough to amortise round trips, small enough for PGlite's memory. */
const UPSERT_CHUNK = 50_000;

// Drizzle spreads a bare JS array into a parameter list; `sql.param` sends it as one array
// parameter, which is what `unnest($1::text[])` and `= ANY($1)` need.

/**
 * All SQL on `market_data_cache`. Writes are set-based: one `INSERT … SELECT FROM unnest(…)
 * ON CONFLICT DO UPDATE` per chunk of rows, never a statement per row.
 */
export class MarketDataRepository {
  constructor(private readonly db: Db) {}

  /** Inserts or replaces closes; returns the number of rows written. */
  async upsertCloses(rows: readonly DailyClose[], dataSource: string): Promise<number> {
    let written = 0;
    for (let start = 0; start < rows.length; start += UPSERT_CHUNK) {
      const chunk = rows.slice(start, start + UPSERT_CHUNK);
      const symbols = chunk.map((r) => r.symbol);
      const dates = chunk.map((r) => r.date);
      const closes = chunk.map((r) => r.close);
      await this.db.execute(sql`
        INSERT INTO market_data_cache (symbol, date, close, data_source, updated_at)
        SELECT s, d, c, ${dataSource}, now()
        FROM unnest(${sql.param(symbols)}::text[], ${sql.param(dates)}::date[], ${sql.param(closes)}::float8[]) AS t(s, d, c)
        ON CONFLICT (symbol, date) DO UPDATE
          SET close = EXCLUDED.close, data_source = EXCLUDED.data_source, updated_at = now()
          WHERE market_data_cache.close IS DISTINCT FROM EXCLUDED.close
             OR market_data_cache.data_source IS DISTINCT FROM EXCLUDED.data_source`);
      written += chunk.length;
    }
    return written;
  }

  /** Closes of one symbol in [from, to], oldest first. */
  async getCloseSeries(symbol: string, from: string, to: string): Promise<CloseSeries> {
    const rows = await queryRows<{ date: string; close: number }>(
      this.db,
      sql`SELECT date, close::float8 AS close FROM market_data_cache
          WHERE symbol = ${symbol} AND date BETWEEN ${from} AND ${to} ORDER BY date`,
    );
    return { dates: rows.map((r) => r.date), closes: Float64Array.from(rows, (r) => r.close) };
  }

  /** Closes of many symbols in [from, to], grouped by symbol, each oldest first. */
  async getCloseSeriesMany(
    symbols: readonly string[],
    from: string,
    to: string,
  ): Promise<Map<string, CloseSeries>> {
    const rows = await queryRows<{ symbol: string; date: string; close: number }>(
      this.db,
      sql`SELECT symbol, date, close::float8 AS close FROM market_data_cache
          WHERE symbol = ANY(${sql.param([...symbols])}::text[]) AND date BETWEEN ${from} AND ${to}
          ORDER BY symbol, date`,
    );
    const bySymbol = new Map<string, { dates: string[]; closes: number[] }>();
    for (const r of rows) {
      let entry = bySymbol.get(r.symbol);
      if (!entry) bySymbol.set(r.symbol, (entry = { dates: [], closes: [] }));
      entry.dates.push(r.date);
      entry.closes.push(r.close);
    }
    const result = new Map<string, CloseSeries>();
    for (const [symbol, e] of bySymbol) {
      result.set(symbol, { dates: e.dates, closes: Float64Array.from(e.closes) });
    }
    return result;
  }

  /** First and last cached date and row count per symbol (symbols with no rows are absent). */
  async getCoverage(
    symbols: readonly string[],
  ): Promise<Map<string, { first: string; last: string; rows: number }>> {
    const rows = await queryRows<{ symbol: string; first: string; last: string; rows: number }>(
      this.db,
      sql`SELECT symbol, min(date) AS first, max(date) AS last, count(*)::int AS rows
          FROM market_data_cache WHERE symbol = ANY(${sql.param([...symbols])}::text[]) GROUP BY symbol`,
    );
    return new Map(rows.map((r) => [r.symbol, { first: r.first, last: r.last, rows: r.rows }]));
  }

  /** Closes of `symbols` on exactly `dates`, keyed `SYMBOL|date` (missing pairs absent). */
  async closesOn(
    symbols: readonly string[],
    dates: readonly string[],
  ): Promise<Map<string, number>> {
    if (symbols.length === 0 || dates.length === 0) return new Map();
    const rows = await queryRows<{ symbol: string; date: string; close: number }>(
      this.db,
      sql`SELECT symbol, date, close::float8 AS close FROM market_data_cache
          WHERE symbol = ANY(${sql.param([...symbols])}::text[])
            AND date = ANY(${sql.param([...dates])}::date[])`,
    );
    return new Map(rows.map((r) => [`${r.symbol}|${r.date}`, r.close]));
  }

  /** The first and last dates in [from, to] on which `symbol` has a stored close. */
  async closeDatesWithin(
    symbol: string,
    from: string,
    to: string,
  ): Promise<{ first: string; last: string } | null> {
    const [row] = await queryRows<{ first: string | null; last: string | null }>(
      this.db,
      sql`SELECT min(date) AS first, max(date) AS last FROM market_data_cache
          WHERE symbol = ${symbol} AND date BETWEEN ${from} AND ${to}`,
    );
    return row?.first && row.last ? { first: row.first, last: row.last } : null;
  }

  /** The latest stored close of a symbol. */
  async lastClose(symbol: string): Promise<{ date: string; close: number } | null> {
    const [row] = await this.db
      .select({ date: marketDataCache.date, close: marketDataCache.close })
      .from(marketDataCache)
      .where(eq(marketDataCache.symbol, symbol))
      .orderBy(desc(marketDataCache.date))
      .limit(1);
    return row ? { date: row.date, close: Number(row.close) } : null;
  }

  /** The first date a symbol has a stored close. */
  async firstCloseDate(symbol: string): Promise<string | null> {
    const [row] = await this.db
      .select({ date: marketDataCache.date })
      .from(marketDataCache)
      .where(eq(marketDataCache.symbol, symbol))
      .orderBy(asc(marketDataCache.date))
      .limit(1);
    return row?.date ?? null;
  }
}
