import { listSymbols, runErrorMessage } from '../run-messages.ts';
import { FACTOR_ETFS } from '../../domain/factors/factor-definitions.ts';
import { addDays } from '../../domain/dates.ts';
import { BatchRunRepository } from '../../db/repositories/batch-run-repository.ts';
import { FactorRepository } from '../../db/repositories/factor-repository.ts';
import { PositionRepository } from '../../db/repositories/position-repository.ts';
import { ScopeLockRepository } from '../../db/repositories/scope-lock-repository.ts';
import {
  PortfolioRepository,
  type PositionRow,
} from '../../db/repositories/portfolio-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import { historyStartOf } from '../../domain/pnl/history-start.ts';
import { HISTORY_LEAD_DAYS } from '../portfolio-refresh/build-pnl-inputs.ts';
import type { RefreshMode } from '../portfolio-refresh/phase-4-pnl.ts';
import {
  refreshPortfolio,
  type PortfolioRefreshResult,
} from '../portfolio-refresh/refresh-portfolio.ts';
import { loadFactorDefinitions } from '../reference-data.ts';
import { StressModelCache } from '../portfolio-refresh/stress-model-cache.ts';
import type { RunRecorder } from '../run-recorder.ts';
import { withBatchRun } from '../with-batch-run.ts';
import { ensurePriceHistory, runSymbolBatchFor } from '../symbol-batch/run-symbol-batch.ts';
import { resolveCalculationDate } from './calculation-date.ts';
import { ONBOARDING_PHASES } from './onboarding-phases.ts';
import { optionTermsOf } from '../../domain/positions/option-terms.ts';

export interface CalculatePortfolioOptions {
  date?: string;
  mode?: RefreshMode;
  triggeredBy?: string;
  /** An existing queued run to execute (the job path); otherwise one is created. */
  batchRunId?: string;
  /**
   * Aborted when the process running this gives up on it (the job queue stopping without
   * waiting): symbol locks held or awaited are let go, as they would be if the process died.
   */
  signal?: AbortSignal;
}

/** The lock key of one symbol's market data (shared by every calculation and process). */
export const symbolLockKey = (symbol: string) => `symbol:${symbol}`;

export interface CalculatePortfolioResult {
  batchRunId: string;
  status: 'completed' | 'partial' | 'failed';
  date: string;
  knownSymbols: string[];
  unknownSymbols: string[];
  failedSymbols: { symbol: string; code: string; message: string }[];
  refresh: PortfolioRefreshResult | null;
  /** Positions entered after the calculation date (left out of it; the run is partial). */
  enteredAfterPriceDate?: number;
  error?: string;
}

/** Symbols a portfolio needs market data for: public holdings and option underlyings. */
export function marketSymbolsOf(positions: readonly PositionRow[]): string[] {
  const out = new Set<string>();
  for (const p of positions) {
    if (p.investmentClass === 'PRIVATE') continue;
    if (p.investmentClass === 'OPTIONS') {
      const terms = optionTermsOf(p);
      if (terms) out.add(terms.underlying);
      continue;
    }
    out.add(p.symbol);
  }
  return [...out].sort();
}

/**
 * The fast path (SPEC §8): classify the portfolio's symbols (known = factor rows for the date),
 * run the symbol batch for the unknown ones only, make sure every symbol has price history back
 * to the earliest entry, then refresh the portfolio with its history.
 */
