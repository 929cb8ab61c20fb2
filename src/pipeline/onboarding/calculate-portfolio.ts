import { runErrorMessage } from '../run-messages.ts';
import { BatchRunRepository } from '../../db/repositories/batch-run-repository.ts';
import { PortfolioRepository } from '../../db/repositories/portfolio-repository.ts';
import { PositionRepository, type PositionRow } from '../../db/repositories/position-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { RefreshMode } from '../portfolio-refresh/phase-4-pnl.ts';
import {
  refreshPortfolio,
  type PortfolioRefreshResult,
} from '../portfolio-refresh/refresh-portfolio.ts';
import { loadFactorDefinitions } from '../reference-data.ts';
import { StressModelCache } from '../portfolio-refresh/stress-model-cache.ts';
import type { RunRecorder } from '../run-recorder.ts';
import { withBatchRun } from '../with-batch-run.ts';
import { resolveCalculationDate } from './calculation-date.ts';
import { classifySymbols, reportEnteredAfterPriceDate } from './classify-symbols.ts';
import { ensureSymbolData } from './ensure-symbol-data.ts';
import { ONBOARDING_PHASES } from './onboarding-phases.ts';
import type { FailedSymbol } from './report-failed-symbols.ts';

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

export interface CalculatePortfolioResult {
  batchRunId: string;
  status: 'completed' | 'partial' | 'failed';
  date: string;
  knownSymbols: string[];
  unknownSymbols: string[];
  failedSymbols: FailedSymbol[];
  refresh: PortfolioRefreshResult | null;
  /** Positions entered after the calculation date (left out of it; the run is partial). */
  enteredAfterPriceDate?: number;
  error?: string;
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
      const positions = await loadBook(ctx, rec, portfolioId, date, mode);
      const enteredLater = reportEnteredAfterPriceDate(ctx, rec, portfolioId, positions, date);
      await classifySymbols(ctx, rec, positions, date, result);
      await ensureSymbolData(ctx, rec, { positions, date, runId, signal: options.signal }, result);
      result.refresh = await refreshWithHistory(ctx, rec, portfolioId, date, mode);
      result.enteredAfterPriceDate = enteredLater;
      result.status = result.failedSymbols.length > 0 || enteredLater > 0 ? 'partial' : 'completed';
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

/** The portfolio and its positions; the run's first line says what it calculates. */
async function loadBook(
  ctx: PipelineContext,
  rec: RunRecorder,
  portfolioId: string,
  date: string,
  mode: RefreshMode,
): Promise<PositionRow[]> {
  const portfolio = await new PortfolioRepository(ctx.db).get(portfolioId);
  if (!portfolio) throw new Error(`portfolio ${portfolioId} does not exist or was deleted`);
  const positions = await new PositionRepository(ctx.db).listPositions(portfolioId);
  rec.log(
    `Calculating "${portfolio.name}" for ${date} (${mode} mode): ${positions.length} position(s)`,
  );
  return positions;
}

/** Phases 4–6 of the portfolio refresh, with the book's history from its earliest entry. */
async function refreshWithHistory(
  ctx: PipelineContext,
  rec: RunRecorder,
  portfolioId: string,
  date: string,
  mode: RefreshMode,
): Promise<PortfolioRefreshResult> {
  return refreshPortfolio({
    ctx,
    portfolioId,
    date,
    mode,
    definitions: await loadFactorDefinitions(ctx.db),
    stressModels: new StressModelCache(),
    rec,
  });
}
