import { runErrorMessage, symbolSetKey } from '../run-messages.ts';
import { FACTOR_ETFS } from '../../domain/factors/factor-definitions.ts';
import { isPrivateAssetSymbol } from '../../domain/symbols.ts';
import { BatchChunkRepository } from '../../db/repositories/batch-chunk-repository.ts';
import { BatchRunRepository } from '../../db/repositories/batch-run-repository.ts';
import { PositionRepository } from '../../db/repositories/position-repository.ts';
import { SymbolUniverseRepository } from '../../db/repositories/symbol-universe-repository.ts';
import type { ChunkDispatcher } from '../chunks/chunked-phase.ts';
import { IN_PROCESS_CHUNKS } from '../chunks/run-chunk.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { RunRecorder } from '../run-recorder.ts';
import { withBatchRun } from '../with-batch-run.ts';
import {
  runChunkedFactorPhase,
  runChunkedPricePhase,
  SYMBOL_CHUNK_SIZE,
  type ChunkPlanning,
} from './chunked-phases.ts';
import { runProfilePhase } from './phase-0-profiles.ts';
import { runPricePhase, type PricePhaseResult } from './phase-1-prices.ts';
import { runFundamentalsPhase } from './phase-2-fundamentals.ts';
import type { FactorPhaseResult } from './phase-3-factors.ts';
import { resolveTargetDates } from './target-dates.ts';
import { resolveSymbolUniverse } from './universe.ts';

export const SYMBOL_BATCH_PHASES = [
  { id: 'phase_0', name: 'Profiles and valuations', unit: 'symbols' },
  { id: 'phase_1', name: 'Prices', unit: 'symbols' },
  { id: 'phase_2', name: 'Fundamentals', unit: 'symbols' },
  { id: 'phase_3', name: 'Factor exposures', unit: 'symbols' },
] as const;

export interface SymbolBatchOptions {
  /** Run exactly this date (no backfill). */
  date?: string;
  /** Scoped run: only these symbols (plus the factor ETFs they are regressed on). */
  symbols?: readonly string[];
  backfill?: boolean;
  /** A scheduled tick: run nothing when the target session is already completed. */
  skipCompleted?: boolean;
  triggeredBy?: string;
  /** Fetch history back to at least this date (onboarding asks for the portfolio's history). */
  historyFrom?: string;
  /** Where the price and factor chunks run (default: here, one after the other). */
  chunks?: ChunkDispatcher;
  /** Symbols per chunk (SYMBOL_CHUNK_SIZE); results do not depend on it. */
  chunkSize?: number;
}

export interface SymbolBatchDateResult {
  date: string;
  batchRunId: string;
  status: 'completed' | 'partial' | 'failed';
  symbols: number;
  pricesWritten: number;
  priceRequests: number;
  failedSymbols: { symbol: string; code: string; message: string }[];
  factors:
    | (Omit<FactorPhaseResult, 'insufficient' | 'errors'> & {
        insufficientSymbols: string[];
        errorCount: number;
      })
    | null;
  phaseDurationsMs: Record<string, number | null>;
  error?: string;
}

export interface SymbolBatchSummary {
  target: string;
  note: string;
  scoped: boolean;
  excluded: { symbol: string; reason: string }[];
  runs: SymbolBatchDateResult[];
}

interface BatchSymbols {
  symbols: { symbol: string; assetType: 'equity' | 'etf' | 'option_underlying' }[];
  excluded: { symbol: string; reason: string }[];
}

/**
 * The nightly symbol batch (SPEC §8): phases 0–3 for every date from the last completed run to
 * the target, each date recorded in `batch_runs`. A symbol's failure is recorded and retried next
 * run; it never fails the batch. Scoped runs (onboarding) process just the given symbols. The
 * price and factor phases run as chunks of symbols (`options.chunks`: here or on any worker).
 */
