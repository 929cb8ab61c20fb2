import { JobAlreadyActiveError } from '../db/job-already-active-error.ts';
import { newYorkDateTime } from '../domain/dates.ts';
import { BatchRunRepository, type BatchRunRow } from '../db/repositories/batch-run-repository.ts';
import { PortfolioRepository } from '../db/repositories/portfolio-repository.ts';
import type { BatchStatus, JobType } from '../db/schema/enums.ts';
import { runAdminMetrics } from '../pipeline/admin-metrics/run-admin-metrics.ts';
import { calculatePortfolio } from '../pipeline/onboarding/calculate-portfolio.ts';
import type { PipelineContext } from '../pipeline/pipeline-context.ts';
import type { RefreshMode } from '../pipeline/portfolio-refresh/phase-4-pnl.ts';
import { runPortfolioRefresh } from '../pipeline/portfolio-refresh/run-portfolio-refresh.ts';
import type { RunRecorder } from '../pipeline/run-recorder.ts';
import { runSymbolBatch } from '../pipeline/symbol-batch/run-symbol-batch.ts';
import { withBatchRun, type FinalRunStatus } from '../pipeline/with-batch-run.ts';
import type { ChunkDispatcher } from '../pipeline/chunks/chunked-phase.ts';
import type { BatchJobType } from './job-queue.ts';

/** What a job carries. Scheduled jobs arrive without a run id; their handler creates the row. */
export interface JobPayload {
  batchRunId?: string;
  portfolioId?: string;
  mode?: RefreshMode;
  date?: string;
  triggeredBy?: string;
  /** The scheduled symbol batch queues the portfolio refresh when it has finished. */
  followWithRefresh?: boolean;
}

/** The pipeline entry points a job runs; tests substitute slow or counting ones. */
export interface PipelineRunners {
  calculatePortfolio: typeof calculatePortfolio;
  runSymbolBatch: typeof runSymbolBatch;
  runPortfolioRefresh: typeof runPortfolioRefresh;
  runAdminMetrics: typeof runAdminMetrics;
}

export const DEFAULT_RUNNERS: PipelineRunners = {
  calculatePortfolio,
  runSymbolBatch,
  runPortfolioRefresh,
  runAdminMetrics,
};

export interface JobRunContext {
  pipeline: PipelineContext;
  runners: PipelineRunners;
  /** Aborted when this process gives the job up (see calculatePortfolio's `signal`). */
  signal: AbortSignal;
  enqueueBatch(input: { type: BatchJobType; date?: string; triggeredBy: string }): Promise<unknown>;
  /** Queues a portfolio's calculation (the follow-up of changes made while one ran). */
  enqueuePortfolioCalculation?(input: {
    portfolioId: string;
    mode: RefreshMode;
    triggeredBy: string;
  }): Promise<unknown>;
  /** Where the nightly runs' chunks go (the job queue, for any worker); default in process. */
  chunks?: ChunkDispatcher;
  chunkSizes?: ChunkSizes;
}

/** Symbols and portfolios per chunk job (defaults: SYMBOL_CHUNK_SIZE, REFRESH_JOB_SIZE). */
export interface ChunkSizes {
  symbols?: number;
  portfolios?: number;
}

export type JobOutcome = BatchStatus | 'skipped';

/** The `batch_runs` row of a nightly-type request: one live request per type at a time. */
export function batchRunScope(
  type: BatchJobType,
  date: string | undefined,
): { scope: Record<string, unknown>; scopeKey: string; calculationDate: string | null } {
  if (type === 'admin_metrics') {
    // runAdminMetrics' own key, so a CLI run and a queued one of the same day exclude each other.
    const day = date!;
    return { scope: { date: day }, scopeKey: `date|${day}`, calculationDate: day };
  }
  return {
    scope: { request: type, ...(date ? { date } : {}) },
    scopeKey: type === 'symbol_batch' ? 'request|universe' : 'request|all',
    calculationDate: date ?? null,
  };
}

/** Today in New York: the day the 20:30 admin-metrics run summarises. */
export const newYorkToday = (now: Date) => newYorkDateTime(now).date;

const FINISHED = new Set<BatchStatus>(['completed', 'partial', 'failed']);

/**
 * Runs one delivered job to its end and returns the status it left in `batch_runs`. Pipeline
 * failures end the run as `failed` here (a bad symbol list fails the same way on every retry);
 * only infrastructure errors (the database going away) are thrown, for pg-boss to retry.
 */
