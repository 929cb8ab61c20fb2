import { mostRecentCompletedTradingDay } from '../../domain/calendar/index.ts';
import { BatchRunRepository } from '../../db/repositories/batch-run-repository.ts';
import { pgErrorOf } from '../../db/db-errors.ts';
import { PortfolioRepository } from '../../db/repositories/portfolio-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import { withBatchRun } from '../with-batch-run.ts';
import type { RefreshMode } from './phase-4-pnl.ts';
import {
  computePortfolioRefresh,
  type ComputedPortfolioRefresh,
  type RefreshSettings,
  type PortfolioRefreshResult,
} from './refresh-portfolio.ts';
import { loadRefreshInputs } from './refresh-inputs.ts';
import { StressModelCache } from './stress-model-cache.ts';
import { loadFactorDefinitions } from '../reference-data.ts';
import { addWriteTimings, writePortfolioRefreshes } from './write-portfolio-refreshes.ts';

/**
 * Portfolios read, computed and written together. Measured on PGlite, 1,000 portfolios × 30
 * positions: one at a time 41 s; chunks of 10 to 50 all ~22–23 s (within run-to-run noise);
 * 100 and more slower again (~30 s). 25 sits in the flat part and keeps a failed chunk's
 * one-by-one retry short.
 */
export const REFRESH_CHUNK_SIZE = 25;

export const REFRESH_RUN_PHASES = [
  { id: 'portfolios', name: 'Refreshing portfolios', unit: 'portfolios' },
] as const;

