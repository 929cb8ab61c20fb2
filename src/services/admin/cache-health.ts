import type { SymbolCache } from '../../pipeline/symbol-cache.ts';

export interface CacheHealth {
  symbols_cached: number;
  price_points: number;
  /** Calculation dates with factor rows in memory. */
  dates_cached: number;
  factor_rows: number;
  approx_memory_bytes: number;
  approx_memory_mb: number;
  hits: number;
  misses: number;
  /** hits / (hits + misses) since the process started, 0..1; null before the first lookup. */
  hit_rate: number | null;
  process_memory: { rss_bytes: number; heap_used_bytes: number };
}

/** The in-process symbol cache as operators see it (SPEC §8: hit rate and size). */
export function cacheHealth(cache: SymbolCache): CacheHealth {
  const stats = cache.stats();
  const memory = process.memoryUsage();
  return {
    symbols_cached: stats.symbols,
    price_points: stats.price_points,
    dates_cached: stats.factor_dates,
    factor_rows: stats.factor_rows,
    approx_memory_bytes: stats.approx_memory_bytes,
    approx_memory_mb: Math.round((stats.approx_memory_bytes / (1024 * 1024)) * 100) / 100,
    hits: stats.hits,
    misses: stats.misses,
    hit_rate: stats.hit_rate === null ? null : Math.round(stats.hit_rate * 10_000) / 10_000,
    process_memory: { rss_bytes: memory.rss, heap_used_bytes: memory.heapUsed },
  };
}
