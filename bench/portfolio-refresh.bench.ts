import { PortfolioRepository } from '../src/db/repositories/portfolio-repository.ts';
import { createLogger } from '../src/logger.ts';
import { getSampleProvider } from '../src/market/create-provider.ts';
import {
  REFRESH_CHUNK_SIZE,
  runPortfolioRefresh,
} from '../src/pipeline/portfolio-refresh/run-portfolio-refresh.ts';
import { runSymbolBatch } from '../src/pipeline/symbol-batch/run-symbol-batch.ts';
import { SymbolCache } from '../src/pipeline/symbol-cache.ts';
import { createBenchBooks, openBenchDatabase, randomBook, round } from './bench-helpers.ts';

/**
 * Issue 4: the nightly refresh of N portfolios × 30 positions on PGlite (each portfolio already
 * onboarded the day before, so the night computes one new day each), plus the first-time refresh
 * that builds every portfolio's history, and one 500-position portfolio with 5 years of history
 * recomputed in full.
 */
export async function benchPortfolioRefresh(portfolios = 1_000, positionsEach = 30) {
  const { database, cleanup } = await openBenchDatabase();
  try {
    const provider = await getSampleProvider();
    const ctx = {
      db: database.db,
      provider,
      cache: new SymbolCache(),
      logger: createLogger('silent'),
    };
    const symbols = provider.symbols.filter((s) => !['VIXY'].includes(s));
    const { userId, rnd } = await createBenchBooks(database.db, symbols, portfolios, positionsEach);
    // The nightly order: the symbol batch (every position symbol, with history), then the refresh.
    await runSymbolBatch(ctx, {
      date: '2026-07-30',
      triggeredBy: 'bench',
      backfill: false,
      historyFrom: '2026-03-01',
    });
    let t = performance.now();
    const initial = await runPortfolioRefresh(ctx, { date: '2026-07-30', triggeredBy: 'bench' });
    const initialSeconds = (performance.now() - t) / 1000;
    await runSymbolBatch(ctx, { date: '2026-07-31', triggeredBy: 'bench', backfill: false });
    t = performance.now();
    const nightly = await runPortfolioRefresh(ctx, { date: '2026-07-31', triggeredBy: 'bench' });
    const nightlySeconds = (performance.now() - t) / 1000;

    // One 500-position book with five years of history, recomputed in full.
    const big = await new PortfolioRepository(database.db).createWithPositions({
      userId,
      name: 'Big book',
      accountName: 'BIG-500',
      accountType: 'trust',
      equityBalance: '50000000',
      positions: Array.from({ length: 5 }, (_, k) =>
        randomBook(symbols, 100, rnd, [`202${1 + k}-08-02`]).map((p) => ({
          ...p,
          entryDate: `202${1 + k}-08-02`,
        })),
      ).flat(),
    });
    await runSymbolBatch(ctx, {
      date: '2026-07-31',
      triggeredBy: 'bench',
      backfill: false,
      historyFrom: '2021-07-01',
    });
    await runPortfolioRefresh(ctx, {
      date: '2026-07-31',
      portfolioId: big.id,
      mode: 'full',
      triggeredBy: 'bench',
    });
    t = performance.now();
    const fullRun = await runPortfolioRefresh(ctx, {
      date: '2026-07-31',
      portfolioId: big.id,
      mode: 'full',
      triggeredBy: 'bench',
    });
    const fullSeconds = (performance.now() - t) / 1000;
    const phaseTotals: Record<string, number> = {};
    for (const r of nightly.results)
      for (const [k, v] of Object.entries(r.phaseMs)) phaseTotals[k] = (phaseTotals[k] ?? 0) + v;
    for (const k of Object.keys(phaseTotals)) phaseTotals[k] = round(phaseTotals[k]!, 1);
    return {
      name: 'portfolio_refresh',
      portfolios,
      positions_each: positionsEach,
      nightly: {
        seconds: round(nightlySeconds),
        target_seconds: 30,
        status: nightly.status,
        refreshed: nightly.results.length,
        failed: nightly.failures.length,
        chunk_size: REFRESH_CHUNK_SIZE,
        // Each phase: its computation plus its share of the chunk writes; `read`: the bulk reads.
        phase_ms_total: phaseTotals,
      },
      first_refresh_with_history: {
        seconds: round(initialSeconds),
        refreshed: initial.results.length,
        status: initial.status,
      },
      full_recompute_500_positions_5y: {
        seconds: round(fullSeconds),
        target_seconds: 2,
        snapshots_written: fullRun.results[0]?.snapshotsWritten ?? 0,
        phase_ms: fullRun.results[0]?.phaseMs ?? {},
        status: fullRun.status,
      },
    };
  } finally {
    await cleanup();
  }
}
