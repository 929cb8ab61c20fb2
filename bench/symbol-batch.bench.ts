import { SymbolUniverseRepository } from '../src/db/repositories/symbol-universe-repository.ts';
import { createLogger } from '../src/logger.ts';
import { SimulatedProvider } from '../src/market/providers/simulated/simulated-provider.ts';
import { runSymbolBatch } from '../src/pipeline/symbol-batch/run-symbol-batch.ts';
import { SymbolCache } from '../src/pipeline/symbol-cache.ts';
import { numpyBench, openBenchDatabase, round } from './bench-helpers.ts';

/**
 * Issue 3: a full symbol batch for N simulated symbols × 1 year of history on PGlite, with
 * phase timings, phase-3 regressions per second, and the same regressions timed with NumPy.
 */
export async function benchSymbolBatch(symbols = 3_000) {
  const { database, cleanup } = await openBenchDatabase();
  try {
    const date = '2026-07-31';
    const provider = new SimulatedProvider({ latestDate: date });
    const names = Array.from({ length: symbols }, (_, i) => `SIM${String(i + 1).padStart(4, '0')}`);
    await new SymbolUniverseRepository(database.db).register(
      names.map((symbol) => ({ symbol, assetType: 'equity' as const })),
      date,
    );
    const ctx = {
      db: database.db,
      provider,
      cache: new SymbolCache(),
      logger: createLogger('silent'),
    };
    const started = performance.now();
    const summary = await runSymbolBatch(ctx, { date, triggeredBy: 'bench' });
    const seconds = (performance.now() - started) / 1000;
    const run = summary.runs[0]!;
    const f = run.factors!;
    return {
      name: 'symbol_batch_full',
      symbols: run.symbols,
      history_days: 365,
      status: run.status,
      seconds: round(seconds),
      target_seconds: 30,
      prices_written: run.pricesWritten,
      factor_rows_written: f.rowsWritten,
      phase_ms: run.phaseDurationsMs,
      phase3_compute_ms: round(f.computeMs, 1),
      // Counted as NumPy's script counts: each OLS, each spread and the 6-factor ridge is one
      // regression (7 per symbol); betas are the 12 regression factors per symbol.
      phase3_regressions: f.symbolsComputed * 7,
      phase3_regressions_per_second: Math.round((f.symbolsComputed * 7) / (f.computeMs / 1000)),
      phase3_betas_per_second: Math.round(f.regressions / (f.computeMs / 1000)),
      cache: ctx.cache.stats(),
      numpy_same_regressions: numpyBench(symbols),
    };
  } finally {
    await cleanup();
  }
}
