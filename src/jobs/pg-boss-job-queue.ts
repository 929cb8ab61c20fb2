import { JobAlreadyActiveError } from '../db/job-already-active-error.ts';
import PgBoss from 'pg-boss';
import { driverOf, type Database } from '../db/database.ts';
import { BatchRunRepository } from '../db/repositories/batch-run-repository.ts';
import type { JobType } from '../db/schema/enums.ts';
import type { Logger } from '../logger.ts';
import { jobDurationSeconds, jobsFinishedTotal } from '../observability/metrics.ts';
import { resolveCalculationDate } from '../pipeline/onboarding/calculation-date.ts';
import { ONBOARDING_PHASES } from '../pipeline/onboarding/onboarding-phases.ts';
import type { PipelineContext } from '../pipeline/pipeline-context.ts';
import { BatchChunkRepository } from '../db/repositories/batch-chunk-repository.ts';
import { executeChunk, failChunk } from '../pipeline/chunks/run-chunk.ts';
import { runErrorMessage } from '../pipeline/run-messages.ts';
import type { RefreshMode } from '../pipeline/portfolio-refresh/phase-4-pnl.ts';
import {
  batchRunScope,
  DEFAULT_RUNNERS,
  newYorkToday,
  runJob,
  type JobOutcome,
  type JobPayload,
  type ChunkSizes,
  type PipelineRunners,
} from './job-handlers.ts';
import type { BatchJobType, JobQueue } from './job-queue.ts';
import { bossDatabaseOf, type BossDatabase } from './pg-boss-database.ts';
import {
  CHUNK_QUEUE,
  QueueChunkDispatcher,
  type ChunkJobPayload,
} from './queue-chunk-dispatcher.ts';
import { reapInterruptedRuns } from './reap-interrupted-runs.ts';
import { registerSchedules, SCHEDULES, type ScheduleDefinition } from './scheduler.ts';

/** One pg-boss queue per job type; the queue name is the `batch_runs.job_type`. */
export const QUEUE_JOB_TYPES = [
  'onboarding',
  'symbol_batch',
  'portfolio_refresh',
  'admin_metrics',
] as const satisfies readonly JobType[];
export type QueueJobType = (typeof QUEUE_JOB_TYPES)[number];

export interface PgBossJobQueueOptions {
  database: Database;
  /** What the handlers run against: this database, the market-data provider, the cache. */
  pipeline: PipelineContext;
  logger: Logger;
  /** Run job handlers in this process (false: only enqueue; a `worker` process runs them). */
  work?: boolean;
  /** Fire the cron schedules from this process (each tick still fires once across processes). */
  schedule?: boolean;
  /** Onboarding calculations this process runs at once. */
  onboardingConcurrency?: number;
  /**
   * Chunk jobs (a slice of a symbol batch's or a refresh's work) this process runs at once.
   * Default 2: a chunk is CPU-bound, and a second one in flight keeps the process busy while
   * the first waits on the database.
   */
  chunkConcurrency?: number;
  /** Symbols and portfolios per chunk job (tests make them small); results do not depend on them. */
  chunkSizes?: ChunkSizes;
  /** How often an idle worker looks for new jobs (a local enqueue wakes it at once). */
  pollingIntervalSeconds?: number;
  retryLimit?: number;
  /** Wait before a retry (doubled on each attempt); 0 retries at once. */
  retryDelaySeconds?: number;
  /** How often a running job marks its row alive. */
  heartbeatSeconds?: number;
  /** A running row not written for this long belongs to a dead worker and is retried. */
  staleAfterSeconds?: number;
  /** How often this process looks for such rows (default: half the stale threshold, ≤ 30 s). */
  reapIntervalSeconds?: number;
  /**
   * `stop()`'s grace period: running jobs may finish for this long; then they are failed back to
   * pg-boss, which retries them (on another worker) after the retry delay. Default 30.
   */
  shutdownGraceSeconds?: number;
  /** How often pg-boss evaluates the cron schedules (tests shorten it). */
  cronCheckSeconds?: number;
  schedules?: readonly ScheduleDefinition[];
  runners?: Partial<PipelineRunners>;
}

const ONBOARDING_PRIORITY = 10;
/**
 * pg-boss fails a job whose handler runs longer than this, and retries it while the first
 * handler may still be running; a dead worker is found by its heartbeat instead, so these are
 * generous backstops.
 */
