import { BatchChunkRepository } from '../../db/repositories/batch-chunk-repository.ts';
import { runRefreshChunk } from '../portfolio-refresh/refresh-chunk.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import { runErrorMessage } from '../run-messages.ts';
import { runPriceChunk } from '../symbol-batch/phase-1-prices.ts';
import { runFactorChunk } from '../symbol-batch/phase-3-factors.ts';
import { isFinished, type ChunkDispatcher, type ChunkKind } from './chunked-phase.ts';

/** What each kind of chunk runs: reads its inputs, computes, writes its rows. */
const CHUNK_KINDS: Record<ChunkKind, (ctx: PipelineContext, payload: never) => Promise<unknown>> = {
  symbol_prices: runPriceChunk,
  symbol_factors: runFactorChunk,
  portfolio_refresh: runRefreshChunk,
};

/**
 * Runs one chunk and stores its result. A chunk already completed (a duplicate delivery, or a
 * job retried after its result was stored) is left alone: 'skipped'. Errors are thrown; the
 * caller decides whether another attempt follows (`failChunk`).
 */
export async function executeChunk(
  ctx: PipelineContext,
  chunkId: string,
  jobId: string | null,
): Promise<'completed' | 'skipped'> {
  const repo = new BatchChunkRepository(ctx.db);
  const chunk = await repo.claim(chunkId, jobId);
  if (!chunk) return 'skipped';
  const run = CHUNK_KINDS[chunk.kind as ChunkKind];
  if (!run) throw new Error(`unknown chunk kind "${chunk.kind}"`);
  const result = await run(ctx, chunk.payload as never);
  await repo.complete(chunkId, result);
  return 'completed';
}

/** Records a chunk's failed attempt: `final` when no attempt follows. */
export function failChunk(
  ctx: PipelineContext,
  chunkId: string,
  error: unknown,
  final: boolean,
): Promise<void> {
  return new BatchChunkRepository(ctx.db).fail(chunkId, runErrorMessage(error), final);
}

/**
 * Chunks run one after the other in the calling process, with one attempt each: the CLI's and
 * onboarding's runs, which have no job queue to hand them to.
 */
export const IN_PROCESS_CHUNKS: ChunkDispatcher = {
  async runAll(ctx, chunks, onProgress) {
    let done = chunks.filter(isFinished).reduce((n, c) => n + c.items, 0);
    for (const c of chunks) {
      if (isFinished(c)) continue;
      try {
        await executeChunk(ctx, c.id, null);
      } catch (error) {
        ctx.logger.warn({ err: runErrorMessage(error), chunk: c.chunkIndex }, 'chunk failed');
        await failChunk(ctx, c.id, error, true);
      }
      done += c.items;
      await onProgress(done);
    }
  },
};
