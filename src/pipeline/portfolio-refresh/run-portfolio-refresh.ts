import { FACTOR_DEFINITIONS } from '../../domain/factors/factor-definitions.ts';
import { mostRecentCompletedTradingDay } from '../../domain/calendar/index.ts';
import { BatchRunRepository } from '../../db/repositories/batch-run-repository.ts';
import { FactorRepository } from '../../db/repositories/factor-repository.ts';
import { SnapshotRepository } from '../../db/repositories/snapshot-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import { RunRecorder } from '../run-recorder.ts';
import type { RefreshMode } from './phase-4-pnl.ts';
import { refreshPortfolio, type PortfolioRefreshResult } from './refresh-portfolio.ts';
import { StressModelCache } from './stress-model-cache.ts';
import { seedStressScenarios } from './seed-stress-scenarios.ts';

export const REFRESH_RUN_PHASES = [
  { id: 'portfolios', name: 'Refreshing portfolios', unit: 'portfolios' },
] as const;

export interface PortfolioRefreshOptions {
  date?: string;
  /** Scoped run: this portfolio only (whether or not it has a snapshot for the date). */
  portfolioId?: string;
  mode?: RefreshMode;
  triggeredBy?: string;
}

export interface PortfolioRefreshSummary {
  date: string;
  batchRunId: string;
  status: 'completed' | 'partial' | 'failed';
  results: PortfolioRefreshResult[];
  failures: { portfolioId: string; message: string }[];
  seconds: number;
}

/**
 * The nightly portfolio refresh (SPEC §8): every live portfolio missing a complete snapshot for
 * the date goes through phases 4–6 and the analytics. One portfolio's failure is recorded and
 * never stops the others.
 */
export async function runPortfolioRefresh(
  ctx: PipelineContext,
  options: PortfolioRefreshOptions = {},
): Promise<PortfolioRefreshSummary> {
  const started = performance.now();
  const batchRuns = new BatchRunRepository(ctx.db);
  const definitions = await new FactorRepository(ctx.db).seedDefinitions(FACTOR_DEFINITIONS);
  await seedStressScenarios(ctx.db);
  const stressModels = new StressModelCache();
  const date = options.date ?? (await defaultRefreshDate(ctx));
  const mode = options.mode ?? 'fast';
  const ids = options.portfolioId
    ? [options.portfolioId]
    : await new SnapshotRepository(ctx.db).portfoliosMissingCompleteSnapshot(date);

  const runId = await batchRuns.create({
    jobType: options.mode === 'full' ? 'full_backfill' : 'portfolio_refresh',
    scope: { date, ...(options.portfolioId ? { portfolio_id: options.portfolioId } : {}) },
    scopeKey: options.portfolioId ? `portfolio:${options.portfolioId}|${date}` : `all|${date}`,
    portfolioId: options.portfolioId ?? null,
    calculationDate: date,
    mode,
    triggeredBy: options.triggeredBy ?? 'cli',
  });
  const rec = new RunRecorder(batchRuns, runId, REFRESH_RUN_PHASES, ctx.logger);
  rec.log(`Portfolio refresh for ${date} (${mode}): ${ids.length} portfolio(s) to refresh`);
  await rec.start('portfolios', ids.length);

  const results: PortfolioRefreshResult[] = [];
  const failures: { portfolioId: string; message: string }[] = [];
  let done = 0;
  for (const id of ids) {
    try {
      results.push(await refreshPortfolio(ctx, id, date, mode, definitions, stressModels));
    } catch (error) {
      const message = (error as Error).message;
      failures.push({ portfolioId: id, message });
      rec.error({ portfolio_id: id, phase: 'refresh', code: 'portfolio_failed', message });
      rec.log(`Portfolio ${id} failed: ${message}`, 'error');
    }
    await rec.progress('portfolios', ++done);
  }
  await rec.complete('portfolios');
  const status =
    failures.length === 0 ? 'completed' : failures.length < ids.length ? 'partial' : 'failed';
  rec.log(
    `Portfolio refresh for ${date}: ${status}; ${results.length} refreshed, ${failures.length} failed`,
  );
  await rec.flush();
  await batchRuns.finish(runId, status);
  return {
    date,
    batchRunId: runId,
    status,
    results,
    failures,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The latest date the symbol batch completed, else the most recent completed session. */
async function defaultRefreshDate(ctx: PipelineContext): Promise<string> {
  const [latest] = await new BatchRunRepository(ctx.db).completedDates('symbol_batch', 'universe|');
  if (latest) return latest;
  const providerLatest = await ctx.provider.latestAvailableDate();
  const completed = mostRecentCompletedTradingDay(ctx.now?.() ?? new Date());
  return providerLatest && providerLatest < completed ? providerLatest : completed;
}
