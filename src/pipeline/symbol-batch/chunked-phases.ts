import { runErrorMessage } from '../run-messages.ts';
import { chunksOf, runChunkedPhase, type ChunkDispatcher } from '../chunks/chunked-phase.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { RunRecorder } from '../run-recorder.ts';
import {
  fetchBillRates,
  pricesLogLine,
  type PriceChunkPayload,
  type PriceChunkResult,
} from './phase-1-prices.ts';
import {
  MAX_STALE_SESSIONS,
  shortHistory,
  type FactorChunkPayload,
  type FactorPhaseResult,
} from './phase-3-factors.ts';

/**
 * Symbols per chunk job. Measured on 3,000 simulated symbols: a factor chunk's batched
 * regressions amortise their set-up over the chunk, and a dozen chunks per phase keep two
 * workers evenly busy to the end. Results do not depend on it.
 */
export const SYMBOL_CHUNK_SIZE = 250;

/** Where a date's chunked phases run and under which key their plans are kept. */
export interface ChunkPlanning {
  dispatcher: ChunkDispatcher;
  /** Stable across attempts of one request and date (see ChunkedPhaseInput.setKey). */
  owner: string;
  runId: string;
  chunkSize: number;
}

export interface ChunkedPricePhaseResult {
  rowsWritten: number;
  requests: number;
  failed: Map<string, { code: string; message: string }>;
}

/**
 * Phase 1 over chunks of symbols (any worker takes them): each chunk fetches what its symbols
 * lack and upserts it; then, here, the 3-month bill quotes. Returns once every chunk has
 * finished: the factor phase regresses every symbol on the factor ETFs' closes.
 */
export async function runChunkedPricePhase(
  ctx: PipelineContext,
  rec: RunRecorder,
  planning: ChunkPlanning,
  request: { symbols: readonly string[]; date: string; historyFrom?: string },
): Promise<ChunkedPricePhaseResult> {
  const { symbols, date, historyFrom } = request;
  await rec.start('phase_1', symbols.length);
  const chunks = await runChunkedPhase<PriceChunkPayload, PriceChunkResult>(
    ctx,
    planning.dispatcher,
    {
      setKey: `${planning.owner}|phase_1`,
      runId: planning.runId,
      kind: 'symbol_prices',
      chunks: chunksOf(symbols, planning.chunkSize).map((s) => ({
        payload: { symbols: s, date, ...(historyFrom ? { historyFrom } : {}) },
        items: s.length,
      })),
      onProgress: (done) => rec.progress('phase_1', done),
    },
  );
  throwIfEveryChunkFailed(chunks, 'prices');
  const result: ChunkedPricePhaseResult = { rowsWritten: 0, requests: 0, failed: new Map() };
  let needed = 0;
  for (const c of chunks) {
    if (c.status === 'failed') {
      for (const s of c.payload.symbols)
        result.failed.set(s, { code: 'chunk_failed', message: c.error ?? 'chunk failed' });
      continue;
    }
    result.rowsWritten += c.result!.rowsWritten;
    result.requests += c.result!.requests;
    needed += c.result!.needed;
    for (const f of c.result!.failed) {
      result.failed.set(f.symbol, { code: f.code, message: f.message });
    }
  }
  for (const [symbol, e] of result.failed) {
    rec.error({ symbol, phase: 'phase_1', code: e.code, message: e.message });
  }
  rec.log(
    `${pricesLogLine({ ...result, needed }, symbols.length)} in ${chunks.length} chunk(s)`,
    result.failed.size > 0 ? 'warning' : 'info',
  );
  await fetchBillRates(ctx, rec, date);
  await rec.complete('phase_1');
  return result;
}

export interface ChunkedFactorPhaseResult extends FactorPhaseResult {
  /** Targets of chunks that failed on every attempt: no factors for the date. */
  failed: { symbol: string; message: string }[];
}

/** Phase 3 over chunks of target symbols; their results aggregated in plan order. */
export async function runChunkedFactorPhase(
  ctx: PipelineContext,
  rec: RunRecorder,
  planning: ChunkPlanning,
  targets: readonly string[],
  date: string,
): Promise<ChunkedFactorPhaseResult> {
  await rec.start('phase_3', targets.length);
  const chunks = await runChunkedPhase<FactorChunkPayload, FactorPhaseResult>(
    ctx,
    planning.dispatcher,
    {
      setKey: `${planning.owner}|phase_3`,
      runId: planning.runId,
      kind: 'symbol_factors',
      chunks: chunksOf(targets, planning.chunkSize).map((t) => ({
        payload: { targets: t, date },
        items: t.length,
      })),
      onProgress: (done) => rec.progress('phase_3', done),
    },
  );
  throwIfEveryChunkFailed(chunks, 'factors');
  const total = aggregateFactorChunks(chunks);
  recordFactorOutcome(rec, total, date);
  rec.log(
    `Factors: ${total.symbolsComputed} symbol(s), ${total.rowsWritten} exposure row(s) for ${date} in ${chunks.length} chunk(s); compute ${total.computeMs.toFixed(0)} ms`,
  );
  await rec.complete('phase_3');
  return total;
}

function aggregateFactorChunks(
  chunks: Awaited<ReturnType<typeof runChunkedPhase<FactorChunkPayload, FactorPhaseResult>>>,
): ChunkedFactorPhaseResult {
  const total: ChunkedFactorPhaseResult = {
    symbolsComputed: 0,
    rowsWritten: 0,
    insufficient: [],
    errors: [],
    stale: [],
    regressions: 0,
    computeMs: 0,
    failed: [],
  };
  for (const c of chunks) {
    if (c.status === 'failed') {
      const message = c.error ?? 'chunk failed';
      total.failed.push(...c.payload.targets.map((symbol) => ({ symbol, message })));
      continue;
    }
    const r = c.result!;
    total.symbolsComputed += r.symbolsComputed;
    total.rowsWritten += r.rowsWritten;
    total.insufficient.push(...r.insufficient);
    total.errors.push(...r.errors);
    total.stale.push(...r.stale);
    total.regressions += r.regressions;
    total.computeMs += r.computeMs;
  }
  return total;
}

function recordFactorOutcome(rec: RunRecorder, total: ChunkedFactorPhaseResult, date: string) {
  for (const e of total.errors) {
    rec.error({
      symbol: e.symbol,
      phase: 'phase_3',
      code: 'calculation_error',
      message: `${e.factor}: ${e.reason}`,
    });
  }
  for (const symbol of total.stale) {
    rec.error({
      symbol,
      phase: 'phase_3',
      code: 'stale_price',
      message: `no close for ${symbol} in the ${MAX_STALE_SESSIONS + 1} sessions up to ${date}; factors not computed`,
    });
  }
  for (const f of total.failed) {
    rec.error({ symbol: f.symbol, phase: 'phase_3', code: 'chunk_failed', message: f.message });
  }
  const short = shortHistory(total.insufficient);
  if (short.size > 0) {
    rec.log(
      `Factors: ${short.size} symbol(s) have insufficient history for some factors (${[...short.keys()].slice(0, 10).join(', ')})`,
      'warning',
    );
  }
}

/** A phase none of whose chunks succeeded is the run's failure, not its symbols'. */
function throwIfEveryChunkFailed(
  chunks: readonly { status: string; error: string | null }[],
  phase: string,
): void {
  if (chunks.length > 0 && chunks.every((c) => c.status === 'failed')) {
    throw new Error(
      `every ${phase} chunk failed: ${runErrorMessage(new Error(chunks[0]!.error ?? 'unknown'))}`,
    );
  }
}