const EXPIRE_SECONDS: Record<QueueJobType, number> = {
  onboarding: 4 * 3600,
  symbol_batch: 23 * 3600,
  portfolio_refresh: 23 * 3600,
  admin_metrics: 3600,
};

/** A chunk is minutes of work at most; a dead worker's is found by its heartbeat first. */
const CHUNK_EXPIRE_SECONDS = 3600;

/** Any fixed text: its hash is the advisory-lock key every Betaboard process agrees on. */
const QUEUE_SETUP_LOCK = 'betaboard.pgboss.start';

/**
 * Runs `body` (pg-boss's start and our queue creation) while no other process does. Creating a
 * pg-boss 10 queue is DDL — a partition attached to `pgboss.job`, foreign keys to
 * `pgboss.queue` — and two sessions creating queues at once deadlock: PostgreSQL aborts one, and
 * on a fresh database started by an orchestrator that was every worker but one process. A
 * session-level advisory lock makes starts take turns: the first creates the queues, the rest
 * find them. `body` runs on other connections of the pool (pg-boss's own), so the lock is held
 * on a dedicated one; it is released when the session ends, should this process die. The
 * embedded database belongs to one process, so there is nobody to wait for.
 */
async function oneStartAtATime(database: Database, body: () => Promise<void>): Promise<void> {
  const driver = driverOf(database.db);
  if (driver.engine !== 'postgres') return body();
  const client = await driver.pool.connect();
  // A connection whose lock or unlock failed may still hold the lock: close it, never pool it.
  let healthy = true;
  const lock = (fn: string) =>
    client.query(`SELECT ${fn}(hashtext($1))`, [QUEUE_SETUP_LOCK]).catch((error: unknown) => {
      healthy = false;
      throw error;
    });
  try {
    await lock('pg_advisory_lock');
    try {
      await body();
    } finally {
      await lock('pg_advisory_unlock').catch(() => {});
    }
  } finally {
    client.release(!healthy);
  }
}

/**
 * The durable job queue: pg-boss on the application database (PostgreSQL, or PGlite through
 * `bossDatabaseOf`). Each job type is its own queue, so an onboarding never waits behind a
 * nightly batch: onboarding has its own workers, nightly queues one worker each.
 */
export class PgBossJobQueue implements JobQueue {
  private readonly running = new Map<string, AbortController>();
  private readonly heartbeats = new Set<NodeJS.Timeout>();
  private readonly onboardingWorkers: string[] = [];
  private readonly chunkWorkers: string[] = [];
  private readonly chunkDispatcher: QueueChunkDispatcher;
  private readonly worked = new Set<QueueJobType>();
  private reapTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Running jobs were handed back (see QueueChunkDispatcherOptions.gaveUp). */
  private gaveUp = false;
  /** The runs `stop()` handed back to the queue because the grace period ran out. */
  released: readonly string[] = [];
  /** Chunk jobs this process ran to completion (which worker did what, for tests and logs). */
  chunksRun = 0;

  private constructor(
    private readonly boss: PgBoss,
    private readonly bossDb: BossDatabase,
    private readonly options: PgBossJobQueueOptions,
    private readonly runners: PipelineRunners,
  ) {
    const retryDelay = options.retryDelaySeconds ?? 5;
    this.chunkDispatcher = new QueueChunkDispatcher({
      boss,
      logger: options.logger,
      jobOptions: {
        retryLimit: options.retryLimit ?? 3,
        retryDelay,
        retryBackoff: retryDelay > 0,
        expireInSeconds: CHUNK_EXPIRE_SECONDS,
      },
      wakeWorkers: () => this.wakeChunkWorkers(),
      gaveUp: () => this.gaveUp,
      staleAfterSeconds: options.staleAfterSeconds ?? 60,
    });
  }

  static async start(options: PgBossJobQueueOptions): Promise<PgBossJobQueue> {
    const work = options.work ?? true;
    const schedule = options.schedule ?? work;
    const bossDb = bossDatabaseOf(options.database.db);
    const boss = new PgBoss({
      db: bossDb,
      schedule,
      // Archived jobs are the queue's history; batch_runs is the application's, kept longer.
      deleteAfterDays: 7,
      ...(options.cronCheckSeconds
        ? {
            cronMonitorIntervalSeconds: options.cronCheckSeconds,
            cronWorkerIntervalSeconds: options.cronCheckSeconds,
          }
        : {}),
    });
    boss.on('error', (error: Error) =>
      options.logger.warn({ err: error.message }, 'job queue error'),
    );
    await oneStartAtATime(options.database, async () => {
      await boss.start();
      for (const name of QUEUE_JOB_TYPES) {
        // `short`: at most one waiting job per singleton key (the scope), however many enqueue.
        await boss.createQueue(name, { name, policy: 'short' });
      }
      // Chunks are deduplicated by their rows (a completed chunk is never run again).
      await boss.createQueue(CHUNK_QUEUE, { name: CHUNK_QUEUE, policy: 'standard' });
    });
    const queue = new PgBossJobQueue(boss, bossDb, options, {
      ...DEFAULT_RUNNERS,
      ...options.runners,
    });
    if (work) await queue.startWorking();
    if (schedule) await registerSchedules(boss, options.schedules ?? SCHEDULES, queue.jobOptions());
    return queue;
  }

