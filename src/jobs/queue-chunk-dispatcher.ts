import { randomUUID } from 'node:crypto';
import type PgBoss from 'pg-boss';
import { BatchChunkRepository, type ChunkRow } from '../db/repositories/batch-chunk-repository.ts';
import type { Logger } from '../logger.ts';
import { isFinished, type ChunkDispatcher } from '../pipeline/chunks/chunked-phase.ts';
import type { PipelineContext } from '../pipeline/pipeline-context.ts';

/** The pg-boss queue of chunk jobs: every working process takes from it. */
export const CHUNK_QUEUE = 'batch_chunk';

/** What a chunk job carries: the chunk's row holds the rest. */
export interface ChunkJobPayload {
  chunkId: string;
}

const LIVE_JOB_STATES = new Set(['created', 'retry', 'active']);

export interface QueueChunkDispatcherOptions {
  boss: PgBoss;
  logger: Logger;
  /** Retry and expiry settings of a chunk job. */
  jobOptions: PgBoss.SendOptions;
  /** Wakes this process's chunk workers (they would otherwise wait for their next poll). */
  wakeWorkers(): void;
  /**
   * True once this process has handed its running jobs back (the grace period of a stop ran
   * out, or the queue was abandoned): a parent waiting here then goes quiet — it writes nothing
   * more, as a killed process would not — and its retry, elsewhere, takes over its chunks.
   */
  gaveUp(): boolean;
  /** A running chunk not written for this long belongs to a dead worker. */
  staleAfterSeconds: number;
  /** How often the parent reads its chunks' states. */
  pollMs?: number;
}

/**
 * Chunks as pg-boss jobs that any worker takes; the parent (a job itself) waits here for all of
 * them while its process works chunks like every other. The parent also watches over them: a
 * chunk whose worker stopped answering is failed back to pg-boss (which retries it), one whose
 * job ended without a result is failed, one whose job is gone is sent again. A retried parent
 * sends only chunks that neither finished nor have a live job.
 */
export class QueueChunkDispatcher implements ChunkDispatcher {
  constructor(private readonly o: QueueChunkDispatcherOptions) {}

  async runAll(
    ctx: PipelineContext,
    chunks: readonly ChunkRow[],
    onProgress: (finishedItems: number) => Promise<void>,
  ): Promise<void> {
    if (chunks.length === 0) return;
    const repo = new BatchChunkRepository(ctx.db);
    for (const c of chunks) if (!isFinished(c)) await this.ensureJob(repo, c);
    this.o.wakeWorkers();
    const setKey = chunks[0]!.setKey;
    const pollMs = this.o.pollMs ?? 250;
    const checkEveryMs = Math.min(5_000, (this.o.staleAfterSeconds * 1000) / 2);
    let lastCheck = Date.now();
    let reported = -1;
    for (;;) {
      if (this.o.gaveUp()) await new Promise<never>(() => {});
      const states = await repo.states(setKey);
      const done = states.filter(isFinished).reduce((n, c) => n + c.items, 0);
      if (done !== reported) await onProgress((reported = done));
      if (states.every(isFinished)) return;
      if (Date.now() - lastCheck >= checkEveryMs) {
        lastCheck = Date.now();
        for (const c of states) if (!isFinished(c)) await this.watch(repo, c);
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Sends a job for the chunk unless one is already waiting or running. */
  private async ensureJob(
    repo: BatchChunkRepository,
    c: Pick<ChunkRow, 'id' | 'jobId'>,
  ): Promise<void> {
    if (c.jobId) {
      const job = await this.o.boss.getJobById(CHUNK_QUEUE, c.jobId, { includeArchive: true });
      if (job && LIVE_JOB_STATES.has(job.state)) return;
    }
    const id = randomUUID();
    const data: ChunkJobPayload = { chunkId: c.id };
    await repo.assignJob(c.id, id);
    await this.o.boss.send(CHUNK_QUEUE, data, { ...this.o.jobOptions, id });
  }

  /** One unfinished chunk looked at: is anybody still working on it? */
  private async watch(
    repo: BatchChunkRepository,
    c: Pick<ChunkRow, 'id' | 'jobId' | 'status' | 'idleSeconds'>,
  ): Promise<void> {
    const { boss, logger } = this.o;
    const job = c.jobId
      ? await boss.getJobById(CHUNK_QUEUE, c.jobId, { includeArchive: true })
      : null;
    if (!job || job.state === 'completed') {
      // Never sent, or gone (or done without storing a result): send it again.
      await this.ensureJob(repo, { id: c.id, jobId: null });
      return;
    }
    if (job.state === 'failed' || job.state === 'cancelled') {
      await repo.fail(c.id, `every attempt was interrupted (job ${job.state})`, true);
      return;
    }
    // A live handler writes its chunk every heartbeat, from before it claims it.
    if (job.state === 'active' && c.idleSeconds > this.o.staleAfterSeconds) {
      logger.warn({ chunk: c.id, job: job.id }, 'worker of a chunk died; retrying the chunk');
      await boss.fail(CHUNK_QUEUE, job.id, { message: 'worker stopped answering (no heartbeat)' });
    }
  }
}