export async function calculatePortfolio(
  ctx: PipelineContext,
  portfolioId: string,
  options: CalculatePortfolioOptions = {},
): Promise<CalculatePortfolioResult> {
  const batchRuns = new BatchRunRepository(ctx.db);
  const portfolios = new PortfolioRepository(ctx.db);
  const mode = options.mode ?? 'fast';
  const date = await resolveCalculationDate(ctx, options.date);
  return withBatchRun<CalculatePortfolioResult>({
    batchRuns,
    run: options.batchRunId
      ? { id: options.batchRunId }
      : {
          jobType: 'onboarding',
          scope: { portfolio_id: portfolioId, date },
          scopeKey: `portfolio:${portfolioId}`,
          portfolioId,
          calculationDate: date,
          mode,
          triggeredBy: options.triggeredBy ?? 'cli',
        },
    phases: ONBOARDING_PHASES,
    logger: ctx.logger,
    initial: (runId) => ({
      batchRunId: runId,
      status: 'completed',
      date,
      knownSymbols: [],
      unknownSymbols: [],
      failedSymbols: [],
      refresh: null,
    }),
    async body(rec, result, runId) {
      const portfolio = await portfolios.get(portfolioId);
      if (!portfolio) throw new Error(`portfolio ${portfolioId} does not exist or was deleted`);
      const positions = await new PositionRepository(ctx.db).listPositions(portfolioId);
      rec.log(
        `Calculating "${portfolio.name}" for ${date} (${mode} mode): ${positions.length} position(s)`,
      );

      // The calculation date is the provider's latest price date: a lot entered after it has no
      // day in this calculation. Say so — the run is partial — rather than leave it out silently.
      const enteredLater = positions.filter((p) => p.entryDate > date);
      if (enteredLater.length > 0) {
        const message =
          `${enteredLater.length} position(s) entered after ${date}, the latest date with prices ` +
          `from ${ctx.provider.name}, are not in this calculation: ` +
          listSymbols(
            enteredLater.map((p) => `${p.symbol} (entered ${p.entryDate})`),
            20,
          ) +
          '; they are included once prices for their entry date are available';
        rec.log(message, 'warning');
        rec.error({
          portfolio_id: portfolioId,
          phase: 'classify',
          code: 'entered_after_price_date',
          message,
        });
      }

      const symbols = marketSymbolsOf(positions);
      await rec.start('classify', symbols.length);
      const known = await new FactorRepository(ctx.db).symbolsWithExposures(symbols, date);
      result.knownSymbols = symbols.filter((s) => known.has(s));
      result.unknownSymbols = symbols.filter((s) => !known.has(s));
      rec.log(
        `${result.knownSymbols.length} known symbol(s), ${result.unknownSymbols.length} new: ${listSymbols(result.unknownSymbols) || 'none'}`,
      );
      await rec.complete('classify');

      const historyFrom = historyStartOf(
        positions.map((p) => p.entryDate),
        date,
      ).start;
      const locks = new ScopeLockRepository(ctx.db);
      const withSymbolLocks = async <T>(symbols: readonly string[], work: () => Promise<T>) => {
        const release = await locks.acquire(symbols.map(symbolLockKey), {
          signal: options.signal,
          onWait: (busy) => {
            rec.log(
              `Waiting for ${busy.map((k) => k.replace(/^symbol:/, '')).join(', ')}: another calculation is fetching them`,
            );
            // Shown while waiting, not after: the user watching the status sees why it paused.
            void rec.flush().catch(() => {});
          },
        });
        try {
          return await work();
        } finally {
          await release();
        }
      };

      // Known symbols have a year of prices from the nightly batch; the back-cast may need more.
      // The factor ETFs are in every calculation, so their fetch is locked too: two calculations
      // starting together on an empty database fetch SPY once, not twice.
      const sharedSymbols = [...new Set([...result.knownSymbols, ...FACTOR_ETFS])];
      const priceCheck = await withSymbolLocks(sharedSymbols, () =>
        ensurePriceHistory(ctx, sharedSymbols, date, addDays(historyFrom, -HISTORY_LEAD_DAYS)),
      );
      for (const [symbol, e] of priceCheck.failed)
        result.failedSymbols.push({ symbol, code: e.code, message: e.message });

      if (result.unknownSymbols.length > 0) {
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
          }
          if (todo.length === 0) return;
          const batch = await runSymbolBatchFor(ctx, todo, {
            date,
            historyFrom: addDays(historyFrom, -HISTORY_LEAD_DAYS),
            triggeredBy: `onboarding:${runId}`,
          });
          for (const run of batch.runs) {
            result.failedSymbols.push(...run.failedSymbols);
            if (run.status === 'failed')
              throw new Error(`symbol batch failed: ${run.error ?? 'unknown error'}`);
          }
        });
        await rec.complete('symbol_processing');
      } else {
        await rec.skip('symbol_processing', 'every symbol is already known');
      }
      reportFailedSymbols(rec, result.failedSymbols);

      result.refresh = await refreshPortfolio({
        ctx,
        portfolioId,
        date,
        mode,
        definitions: await loadFactorDefinitions(ctx.db),
        stressModels: new StressModelCache(),
        rec,
      });
      result.enteredAfterPriceDate = enteredLater.length;
      result.status =
        result.failedSymbols.length > 0 || enteredLater.length > 0 ? 'partial' : 'completed';
    },
    onError(rec, result, error) {
      result.error = runErrorMessage(error);
      rec.error({
        portfolio_id: portfolioId,
        phase: 'onboarding',
        code: 'calculation_failed',
        message: result.error,
      });
      rec.log(`Calculation failed: ${result.error}`, 'error');
    },
    onFinish: (rec, result) => rec.log(`Calculation ${result.status}`),
  });
}

/**
 * Symbols without data, in the log and the errors: one line per symbol while there are few, one
 * summary per reason (how many, and the first of them by name) when there are many — a book of
 * 2,000 unknown symbols must not turn its status into megabytes.
 */
function reportFailedSymbols(
  rec: RunRecorder,
  failed: readonly { symbol: string; code: string; message: string }[],
): void {
  if (failed.length === 0) return;
  if (failed.length <= 10) {
    for (const f of failed) rec.log(`No data for ${f.symbol}: ${f.code} — ${f.message}`, 'warning');
  }
  const byCode = new Map<string, string[]>();
  for (const f of failed) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f.symbol]);
  const message = `${failed.length} symbol(s) without data, left out of the analysis: ${listSymbols(failed.map((f) => f.symbol))}`;
  if (failed.length > 10) rec.log(message, 'warning');
  rec.error({
    phase: 'symbol_processing',
    code: 'no_data',
    message: `${message} (${[...byCode].map(([code, list]) => `${code}: ${list.length}`).join(', ')})`,
  });
}
