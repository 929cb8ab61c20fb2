import { addDays } from '../domain/dates.ts';
import { billRatesOnSessions, type BillQuote } from '../domain/rates/risk-free-rate.ts';
import type { Db } from '../db/database.ts';
import { MarketDataRepository } from '../db/repositories/market-data-repository.ts';
import { TreasuryBillRateRepository } from '../db/repositories/treasury-bill-rate-repository.ts';

interface CachedSeries {
  /** The date range this entry is authoritative for: every close the source had in it. */
  from: string;
  to: string;
  dates: string[];
  closes: number[];
}

export interface SymbolCacheStats {
  symbols: number;
  price_points: number;
  factor_dates: number;
  factor_rows: number;
  approx_memory_bytes: number;
  hits: number;
  misses: number;
  hit_rate: number | null;
}

export interface CachedFactor {
  factorName: string;
  beta: number;
  rSquared: number | null;
  observations: number;
}

/**
 * Prices and factor betas in memory with the database behind them. The symbol batch fills it
 * as it fetches, so phase 3 and the portfolio phases read without a second round trip; anything
 * not cached (or cached for a shorter range) is read from the database once and kept.
 */
export class SymbolCache {
  private readonly prices = new Map<string, CachedSeries>();
  private readonly factors = new Map<string, Map<string, CachedFactor[]>>();
  private hits = 0;
  private misses = 0;
  private billQuotes: { quotes: BillQuote[]; readFor: string } | null = null;

  constructor(private readonly maxSymbols = 20_000) {}

  /** Records that `dates/closes` are every close the source has for `symbol` in [from, to]. */
  putPrices(
    symbol: string,
    from: string,
    to: string,
    dates: readonly string[],
    closes: ArrayLike<number>,
  ): void {
    const existing = this.prices.get(symbol);
    const incoming: CachedSeries = { from, to, dates: [...dates], closes: Array.from(closes) };
    if (!existing || to < addDays(existing.from, -1) || from > addDays(existing.to, 1)) {
      // Ranges with a gap between them cannot be merged without a hole: keep the newer one.
      this.setEntry(symbol, incoming);
      return;
    }
    const merged: CachedSeries = {
      from: from < existing.from ? from : existing.from,
      to: to > existing.to ? to : existing.to,
      dates: [],
      closes: [],
    };
    let i = 0;
    let j = 0;
    while (i < existing.dates.length || j < incoming.dates.length) {
      const a = existing.dates[i];
      const b = incoming.dates[j];
      if (b !== undefined && (a === undefined || b <= a)) {
        merged.dates.push(b);
        merged.closes.push(incoming.closes[j]!);
        j++;
        if (a === b) i++;
      } else if (a !== undefined) {
        // Old points inside the incoming range were superseded by it.
        if (a < from || a > to) {
          merged.dates.push(a);
          merged.closes.push(existing.closes[i]!);
        }
        i++;
      }
    }
    this.setEntry(symbol, merged);
  }

  private setEntry(symbol: string, entry: CachedSeries): void {
    this.prices.delete(symbol);
    this.prices.set(symbol, entry);
    // Map iteration order is insertion order: the first key is the least recently written.
    while (this.prices.size > this.maxSymbols) {
      const oldest = this.prices.keys().next().value as string;
      this.prices.delete(oldest);
    }
  }

  /**
   * Closes of `symbols` aligned to `sessions` (NaN where a symbol has no close), reading from
   * the database only the symbols whose cached range does not cover the request.
   */
  async getAlignedCloses(
    db: Db,
    symbols: readonly string[],
    sessions: readonly string[],
  ): Promise<Map<string, Float64Array>> {
    const from = sessions[0];
    const to = sessions.at(-1);
    const out = new Map<string, Float64Array>();
    if (from === undefined || to === undefined) return out;
    const missing: string[] = [];
    for (const s of symbols) {
      const entry = this.prices.get(s);
      if (entry && entry.from <= from && entry.to >= to) this.hits++;
      else {
        this.misses++;
        missing.push(s);
      }
    }
    if (missing.length > 0) {
      const loaded = await new MarketDataRepository(db).getCloseSeriesMany(missing, from, to);
      for (const s of missing) {
        const series = loaded.get(s);
        this.putPrices(s, from, to, series?.dates ?? [], series?.closes ?? []);
      }
    }
    const index = new Map(sessions.map((d, i) => [d, i]));
    for (const s of symbols) {
      const aligned = new Float64Array(sessions.length).fill(NaN);
      const entry = this.prices.get(s);
      if (entry) {
        for (let k = 0; k < entry.dates.length; k++) {
          const i = index.get(entry.dates[k]!);
          if (i !== undefined) aligned[i] = entry.closes[k]!;
        }
      }
      out.set(s, aligned);
    }
    return out;
  }

  /**
   * The 3-month bill rate of each session (decimal; null where unknown). The whole table is a
   * few thousand rows: it is read once and again only when asked past what was last read, or
   * after the symbol batch wrote new quotes (`invalidateBillRates`).
   */
  async getBillRates(db: Db, sessions: readonly string[]): Promise<(number | null)[]> {
    const to = sessions.at(-1);
    if (to === undefined) return [];
    if (!this.billQuotes || to > this.billQuotes.readFor) {
      const quotes = await new TreasuryBillRateRepository(db).between('0001-01-01', '9999-12-31');
      this.billQuotes = { quotes, readFor: to };
    }
    return billRatesOnSessions(sessions, this.billQuotes.quotes);
  }

  invalidateBillRates(): void {
    this.billQuotes = null;
  }

  putFactors(date: string, bySymbol: Map<string, CachedFactor[]>): void {
    let forDate = this.factors.get(date);
    if (!forDate) this.factors.set(date, (forDate = new Map()));
    for (const [symbol, rows] of bySymbol) forDate.set(symbol, rows);
  }

  /** Cached factor rows of a symbol on a date, or undefined (a miss the caller reads from the DB). */
  getFactors(symbol: string, date: string): CachedFactor[] | undefined {
    const rows = this.factors.get(date)?.get(symbol);
    if (rows) this.hits++;
    else this.misses++;
    return rows;
  }

  invalidate(symbols?: readonly string[]): void {
    if (!symbols) {
      this.prices.clear();
      this.factors.clear();
      this.billQuotes = null;
      return;
    }
    for (const s of symbols) this.prices.delete(s);
  }

  stats(): SymbolCacheStats {
    let points = 0;
    for (const e of this.prices.values()) points += e.dates.length;
    let factorRows = 0;
    for (const m of this.factors.values()) for (const rows of m.values()) factorRows += rows.length;
    const total = this.hits + this.misses;
    return {
      symbols: this.prices.size,
      price_points: points,
      factor_dates: this.factors.size,
      factor_rows: factorRows,
      // A date string (~56 B with header) and a boxed number slot (~8 B) per point; ~120 B per factor row.
      approx_memory_bytes: points * 64 + factorRows * 120,
      hits: this.hits,
      misses: this.misses,
      hit_rate: total === 0 ? null : this.hits / total,
    };
  }
}
