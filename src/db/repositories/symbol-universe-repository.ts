import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { symbolUniverse } from '../schema/index.ts';
import { anyOf } from './row-values.ts';
import type { AssetType } from '../schema/enums.ts';

const ENTRY_COLUMNS = {
  symbol: symbolUniverse.symbol,
  assetType: symbolUniverse.assetType,
  isActive: symbolUniverse.isActive,
  lastProcessedDate: symbolUniverse.lastProcessedDate,
  lastError: symbolUniverse.lastError,
  historyRequestedFrom: symbolUniverse.historyRequestedFrom,
};

export interface UniverseEntry {
  symbol: string;
  assetType: AssetType;
  isActive: boolean;
  lastProcessedDate: string | null;
  lastError: string | null;
  historyRequestedFrom: string | null;
}

/** All SQL on `symbol_universe`: which symbols the nightly batch covers and how they fared. */
export class SymbolUniverseRepository {
  constructor(private readonly db: Db) {}

  /** Adds symbols not seen before; existing rows keep their history (and are reactivated). */
  async register(
    entries: readonly { symbol: string; assetType: AssetType }[],
    firstSeenDate: string,
  ): Promise<void> {
    if (entries.length === 0) return;
    await this.db.execute(sql`
      INSERT INTO symbol_universe (symbol, asset_type, first_seen_date, is_active)
      SELECT s, a, ${firstSeenDate}::date, true
      FROM unnest(${sql.param(entries.map((e) => e.symbol))}::text[],
                  ${sql.param(entries.map((e) => e.assetType))}::text[]) AS t(s, a)
      ON CONFLICT (symbol) DO UPDATE SET is_active = true, updated_at = now()
        WHERE symbol_universe.is_active = false`);
  }

  async listActive(): Promise<UniverseEntry[]> {
    return this.db
      .select(ENTRY_COLUMNS)
      .from(symbolUniverse)
      .where(eq(symbolUniverse.isActive, true))
      .orderBy(asc(symbolUniverse.symbol));
  }

  async get(symbols: readonly string[]): Promise<Map<string, UniverseEntry>> {
    const rows = await this.db
      .select(ENTRY_COLUMNS)
      .from(symbolUniverse)
      .where(anyOf(symbolUniverse.symbol, symbols, 'text'));
    return new Map(rows.map((r) => [r.symbol, r]));
  }

  /** Symbols that failed this run: the error is kept for operators and the symbol retried next run. */
  async recordFailures(failures: readonly { symbol: string; error: string }[]): Promise<void> {
    if (failures.length === 0) return;
    await this.db.execute(sql`
      UPDATE symbol_universe u SET last_error = f.e, last_error_at = now(),
        consecutive_failures = u.consecutive_failures + 1, updated_at = now()
      FROM unnest(${sql.param(failures.map((f) => f.symbol))}::text[],
                  ${sql.param(failures.map((f) => f.error))}::text[]) AS f(s, e)
      WHERE u.symbol = f.s`);
  }

  async recordProcessed(symbols: readonly string[], date: string): Promise<void> {
    if (symbols.length === 0) return;
    await this.db.execute(sql`
      UPDATE symbol_universe SET last_processed_date = greatest(last_processed_date, ${date}::date),
        last_error = NULL, consecutive_failures = 0, updated_at = now()
      WHERE symbol = ANY(${sql.param([...symbols])}::text[])`);
  }

  /** Remembers the earliest date history was requested from, so a young listing is not re-asked nightly. */
  async recordHistoryRequested(symbols: readonly string[], from: string): Promise<void> {
    if (symbols.length === 0) return;
    await this.db.execute(sql`
      UPDATE symbol_universe SET history_requested_from = least(coalesce(history_requested_from, ${from}::date), ${from}::date),
        updated_at = now()
      WHERE symbol = ANY(${sql.param([...symbols])}::text[])`);
  }
}
