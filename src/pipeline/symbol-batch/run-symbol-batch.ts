import { runErrorMessage, symbolSetKey } from '../run-messages.ts';
import { FACTOR_ETFS } from '../../domain/factors/factor-definitions.ts';
import { isPrivateAssetSymbol } from '../../domain/symbols.ts';
import { BatchRunRepository } from '../../db/repositories/batch-run-repository.ts';
import { PositionRepository } from '../../db/repositories/position-repository.ts';
import { SymbolUniverseRepository } from '../../db/repositories/symbol-universe-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import { loadFactorDefinitions } from '../reference-data.ts';
import { withBatchRun } from '../with-batch-run.ts';
import { runProfilePhase } from './phase-0-profiles.ts';
import { runPricePhase, type PricePhaseResult } from './phase-1-prices.ts';
import { runFundamentalsPhase } from './phase-2-fundamentals.ts';
import { runFactorPhase, type FactorPhaseResult } from './phase-3-factors.ts';
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
  triggeredBy?: string;
  /** Fetch history back to at least this date (onboarding asks for the portfolio's history). */
  historyFrom?: string;
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

/**
 * The nightly symbol batch (SPEC §8): phases 0–3 for every date from the last completed run to
 * the target, each date recorded in `batch_runs`. A symbol's failure is recorded and retried next
 * run; it never fails the batch. Scoped runs (onboarding) process just the given symbols.
 */
export async function runSymbolBatch(
  ctx: PipelineContext,
  options: SymbolBatchOptions = {},
): Promise<SymbolBatchSummary> {
  const batchRuns = new BatchRunRepository(ctx.db);
  const universeRepo = new SymbolUniverseRepository(ctx.db);
  const definitions = await loadFactorDefinitions(ctx.db);

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
  });

  let symbols: { symbol: string; assetType: 'equity' | 'etf' | 'option_underlying' }[];
  let excluded: { symbol: string; reason: string }[];
  if (scoped) {
    const requested = [
      ...new Set(options.symbols!.map((s) => s.trim().toUpperCase()).filter(Boolean)),
    ];
    excluded = requested
      .filter(isPrivateAssetSymbol)
      .map((symbol) => ({ symbol, reason: 'private_asset' }));
    symbols = requested
      .filter((s) => !isPrivateAssetSymbol(s))
      .map((symbol) => ({ symbol, assetType: FACTOR_ETFS.includes(symbol) ? 'etf' : 'equity' }));
  } else {
    const universe = resolveSymbolUniverse({
      date: target,
      positions: await new PositionRepository(ctx.db).symbolsOfActivePositions(target),
      factorEtfs: FACTOR_ETFS,
      registered: await universeRepo.listActive(),
    });
    symbols = universe.symbols;
    excluded = universe.excluded;
  }
  await universeRepo.register(symbols, target);
  const targetSymbols = symbols.map((s) => s.symbol);
  // Factor ETFs need prices even in a scoped run: every symbol is regressed on them.
  const priceSymbols = [...new Set([...targetSymbols, ...FACTOR_ETFS])];
  const scopeLabel = scoped ? symbolSetKey(targetSymbols) : 'universe';

  const runs: SymbolBatchDateResult[] = [];
  for (const date of dates) {
    const result = await withBatchRun<SymbolBatchDateResult>({
      batchRuns,
      run: {
        jobType: 'symbol_batch',
        scope: { date, ...(scoped ? { symbols: targetSymbols } : {}) },
        scopeKey: scoped ? `${scopeLabel}|${date}` : `universe|${date}`,
        calculationDate: date,
        triggeredBy: options.triggeredBy ?? 'cli',
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
      async body(rec, result) {
        await runProfilePhase(ctx, rec, targetSymbols);
        const prices = await runPricePhase(ctx, rec, priceSymbols, date, options.historyFrom);
        result.pricesWritten = prices.rowsWritten;
        result.priceRequests = prices.requests;
        await runFundamentalsPhase(ctx, rec, targetSymbols, date);
        const factorTargets = targetSymbols.filter((s) => !prices.failed.has(s));
        const factors = await runFactorPhase(ctx, rec, definitions, factorTargets, date);
        await universeRepo.recordProcessed(
          factorTargets.filter(
            (s) => !factors.stale.includes(s) && !factors.insufficient.some((i) => i.symbol === s),
          ),
          date,
        );
        result.failedSymbols = [...prices.failed].map(([symbol, e]) => ({
          symbol,
          code: e.code,
          message: e.message,
        }));
        for (const s of factors.stale) {
          result.failedSymbols.push({
            symbol: s,
            code: 'stale_price',
            message: `no recent close up to ${date}`,
          });
        }
        const { insufficient, errors, ...rest } = factors;
        result.factors = {
          ...rest,
          insufficientSymbols: [...new Set(insufficient.map((i) => i.symbol))],
          errorCount: errors.length,
        };
        result.status = rec.errorsRecorded > 0 ? 'partial' : 'completed';
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
    runs.push(result);
  }
  return { target, note, scoped, excluded, runs };
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
