import {
  BatchChunkRepository,
  type ChunkRow,
} from '../../db/repositories/batch-chunk-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';

/** What a chunk kind computes and writes; its result must survive a JSON round trip. */
export type ChunkKind = 'symbol_prices' | 'symbol_factors' | 'portfolio_refresh';

/**
 * Where a phase's chunks run. In process (the CLI, onboarding's scoped runs): one after the
 * other, here. On the job queue: as jobs any worker takes, this process's included.
 */
export interface ChunkDispatcher {
  /**
   * Runs every chunk of the list that has not finished and resolves when each has (completed or
   * failed), calling `onProgress` with the items of the finished chunks as they finish.
   */
  runAll(
    ctx: PipelineContext,
    chunks: readonly ChunkRow[],
    onProgress: (finishedItems: number) => Promise<void>,
  ): Promise<void>;
}

export interface FinishedChunk<P, R> {
  index: number;
  payload: P;
  status: 'completed' | 'failed';
  /** Set when completed. */
  result: R | null;
  /** Set when failed: the last attempt's error. */
  error: string | null;
}

export interface ChunkedPhaseInput<P> {
  /**
   * The plan's identity: the same for every attempt of the same request, date and phase, so a
   * retried parent finds its first attempt's chunks (and skips those finished).
   */
  setKey: string;
  /** The `batch_runs` row the chunks work for. */
  runId: string;
  kind: ChunkKind;
  chunks: readonly { payload: P; items: number }[];
  onProgress?: (finishedItems: number) => Promise<void>;
}

export const isFinished = (c: Pick<ChunkRow, 'status'>) =>
  c.status === 'completed' || c.status === 'failed';

/**
 * Plans a phase's chunks (or reads back the plan an earlier attempt wrote), has `dispatcher` run
 * those not finished, and returns every chunk's outcome in plan order — so what the parent
 * aggregates does not depend on which worker ran which chunk, or when.
 */
export async function runChunkedPhase<P, R>(
  ctx: PipelineContext,
  dispatcher: ChunkDispatcher,
  input: ChunkedPhaseInput<P>,
): Promise<FinishedChunk<P, R>[]> {
  const repo = new BatchChunkRepository(ctx.db);
  const planned = await repo.plan(input.setKey, input.runId, input.kind, input.chunks);
  await dispatcher.runAll(ctx, planned, input.onProgress ?? (async () => {}));
  const rows = await repo.list(input.setKey);
  return rows.map((row) => {
    if (!isFinished(row))
      throw new Error(`chunk ${row.chunkIndex} of ${row.setKey} never finished`);
    return {
      index: row.chunkIndex,
      payload: row.payload as P,
      status: row.status as 'completed' | 'failed',
      result: (row.result as R | null) ?? null,
      error: row.error,
    };
  });
}

/** Splits `items` into chunks of at most `size` (at least 1), in order. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const n = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}