export async function runJob(
  jobType: JobType,
  job: { id: string; data: JobPayload },
  run: JobRunContext,
): Promise<JobOutcome> {
  const repo = new BatchRunRepository(run.pipeline.db);
  const row = await rowOf(repo, jobType, job, run);
  if (!row) return 'skipped';
  if (FINISHED.has(row.status)) return row.status;
  if (row.status === 'running') await resumeAfterInterruption(repo, row);

  switch (jobType) {
    case 'onboarding': {
      const result = await run.runners.calculatePortfolio(run.pipeline, row.portfolioId!, {
        batchRunId: row.id,
        date: row.calculationDate ?? job.data.date,
        mode: (row.mode as RefreshMode | null) ?? job.data.mode ?? 'fast',
        triggeredBy: row.triggeredBy,
        signal: run.signal,
      });
      await followChangesMadeWhileRunning(row.portfolioId!, run);
      return result.status;
    }
    case 'admin_metrics': {
      const result = await run.runners.runAdminMetrics(run.pipeline.db, row.calculationDate!, {
        batchRunId: row.id,
        triggeredBy: row.triggeredBy,
        logger: run.pipeline.logger,
      });
      return result.status;
    }
    case 'symbol_batch':
      return runSymbolBatchRequest(repo, row, job.data, run);
    case 'portfolio_refresh':
      return runPortfolioRefreshRequest(repo, row, run);
    default:
      throw new Error(`no handler for job type ${jobType}`);
  }
}

/**
 * Changes to the book made while this calculation was queued or running asked for one more
 * (services/positions/recalculation.ts). It runs in full mode: this run may have written the
 * days those changes marked for restatement with the positions it loaded before them.
 */
async function followChangesMadeWhileRunning(portfolioId: string, run: JobRunContext) {
  if (!run.enqueuePortfolioCalculation) return;
  if (!(await new PortfolioRepository(run.pipeline.db).takeRecalculationRequest(portfolioId))) {
    return;
  }
  try {
    await run.enqueuePortfolioCalculation({
      portfolioId,
      mode: 'full',
      triggeredBy: 'changes made during the previous calculation',
    });
  } catch (error) {
    // Another request got there first: it loads the book as it is now.
    if (!(error instanceof JobAlreadyActiveError)) throw error;
  }
}

/** The job's row; a scheduled job (no row yet) gets one whose id is the job's id. */
async function rowOf(
  repo: BatchRunRepository,
  jobType: JobType,
  job: { id: string; data: JobPayload },
  run: JobRunContext,
): Promise<BatchRunRow | null> {
  const id = job.data.batchRunId ?? job.id;
  const existing = await repo.get(id);
  if (existing || job.data.batchRunId || jobType === 'onboarding') {
    if (!existing) run.pipeline.logger.warn({ job: job.id, run: id }, 'job without its batch run');
    return existing;
  }
  const type = jobType as BatchJobType;
  const now = run.pipeline.now?.() ?? new Date();
  const date = job.data.date ?? (type === 'admin_metrics' ? newYorkToday(now) : undefined);
  try {
    await repo.create({
      id,
      jobType: type,
      ...batchRunScope(type, date),
      status: 'queued',
      triggeredBy: job.data.triggeredBy ?? 'scheduler',
    });
  } catch (error) {
    if (!(error instanceof JobAlreadyActiveError)) throw error;
    run.pipeline.logger.info(
      { job_type: type, scope_key: error.scopeKey },
      'scheduled run skipped: the same run is already queued or running',
    );
    return null;
  }
  return repo.get(id);
}

/**
 * A row already `running` means an earlier attempt's worker died (or gave the job back). Its
 * sub-runs can never finish, and their live rows would block this attempt's identical ones.
 */
async function resumeAfterInterruption(repo: BatchRunRepository, row: BatchRunRow): Promise<void> {
  const childTag = row.jobType === 'onboarding' ? `onboarding:${row.id}` : `job:${row.id}`;
  await repo.failLiveRunsTriggeredBy(
    childTag,
    'Interrupted: the worker running this stopped before it finished; the job was retried',
  );
  await repo.saveProgress(row.id, {
    log: [
      {
        timestamp: new Date().toISOString(),
        level: 'warning',
        message: 'The previous attempt was interrupted (its worker stopped); starting again',
      },
    ],
  });
}

