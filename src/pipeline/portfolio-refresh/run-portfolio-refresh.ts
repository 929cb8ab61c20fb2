import { mostRecentCompletedTradingDay } from '../../domain/calendar/index.ts';
import { BatchChunkRepository } from '../../db/repositories/batch-chunk-repository.ts';
import { BatchRunRepository } from '../../db/repositories/batch-run-repository.ts';
import { PortfolioRepository } from '../../db/repositories/portfolio-repository.ts';
import { chunksOf, runChunkedPhase, type ChunkDispatcher } from '../chunks/chunked-phase.ts';
import { IN_PROCESS_CHUNKS } from '../chunks/run-chunk.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { RunRecorder } from '../run-recorder.ts';
import { withBatchRun } from '../with-batch-run.ts';
import type { RefreshMode } from './phase-4-pnl.ts';
import {
  REFRESH_CHUNK_SIZE,
  type RefreshChunkPayload,
  type RefreshChunkResult,
} from './refresh-chunk.ts';
import type { PortfolioRefreshResult } from './refresh-portfolio.ts';

export { REFRESH_CHUNK_SIZE } from './refresh-chunk.ts';

/**
 * Portfolios per chunk job. 5,000 portfolios make 20 jobs: enough for two workers to finish
 * together, few enough that a job's start (its stress models, its scenarios) is paid rarely.
 * Results do not depend on it.
 */
export const REFRESH_JOB_SIZE = 250;

export const REFRESH_RUN_PHASES = [
  { id: 'portfolios', name: 'Refreshing portfolios', unit: 'portfolios' },
] as const;

export interface PortfolioRefreshOptions {
  date?: string;
  /** Scoped run: this portfolio only (whether or not it has a snapshot for the date). */
  portfolioId?: string;
  mode?: RefreshMode;
  triggeredBy?: string;
  /** Portfolios read, computed and written together (REFRESH_CHUNK_SIZE); results do not depend on it. */
  chunkSize?: number;
  /** Portfolios per chunk job (REFRESH_JOB_SIZE); results do not depend on it. */
  chunkJobSize?: number;
  /** Where the chunk jobs run (default: here, one after the other). */
  chunks?: ChunkDispatcher;
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
 * the date goes through phases 4–6 and the analytics, in chunk jobs of portfolios that any worker
 * takes (`options.chunks`; by default here). One portfolio's failure is recorded and never stops
 * the others (see runRefreshChunk); the run aggregates its chunks' results in plan order.
 */
export async function runPortfolioRefresh(
  ctx: PipelineContext,
  options: PortfolioRefreshOptions = {},
): Promise<PortfolioRefreshSummary> {
  const started = performance.now();
  const date = options.date ?? (await defaultRefreshDate(ctx));
  const mode = options.mode ?? 'fast';
  const ids = options.portfolioId
    ? [options.portfolioId]
    : await new PortfolioRepository(ctx.db).portfoliosMissingCompleteSnapshot(date);
  const scopeKey = options.portfolioId ? `portfolio:${options.portfolioId}|${date}` : `all|${date}`;
  const triggeredBy = options.triggeredBy ?? 'cli';
  // A queued request's attempts share their chunk plan; any other run has its own.
  const ownerOf = (runId: string) =>
    triggeredBy.startsWith('job:') ? `${triggeredBy}|${scopeKey}` : runId;
  let owner: string | null = null;
  const summary = await withBatchRun<PortfolioRefreshSummary>({
    batchRuns: new BatchRunRepository(ctx.db),
    run: {
      jobType: options.mode === 'full' ? 'full_backfill' : 'portfolio_refresh',
      scope: { date, ...(options.portfolioId ? { portfolio_id: options.portfolioId } : {}) },
      scopeKey,
      portfolioId: options.portfolioId ?? null,
      calculationDate: date,
      mode,
      triggeredBy,
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
    async body(rec, result, runId) {
      owner = ownerOf(runId);
      await refreshInChunks(ctx, rec, result, { ...options, date, mode, ids, owner, runId });
      await rec.complete('portfolios');
      const failed = result.failures.length;
      result.status = failed === 0 ? 'completed' : failed < ids.length ? 'partial' : 'failed';
    },
    onFinish(rec, result) {
      rec.log(
        `Portfolio refresh for ${date}: ${result.status}; ${result.results.length} refreshed, ${result.failures.length} failed`,
      );
    },
  });
  if (owner) await new BatchChunkRepository(ctx.db).deleteSets(`${owner}|`);
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/** The refresh's chunk jobs, run and aggregated in plan order into `summary`. */
async function refreshInChunks(
  ctx: PipelineContext,
  rec: RunRecorder,
  summary: PortfolioRefreshSummary,
  plan: PortfolioRefreshOptions & {
    date: string;
    mode: RefreshMode;
    ids: string[];
    owner: string;
    runId: string;
  },
): Promise<void> {
  const setKey = `${plan.owner}|portfolios`;
  const jobSize = Math.max(1, plan.chunkJobSize ?? REFRESH_JOB_SIZE);
  const groupSize = Math.min(jobSize, Math.max(1, plan.chunkSize ?? REFRESH_CHUNK_SIZE));
  const chunks = await runChunkedPhase<RefreshChunkPayload, RefreshChunkResult>(
    ctx,
    plan.chunks ?? IN_PROCESS_CHUNKS,
    {
      setKey,
      runId: plan.runId,
      kind: 'portfolio_refresh',
      chunks: chunksOf(plan.ids, jobSize).map((portfolioIds) => ({
        payload: { plan: setKey, portfolioIds, date: plan.date, mode: plan.mode, groupSize },
        items: portfolioIds.length,
      })),
      onProgress: (done) => rec.progress('portfolios', done),
    },
  );
  for (const c of chunks) {
    const failures =
      c.status === 'completed'
        ? c.result!.failures
        : c.payload.portfolioIds.map((portfolioId) => ({
            portfolioId,
            phase: 'chunk',
            message: c.error ?? 'chunk failed',
          }));
    if (c.result) summary.results.push(...c.result.results);
    for (const { portfolioId, phase, message } of failures) {
      summary.failures.push({ portfolioId, message });
      rec.error({ portfolio_id: portfolioId, phase, code: 'portfolio_failed', message });
      rec.log(`Portfolio ${portfolioId} failed: ${message}`, 'error');
    }
  }
}

/** The latest date the symbol batch completed, else the most recent completed session. */
async function defaultRefreshDate(ctx: PipelineContext): Promise<string> {
  const [latest] = await new BatchRunRepository(ctx.db).completedDates('symbol_batch', 'universe|');
  if (latest) return latest;
  const providerLatest = await ctx.provider.latestAvailableDate();
  const completed = mostRecentCompletedTradingDay(ctx.now?.() ?? new Date());
  return providerLatest && providerLatest < completed ? providerLatest : completed;
}