  /** The queues this process takes jobs from (none when it only enqueues). */
  get workedQueues(): readonly string[] {
    return this.chunkWorkers.length > 0 ? [...this.worked, CHUNK_QUEUE] : [...this.worked];
  }

  async enqueuePortfolioCalculation(input: {
    portfolioId: string;
    mode: RefreshMode;
    triggeredBy: string;
    date?: string;
  }): Promise<{ batchRunId: string }> {
    // The date is fixed now, so a retry after a restart computes exactly what was asked for.
    // A provider that cannot say how recent its data is leaves the choice to the job.
    const date = await resolveCalculationDate(this.options.pipeline, input.date).catch(
      (error: unknown) => {
        this.options.logger.warn({ err: (error as Error).message }, 'calculation date unresolved');
        return undefined;
      },
    );
    const scopeKey = `portfolio:${input.portfolioId}`;
    const batchRunId = await this.repo().create({
      jobType: 'onboarding',
      scope: { portfolio_id: input.portfolioId, ...(date ? { date } : {}) },
      scopeKey,
      portfolioId: input.portfolioId,
      calculationDate: date ?? null,
      mode: input.mode,
      status: 'queued',
      triggeredBy: input.triggeredBy,
      phases: ONBOARDING_PHASES.map((p) => ({
        ...p,
        status: 'pending' as const,
        current: 0,
        total: 0,
        duration_ms: null,
      })),
    });
    await this.send('onboarding', batchRunId, scopeKey, {
      batchRunId,
      portfolioId: input.portfolioId,
      date,
      mode: input.mode,
    });
    for (const worker of this.onboardingWorkers) this.boss.notifyWorker(worker);
    return { batchRunId };
  }

  async enqueueBatch(input: {
    type: BatchJobType;
    date?: string;
    triggeredBy: string;
  }): Promise<{ batchRunId: string }> {
    const now = this.options.pipeline.now?.() ?? new Date();
    const date = input.date ?? (input.type === 'admin_metrics' ? newYorkToday(now) : undefined);
    const scope = batchRunScope(input.type, date);
    const batchRunId = await this.repo().create({
      jobType: input.type,
      ...scope,
      status: 'queued',
      triggeredBy: input.triggeredBy,
    });
    await this.send(input.type, batchRunId, scope.scopeKey, {
      batchRunId,
      ...(date ? { date } : {}),
      triggeredBy: input.triggeredBy,
    });
    return { batchRunId };
  }

  async queueDepth(): Promise<number> {
    let depth = 0;
    for (const name of [...QUEUE_JOB_TYPES, CHUNK_QUEUE]) {
      depth += await this.boss.getQueueSize(name, { before: 'completed' });
    }
    return depth;
  }