/** A request's own run: one `run` phase over the sub-runs it starts; its result is a status. */
function runRequest(
  repo: BatchRunRepository,
  row: BatchRunRow,
  run: JobRunContext,
  request: { name: string; unit: string; failurePhase: string },
  body: (rec: RunRecorder) => Promise<FinalRunStatus>,
): Promise<{ status: FinalRunStatus }> {
  return withBatchRun<{ status: FinalRunStatus }>({
    batchRuns: repo,
    run: { id: row.id },
    phases: [{ id: 'run', name: request.name, unit: request.unit }],
    logger: run.pipeline.logger,
    initial: () => ({ status: 'completed' }),
    begin: (rec) => rec.start('run', 0),
    async body(rec, result) {
      result.status = await body(rec);
      await rec.complete('run', result.status === 'failed' ? 'failed' : 'completed');
    },
    onError(rec, _result, error) {
      const message = (error as Error).message;
      rec.error({ phase: request.failurePhase, code: 'run_failed', message });
      rec.log(`Run failed: ${message}`, 'error');
    },
  });
}

async function runSymbolBatchRequest(
  repo: BatchRunRepository,
  row: BatchRunRow,
  data: JobPayload,
  run: JobRunContext,
): Promise<BatchStatus> {
  const request = { name: 'Symbol batch', unit: 'dates', failurePhase: 'symbol_batch' };
  const { status } = await runRequest(repo, row, run, request, async (rec) => {
    const summary = await run.runners.runSymbolBatch(run.pipeline, {
      date: row.calculationDate ?? undefined,
      // The 21:00 tick fires on holidays too; it has nothing to do once the last session is in.
      skipCompleted: row.triggeredBy === 'scheduler',
      triggeredBy: `job:${row.id}`,
      ...(run.chunks ? { chunks: run.chunks } : {}),
      ...(run.chunkSizes?.symbols ? { chunkSize: run.chunkSizes.symbols } : {}),
    });
    rec.phases[0]!.total = summary.runs.length;
    if (summary.runs.length === 0) rec.log(`Nothing to run: ${summary.note}`);
    for (const r of summary.runs) {
      rec.log(
        `${r.date}: ${r.status}, ${r.symbols} symbol(s), ${r.failedSymbols.length} failed (run ${r.batchRunId})`,
        r.status === 'completed' ? 'info' : r.status === 'partial' ? 'warning' : 'error',
      );
      for (const f of r.failedSymbols) {
        rec.error({
          symbol: f.symbol,
          phase: `symbol_batch:${r.date}`,
          code: f.code,
          message: f.message,
        });
      }
      if (r.error)
        rec.error({ phase: `symbol_batch:${r.date}`, code: 'run_failed', message: r.error });
    }
    const statuses = summary.runs.map((r) => r.status);
    return statuses.length > 0 && statuses.every((s) => s === 'failed')
      ? 'failed'
      : statuses.some((s) => s !== 'completed')
        ? 'partial'
        : 'completed';
  });

  if (data.followWithRefresh && status !== 'failed') {
    try {
      await run.enqueueBatch({ type: 'portfolio_refresh', triggeredBy: row.triggeredBy });
    } catch (error) {
      if (!(error instanceof JobAlreadyActiveError)) throw error;
      run.pipeline.logger.info('portfolio refresh already queued or running; not queued again');
    }
  }
  return status;
}

async function runPortfolioRefreshRequest(
  repo: BatchRunRepository,
  row: BatchRunRow,
  run: JobRunContext,
): Promise<BatchStatus> {
  const request = {
    name: 'Portfolio refresh',
    unit: 'portfolios',
    failurePhase: 'portfolio_refresh',
  };
  const { status } = await runRequest(repo, row, run, request, async (rec) => {
    const summary = await run.runners.runPortfolioRefresh(run.pipeline, {
      date: row.calculationDate ?? undefined,
      triggeredBy: `job:${row.id}`,
      ...(run.chunks ? { chunks: run.chunks } : {}),
      ...(run.chunkSizes?.portfolios ? { chunkJobSize: run.chunkSizes.portfolios } : {}),
    });
    rec.phases[0]!.total = summary.results.length + summary.failures.length;
    rec.log(
      `${summary.date}: ${summary.status}, ${summary.results.length} portfolio(s) refreshed, ${summary.failures.length} failed (run ${summary.batchRunId})`,
      summary.status === 'completed' ? 'info' : 'warning',
    );
    for (const f of summary.failures) {
      rec.error({
        portfolio_id: f.portfolioId,
        phase: 'refresh',
        code: 'portfolio_failed',
        message: f.message,
      });
    }
    return summary.status;
  });
  return status;
}
