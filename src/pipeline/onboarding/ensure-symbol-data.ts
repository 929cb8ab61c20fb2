import { listSymbols } from '../run-messages.ts';
import { FACTOR_ETFS } from '../../domain/factors/factor-definitions.ts';
import { addDays } from '../../domain/dates.ts';
import { historyStartOf } from '../../domain/pnl/history-start.ts';
import { FactorRepository } from '../../db/repositories/factor-repository.ts';
import type { PositionRow } from '../../db/repositories/position-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import { HISTORY_LEAD_DAYS } from '../portfolio-refresh/build-pnl-inputs.ts';
import type { RunRecorder } from '../run-recorder.ts';
import { ensurePriceHistory, runSymbolBatchFor } from '../symbol-batch/run-symbol-batch.ts';
import type { SymbolClassification } from './classify-symbols.ts';
import { reportFailedSymbols, type FailedSymbol } from './report-failed-symbols.ts';
import { symbolLocksFor, type WithSymbolLocks } from './symbol-locks.ts';

export interface SymbolDataRequest {
  positions: readonly PositionRow[];
  date: string;
  /** The calculation's run: the trigger named on the symbol batch it starts. */
  runId: string;
  signal?: AbortSignal;
}

/** The classified symbols in, the symbols left without data out (added as they fail). */
export interface SymbolDataResult extends SymbolClassification {
  failedSymbols: FailedSymbol[];
}

/**
 * Makes sure every symbol of the book has the data its calculation reads: price history back to
 * the earliest entry for the known symbols and the factor ETFs, the scoped symbol batch for the
 * new ones; then reports the symbols left without data.
 */
export async function ensureSymbolData(
  ctx: PipelineContext,
  rec: RunRecorder,
  request: SymbolDataRequest,
  result: SymbolDataResult,
): Promise<void> {
  const historyFrom = addDays(
    historyStartOf(
      request.positions.map((p) => p.entryDate),
      request.date,
    ).start,
    -HISTORY_LEAD_DAYS,
  );
  const withSymbolLocks = symbolLocksFor(ctx, rec, request.signal);

  // Known symbols have a year of prices from the nightly batch; the back-cast may need more.
  // The factor ETFs are in every calculation, so their fetch is locked too: two calculations
  // starting together on an empty database fetch SPY once, not twice.
  const sharedSymbols = [...new Set([...result.knownSymbols, ...FACTOR_ETFS])];
  const priceCheck = await withSymbolLocks(sharedSymbols, () =>
    ensurePriceHistory(ctx, sharedSymbols, request.date, historyFrom),
  );
  for (const [symbol, e] of priceCheck.failed)
    result.failedSymbols.push({ symbol, code: e.code, message: e.message });

  await processNewSymbols(ctx, rec, withSymbolLocks, { ...request, historyFrom }, result);
  reportFailedSymbols(rec, result.failedSymbols);
}

/** The symbol_processing phase: the symbol batch scoped to the book's new symbols. */
async function processNewSymbols(
  ctx: PipelineContext,
  rec: RunRecorder,
  withSymbolLocks: WithSymbolLocks,
  { date, historyFrom, runId }: { date: string; historyFrom: string; runId: string },
  result: SymbolDataResult,
): Promise<void> {
  if (result.unknownSymbols.length === 0) {
    await rec.skip('symbol_processing', 'every symbol is already known');
    return;
  }
  await rec.start('symbol_processing', result.unknownSymbols.length);
  // Under the symbols' locks: a concurrent calculation that needed the same new symbol has
  // either finished it (it is known now and skipped here) or not started it.
  await withSymbolLocks(result.unknownSymbols, async () => {
    const doneMeanwhile = await new FactorRepository(ctx.db).symbolsWithExposures(
      result.unknownSymbols,
      date,
    );
    const todo = result.unknownSymbols.filter((s) => !doneMeanwhile.has(s));
    if (doneMeanwhile.size > 0) {
      rec.log(
        `${listSymbols([...doneMeanwhile])} processed meanwhile by another calculation; not fetched again`,
      );
      // That calculation fetched them back to its own earliest entry; this book may go further
      // back, as it would have for a symbol known when it started.
      const history = await ensurePriceHistory(ctx, [...doneMeanwhile], date, historyFrom);
      for (const [symbol, e] of history.failed)
        result.failedSymbols.push({ symbol, code: e.code, message: e.message });
    }
    if (todo.length === 0) return;
    const batch = await runSymbolBatchFor(ctx, todo, {
      date,
      historyFrom,
      triggeredBy: `onboarding:${runId}`,
    });
    for (const run of batch.runs) {
      result.failedSymbols.push(...run.failedSymbols);
      if (run.status === 'failed')
        throw new Error(`symbol batch failed: ${run.error ?? 'unknown error'}`);
    }
  });
  await rec.complete('symbol_processing');
}