export interface PortfolioRefreshOptions {
  date?: string;
  /** Scoped run: this portfolio only (whether or not it has a snapshot for the date). */
  portfolioId?: string;
  mode?: RefreshMode;
  triggeredBy?: string;
  /** Portfolios per chunk (REFRESH_CHUNK_SIZE); results do not depend on it. */
  chunkSize?: number;
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
 * the date goes through phases 4–6 and the analytics, in chunks: a chunk's inputs are read in
 * bulk, each portfolio is computed on its own, and the chunk's rows are written together. One
 * portfolio's failure is recorded and never stops the others: a compute error drops that
 * portfolio from the chunk's write, and a failed chunk write is retried portfolio by portfolio
 * so that only the portfolio at fault fails.
 */
export async function runPortfolioRefresh(
  ctx: PipelineContext,
  options: PortfolioRefreshOptions = {},
): Promise<PortfolioRefreshSummary> {
  const started = performance.now();
  const batchRuns = new BatchRunRepository(ctx.db);
  const definitions = await loadFactorDefinitions(ctx.db);
  const stressModels = new StressModelCache();
  const date = options.date ?? (await defaultRefreshDate(ctx));
  const mode = options.mode ?? 'fast';
  const ids = options.portfolioId
    ? [options.portfolioId]
    : await new PortfolioRepository(ctx.db).portfoliosMissingCompleteSnapshot(date);
  const settings: RefreshSettings = { date, mode, definitions, stressModels };

  const summary = await withBatchRun<PortfolioRefreshSummary>({
    batchRuns,
    run: {
      jobType: options.mode === 'full' ? 'full_backfill' : 'portfolio_refresh',
      scope: { date, ...(options.portfolioId ? { portfolio_id: options.portfolioId } : {}) },
      scopeKey: options.portfolioId ? `portfolio:${options.portfolioId}|${date}` : `all|${date}`,
      portfolioId: options.portfolioId ?? null,
      calculationDate: date,
      mode,
      triggeredBy: options.triggeredBy ?? 'cli',
    },
    phases: REFRESH_RUN_PHASES,
    logger: ctx.logger,
    initial: (runId) => ({
      date,
      batchRunId: runId,
      status: 'completed',
      results: [],
      failures: [],
      seconds: 0,
    }),
    async begin(rec) {
      rec.log(`Portfolio refresh for ${date} (${mode}): ${ids.length} portfolio(s) to refresh`);
      await rec.start('portfolios', ids.length);
    },
    async body(rec, result) {
      const { results, failures } = result;
      const fail = (portfolioId: string, phase: string, error: unknown) => {
        const message = messageOf(error);
        failures.push({ portfolioId, message });
        rec.error({ portfolio_id: portfolioId, phase, code: 'portfolio_failed', message });
        rec.log(`Portfolio ${portfolioId} failed: ${message}`, 'error');
      };
      const chunkSize = Math.max(1, options.chunkSize ?? REFRESH_CHUNK_SIZE);
      for (let start = 0; start < ids.length; start += chunkSize) {
        const chunk = ids.slice(start, start + chunkSize);
        const computed = await computeChunk(ctx, chunk, settings, fail);
        results.push(...(await writeChunk(ctx, date, computed, fail)));
        await rec.progress('portfolios', Math.min(start + chunkSize, ids.length));
      }
      await rec.complete('portfolios');
      result.status =
        failures.length === 0 ? 'completed' : failures.length < ids.length ? 'partial' : 'failed';
    },
    onFinish(rec, result) {
      rec.log(
        `Portfolio refresh for ${date}: ${result.status}; ${result.results.length} refreshed, ${result.failures.length} failed`,
      );
    },
  });
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/**
 * The database's own message when there is one: the driver's error quotes the whole statement
 * with its parameters, which for a chunk's write is megabytes.
 */
const messageOf = (error: unknown): string => pgErrorOf(error)?.message ?? (error as Error).message;

type FailureSink = (portfolioId: string, phase: string, error: unknown) => void;

/** Reads a chunk's inputs in bulk and computes each portfolio; failures go to `fail`. */
async function computeChunk(
  ctx: PipelineContext,
  chunk: readonly string[],
  settings: RefreshSettings,
  fail: FailureSink,
): Promise<ComputedPortfolioRefresh[]> {
  const { date, mode } = settings;
  const t = performance.now();
  let inputs;
  try {
    inputs = await loadRefreshInputs(ctx, chunk, date, mode);
  } catch (error) {
    for (const id of chunk) fail(id, 'read', error);
    return [];
  }
  const readMs = (performance.now() - t) / chunk.length;
  const computed: ComputedPortfolioRefresh[] = [];
  for (const id of chunk) {
    try {
      const input = inputs.portfolios.get(id);
      if (!input) throw new Error(`portfolio ${id} does not exist or was deleted`);
      const c = await computePortfolioRefresh({
        ...settings,
        ctx,
        input,
        profiles: inputs.profiles,
      });
      c.result.phaseMs.read = readMs;
      computed.push(c);
    } catch (error) {
      fail(id, 'refresh', error);
    }
  }
  return computed;
}

/**
 * Writes a chunk's rows in one transaction; if that fails, each portfolio's in its own, so that
 * only the portfolios whose rows cannot be written fail. Returns the results of those written.
 */
async function writeChunk(
  ctx: PipelineContext,
  date: string,
  computed: readonly ComputedPortfolioRefresh[],
  fail: FailureSink,
): Promise<PortfolioRefreshResult[]> {
  if (computed.length === 0) return [];
  try {
    const timings = await writePortfolioRefreshes(
      ctx.db,
      date,
      computed.map((c) => c.write),
    );
    for (const c of computed) addWriteTimings(c.result.phaseMs, timings, computed.length);
    return computed.map((c) => c.result);
  } catch (error) {
    if (computed.length === 1) {
      fail(computed[0]!.result.portfolioId, 'write', error);
      return [];
    }
    ctx.logger.warn(
      { error: messageOf(error), portfolios: computed.length },
      'refresh chunk write failed; writing its portfolios one by one',
    );
  }
  const written: PortfolioRefreshResult[] = [];
  for (const c of computed) {
    try {
      addWriteTimings(c.result.phaseMs, await writePortfolioRefreshes(ctx.db, date, [c.write]), 1);
      written.push(c.result);
    } catch (error) {
      fail(c.result.portfolioId, 'write', error);
    }
  }
  return written;
}

/** The latest date the symbol batch completed, else the most recent completed session. */
async function defaultRefreshDate(ctx: PipelineContext): Promise<string> {
  const [latest] = await new BatchRunRepository(ctx.db).completedDates('symbol_batch', 'universe|');
  if (latest) return latest;
  const providerLatest = await ctx.provider.latestAvailableDate();
  const completed = mostRecentCompletedTradingDay(ctx.now?.() ?? new Date());
  return providerLatest && providerLatest < completed ? providerLatest : completed;
}