export async function runSymbolBatch(
  ctx: PipelineContext,
  options: SymbolBatchOptions = {},
): Promise<SymbolBatchSummary> {
  const batchRuns = new BatchRunRepository(ctx.db);
  const scoped = options.symbols !== undefined;
  // An explicit date (every onboarding's scoped run) is run as given: no provider round trip.
  const providerLatest = options.date ? null : await ctx.provider.latestAvailableDate();
  const lastCompleted = scoped
    ? null
    : ((await batchRuns.completedDates('symbol_batch', 'universe|'))[0] ?? null);
  const { target, dates, note } = resolveTargetDates({
    now: ctx.now?.() ?? new Date(),
    providerLatest,
    lastCompleted,
    explicitDate: options.date,
    backfill: options.backfill ?? true,
    skipCompleted: options.skipCompleted ?? false,
  });
  const { symbols, excluded } = scoped
    ? scopedSymbols(options.symbols!)
    : await universeSymbols(ctx, target);
  await new SymbolUniverseRepository(ctx.db).register(symbols, target);
  const targetSymbols = symbols.map((s) => s.symbol);
  const runs: SymbolBatchDateResult[] = [];
  for (const date of dates) {
    runs.push(await runSymbolBatchDate(ctx, options, { date, note, targetSymbols }));
  }
  return { target, note, scoped, excluded, runs };
}

/** A scoped run's symbols: as requested, private assets left out. */
function scopedSymbols(requestedSymbols: readonly string[]): BatchSymbols {
  const requested = [
    ...new Set(requestedSymbols.map((s) => s.trim().toUpperCase()).filter(Boolean)),
  ];
  return {
    excluded: requested
      .filter(isPrivateAssetSymbol)
      .map((symbol) => ({ symbol, reason: 'private_asset' })),
    symbols: requested
      .filter((s) => !isPrivateAssetSymbol(s))
      .map((symbol) => ({ symbol, assetType: FACTOR_ETFS.includes(symbol) ? 'etf' : 'equity' })),
  };
}

/** The nightly universe: symbols held, the factor ETFs, and those registered. */
async function universeSymbols(ctx: PipelineContext, target: string): Promise<BatchSymbols> {
  return resolveSymbolUniverse({
    date: target,
    positions: await new PositionRepository(ctx.db).symbolsOfActivePositions(target),
    factorEtfs: FACTOR_ETFS,
    registered: await new SymbolUniverseRepository(ctx.db).listActive(),
  });
}

/** One date's run in `batch_runs`, its chunk plans forgotten once it has finished. */
async function runSymbolBatchDate(
  ctx: PipelineContext,
  options: SymbolBatchOptions,
  batch: { date: string; note: string; targetSymbols: string[] },
): Promise<SymbolBatchDateResult> {
  const { date, note, targetSymbols } = batch;
  const scoped = options.symbols !== undefined;
  const scopeKey = scoped ? `${symbolSetKey(targetSymbols)}|${date}` : `universe|${date}`;
  const triggeredBy = options.triggeredBy ?? 'cli';
  // A queued request's attempts share their chunk plans; any other run has its own.
  const ownerOf = (runId: string) =>
    triggeredBy.startsWith('job:') ? `${triggeredBy}|${scopeKey}` : runId;
  let owner: string | null = null;
  const result = await withBatchRun<SymbolBatchDateResult>({
    batchRuns: new BatchRunRepository(ctx.db),
    run: {
      jobType: 'symbol_batch',
      scope: { date, ...(scoped ? { symbols: targetSymbols } : {}) },
      scopeKey,
      calculationDate: date,
      triggeredBy,
      phases: [],
    },
    phases: SYMBOL_BATCH_PHASES,
    logger: ctx.logger,
    initial: (runId) => ({
      date,
      batchRunId: runId,
      status: 'completed',
      symbols: targetSymbols.length,
      pricesWritten: 0,
      priceRequests: 0,
      failedSymbols: [],
      factors: null,
      phaseDurationsMs: {},
    }),
    begin: async (rec) =>
      rec.log(
        `Symbol batch for ${date} (${note}); ${targetSymbols.length} symbol(s), provider ${ctx.provider.name}`,
      ),
    async body(rec, result, runId) {
      owner = ownerOf(runId);
      const planning: ChunkPlanning = {
        dispatcher: options.chunks ?? IN_PROCESS_CHUNKS,
        owner,
        runId,
        chunkSize: options.chunkSize ?? SYMBOL_CHUNK_SIZE,
      };
      await runSymbolBatchPhases(ctx, rec, result, planning, { ...batch, options });
    },
    onError(rec, result, error) {
      result.error = runErrorMessage(error);
      rec.log(`Symbol batch for ${date} failed: ${result.error}`, 'error');
      rec.error({ phase: 'batch', code: 'run_failed', message: result.error });
    },
    onFinish(rec, result) {
      result.phaseDurationsMs = Object.fromEntries(rec.phases.map((p) => [p.id, p.duration_ms]));
      rec.log(`Symbol batch for ${date}: ${result.status}`);
    },
  });
  if (owner) await new BatchChunkRepository(ctx.db).deleteSets(`${owner}|`);
  return result;
}