  /**
   * Stops taking jobs, lets running ones finish (up to `timeoutMs`, by default the
   * `shutdownGraceSeconds` option), hands the rest back to the queue for a retry (listed in
   * `released` afterwards).
   */
  async stop(timeoutMs = (this.options.shutdownGraceSeconds ?? 30) * 1000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.reapTimer) clearInterval(this.reapTimer);
    if (this.running.size > 0) {
      this.options.logger.info(
        { runs: [...this.running.keys()], grace_seconds: timeoutMs / 1000 },
        'waiting for running jobs to finish; no new job is taken',
      );
    }
    const deadline = Date.now() + timeoutMs;
    await this.drainRunningJobs(deadline);
    await this.boss.stop({
      graceful: true,
      wait: true,
      timeout: Math.max(0, deadline - Date.now()),
      close: false,
    });
    // Whatever still runs was failed back to the queue by pg-boss (to be retried after the retry
    // delay, by whichever worker is up); let go of its locks and stop its heartbeat.
    const released = [...this.running.keys()];
    this.released = released;
    this.gaveUp = true;
    if (released.length > 0) {
      this.options.logger.warn(
        { runs: released },
        'grace period over: running jobs handed back to the queue for a retry',
      );
    }
    for (const controller of this.running.values()) controller.abort(new Error('queue stopped'));
    for (const timer of this.heartbeats) clearInterval(timer);
  }

  /**
   * Stops as a killed process would: no more database work from this queue (its connection is
   * cut), running jobs left `active`, their heartbeats silent, their symbol locks gone. Another
   * queue on the database then finds the jobs and retries them. For tests of exactly that.
   */
  async abandon(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.gaveUp = true;
    this.bossDb.cut();
    if (this.reapTimer) clearInterval(this.reapTimer);
    for (const timer of this.heartbeats) clearInterval(timer);
    for (const controller of this.running.values()) controller.abort(new Error('queue abandoned'));
    await this.boss.stop({ graceful: false, wait: false, close: false }).catch(() => {});
  }

  /**
   * The first part of a graceful stop: no new job of the job-type queues is taken, while this
   * process's chunk workers keep working — a batch running here waits for its chunks, and with no
   * other worker up nobody else would run them — until the running jobs end or `deadline`.
   */
  private async drainRunningJobs(deadline: number): Promise<void> {
    if (this.chunkWorkers.length === 0 || this.running.size === 0) return;
    for (const name of this.worked) await this.boss.offWork(name).catch(() => {});
    while (this.running.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private repo(): BatchRunRepository {
    return new BatchRunRepository(this.options.database.db);
  }

  /** Retry and expiry settings every job gets (scheduled ones too). */
  private jobOptions(): (name: QueueJobType) => PgBoss.SendOptions {
    const retryDelay = this.options.retryDelaySeconds ?? 5;
    return (name) => ({
      retryLimit: this.options.retryLimit ?? 3,
      retryDelay,
      retryBackoff: retryDelay > 0,
      expireInSeconds: EXPIRE_SECONDS[name],
      priority: name === 'onboarding' ? ONBOARDING_PRIORITY : 0,
    });
  }

  private async send(
    name: QueueJobType,
    batchRunId: string,
    singletonKey: string,
    data: JobPayload,
  ): Promise<void> {
    let jobId: string | null;
    try {
      jobId = await this.boss.send(name, data, {
        ...this.jobOptions()(name),
        id: batchRunId,
        singletonKey,
      });
    } catch (error) {
      await this.repo().deleteQueued(batchRunId);
      throw error;
    }
    if (!jobId) {
      // A job of this scope already waits in the queue (a scheduled one, whose row its
      // handler creates when it starts): this request is that one.
      await this.repo().deleteQueued(batchRunId);
      throw new JobAlreadyActiveError(name, singletonKey);
    }
  }

  private async startWorking(): Promise<void> {
    // Jobs handed out before this instant were taken by an earlier process on this database.
    const workingSince = new Date();
    const interval = this.options.pollingIntervalSeconds ?? 2;
    const workOptions = {
      includeMetadata: true as const,
      batchSize: 1,
      pollingIntervalSeconds: interval,
    };
    for (let i = 0; i < (this.options.onboardingConcurrency ?? 2); i++) {
      this.onboardingWorkers.push(
        await this.boss.work<JobPayload>('onboarding', workOptions, ([job]) =>
          this.handle('onboarding', job!),
        ),
      );
    }
    this.worked.add('onboarding');
    for (const name of ['symbol_batch', 'portfolio_refresh', 'admin_metrics'] as const) {
      await this.boss.work<JobPayload>(name, workOptions, ([job]) => this.handle(name, job!));
      this.worked.add(name);
    }
    const chunkOptions = { ...workOptions, pollingIntervalSeconds: Math.min(interval, 1) };
    for (let i = 0; i < (this.options.chunkConcurrency ?? 2); i++) {
      this.chunkWorkers.push(
        await this.boss.work<ChunkJobPayload>(CHUNK_QUEUE, chunkOptions, ([job]) =>
          this.handleChunk(job!),
        ),
      );
    }
    const reap = (olderThanSeconds: number) =>
      reapInterruptedRuns({
        boss: this.boss,
        repo: this.repo(),
        jobTypes: QUEUE_JOB_TYPES,
        olderThanSeconds,
        runningHere: new Set(this.running.keys()),
        ...(olderThanSeconds === 0 ? { handedOutBefore: workingSince } : {}),
        logger: this.options.logger,
      }).catch((error: unknown) =>
        this.options.logger.warn({ err: (error as Error).message }, 'reaping stale runs failed'),
      );
    const staleAfter = this.options.staleAfterSeconds ?? 60;
    // The embedded database belongs to this one process (a directory lock guarantees it), so a
    // run left `running` at start-up is a dead process's and can be retried at once.
    await reap(this.options.database.engine === 'pglite' ? 0 : staleAfter);
    this.reapTimer = setInterval(
      () => void reap(staleAfter),
      (this.options.reapIntervalSeconds ?? Math.min(30, Math.max(1, staleAfter / 2))) * 1000,
    );
    this.reapTimer.unref();
  }

  private async handle(
    jobType: QueueJobType,
    job: PgBoss.JobWithMetadata<JobPayload>,
  ): Promise<{ status: JobOutcome }> {
    const runId = job.data.batchRunId ?? job.id;
    const controller = new AbortController();
    this.running.set(runId, controller);
    const repo = this.repo();
    const heartbeat = setInterval(
      () => void repo.touch(runId).catch(() => {}),
      (this.options.heartbeatSeconds ?? 10) * 1000,
    );
    this.heartbeats.add(heartbeat);
    const started = performance.now();
    let outcome: JobOutcome | 'error' = 'error';
    try {
      outcome = await runJob(jobType, job, {
        pipeline: this.options.pipeline,
        runners: this.runners,
        signal: controller.signal,
        enqueueBatch: (input) => this.enqueueBatch(input),
        enqueuePortfolioCalculation: (input) => this.enqueuePortfolioCalculation(input),
        chunks: this.chunkDispatcher,
        ...(this.options.chunkSizes ? { chunkSizes: this.options.chunkSizes } : {}),
      });
      return { status: outcome };
    } catch (error) {
      this.options.logger.error(
        { err: error, job_type: jobType, run: runId, attempt: job.retryCount + 1 },
        'job failed',
      );
      if (job.retryCount >= job.retryLimit) {
        // No attempt follows: the row must not stay `running` for ever.
        await repo.finish(runId, 'failed').catch(() => {});
        outcome = 'failed';
      }
      throw error;
    } finally {
      clearInterval(heartbeat);
      this.heartbeats.delete(heartbeat);
      this.running.delete(runId);
      if (outcome !== 'skipped') {
        const labels = { job_type: jobType, status: outcome };
        jobDurationSeconds.observe(labels, (performance.now() - started) / 1000);
        jobsFinishedTotal.inc(labels);
      }
      // pg-boss sleeps a full polling interval after each fetch unless the worker was notified:
      // with a backlog of onboardings that is ~2 s of idleness per job. Waking the onboarding
      // workers here makes them fetch the next job at once (an empty fetch then sleeps as usual).
      if (jobType === 'onboarding' && !this.stopped) {
        for (const worker of this.onboardingWorkers) this.boss.notifyWorker(worker);
      }
    }
  }

  /**
   * One chunk job: the chunk's row is written every heartbeat (its parent watches for silence),
   * its result stored; a failed attempt is recorded on the row, finally when no retry follows.
   */
  private async handleChunk(job: PgBoss.JobWithMetadata<ChunkJobPayload>): Promise<void> {
    const { chunkId } = job.data;
    const chunks = new BatchChunkRepository(this.options.database.db);
    const heartbeat = setInterval(
      () => void chunks.touch(chunkId).catch(() => {}),
      (this.options.heartbeatSeconds ?? 10) * 1000,
    );
    this.heartbeats.add(heartbeat);
    try {
      if ((await executeChunk(this.options.pipeline, chunkId, job.id)) === 'completed') {
        this.chunksRun++;
      }
    } catch (error) {
      const final = job.retryCount >= job.retryLimit;
      this.options.logger.warn(
        { err: runErrorMessage(error), chunk: chunkId, attempt: job.retryCount + 1, final },
        'chunk failed',
      );
      if (!this.gaveUp) await failChunk(this.options.pipeline, chunkId, error, final);
      throw error;
    } finally {
      clearInterval(heartbeat);
      this.heartbeats.delete(heartbeat);
      // pg-boss sleeps a polling interval after each job unless woken: chunks are short.
      if (!this.gaveUp) this.wakeChunkWorkers();
    }
  }

  private wakeChunkWorkers(): void {
    for (const worker of this.chunkWorkers) this.boss.notifyWorker(worker);
  }
}