/** Phases 0–3 of one date; fills in `result`. */
async function runSymbolBatchPhases(
  ctx: PipelineContext,
  rec: RunRecorder,
  result: SymbolBatchDateResult,
  planning: ChunkPlanning,
  batch: { date: string; targetSymbols: string[]; options: SymbolBatchOptions },
): Promise<void> {
  const { date, targetSymbols, options } = batch;
  // Factor ETFs need prices even in a scoped run: every symbol is regressed on them.
  const priceSymbols = [...new Set([...targetSymbols, ...FACTOR_ETFS])];
  await runProfilePhase(ctx, rec, targetSymbols);
  const prices = await runChunkedPricePhase(ctx, rec, planning, {
    symbols: priceSymbols,
    date,
    ...(options.historyFrom ? { historyFrom: options.historyFrom } : {}),
  });
  result.pricesWritten = prices.rowsWritten;
  result.priceRequests = prices.requests;
  await runFundamentalsPhase(ctx, rec, targetSymbols, date);
  const factorTargets = targetSymbols.filter((s) => !prices.failed.has(s));
  const factors = await runChunkedFactorPhase(ctx, rec, planning, factorTargets, date);
  const notProcessed = new Set([
    ...factors.stale,
    ...factors.insufficient.map((i) => i.symbol),
    ...factors.failed.map((f) => f.symbol),
  ]);
  await new SymbolUniverseRepository(ctx.db).recordProcessed(
    factorTargets.filter((s) => !notProcessed.has(s)),
    date,
  );
  result.failedSymbols = [...prices.failed].map(([symbol, e]) => ({ symbol, ...e }));
  for (const s of factors.stale) {
    result.failedSymbols.push({
      symbol: s,
      code: 'stale_price',
      message: `no recent close up to ${date}`,
    });
  }
  for (const f of factors.failed) {
    result.failedSymbols.push({ symbol: f.symbol, code: 'chunk_failed', message: f.message });
  }
  const { insufficient, errors, failed: _failed, ...rest } = factors;
  result.factors = {
    ...rest,
    insufficientSymbols: [...new Set(insufficient.map((i) => i.symbol))],
    errorCount: errors.length,
  };
  result.status = rec.errorsRecorded > 0 ? 'partial' : 'completed';
}

/** The symbol batch scoped to `symbols` for one date (the onboarding's new symbols). */
export function runSymbolBatchFor(
  ctx: PipelineContext,
  symbols: readonly string[],
  options: { date: string; historyFrom?: string; triggeredBy?: string },
): Promise<SymbolBatchSummary> {
  return runSymbolBatch(ctx, { ...options, symbols });
}

/**
 * Prices only, outside any run (no `batch_runs` row): makes sure `symbols` have closes up to
 * `date` and back to `historyFrom` (the onboarding's known symbols and the factor ETFs).
 */
export function ensurePriceHistory(
  ctx: PipelineContext,
  symbols: readonly string[],
  date: string,
  historyFrom: string,
): Promise<PricePhaseResult> {
  return runPricePhase(ctx, null, symbols, date, historyFrom);
}
