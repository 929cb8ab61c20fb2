import { tradingSessionsBetween } from '../../domain/calendar/index.ts';
import { addDays } from '../../domain/dates.ts';
import { computeSymbolFactors } from '../../domain/factors/compute-symbol-factors.ts';
import { FACTOR_ETFS, SPREAD_WINDOW } from '../../domain/factors/factor-definitions.ts';
import { CompanyProfileRepository } from '../../db/repositories/company-profile-repository.ts';
import {
  FactorRepository,
  type FactorDefinitionRow,
  type SymbolFactorRow,
} from '../../db/repositories/factor-repository.ts';
import { SymbolUniverseRepository } from '../../db/repositories/symbol-universe-repository.ts';
import { loadFactorDefinitions } from '../reference-data.ts';
import type { CachedFactor } from '../symbol-cache.ts';
import type { PipelineContext } from '../pipeline-context.ts';

/** A symbol whose last close is older than this many sessions gets no factors for the date. */
export const MAX_STALE_SESSIONS = 5;

type Computed = ReturnType<typeof computeSymbolFactors>;

export interface FactorPhaseResult {
  symbolsComputed: number;
  rowsWritten: number;
  insufficient: Computed['insufficient'];
  errors: Computed['errors'];
  stale: string[];
  regressions: number;
  computeMs: number;
}

export interface FactorChunkPayload {
  targets: string[];
  date: string;
}

/** What the factor compute of one chunk needs, read from the database (or the cache). */
export interface FactorInputs {
  date: string;
  targets: readonly string[];
  sessions: string[];
  closes: Map<string, Float64Array>;
  /** Targets with a close in the last MAX_STALE_SESSIONS + 1 sessions, and the others. */
  fresh: string[];
  stale: string[];
  providerBetas: Awaited<ReturnType<CompanyProfileRepository['getProviderBetas']>>;
  definitions: readonly FactorDefinitionRow[];
}

/** A chunk's computed factors: the rows to write and what the run reports. */
export interface ComputedFactors {
  rows: SymbolFactorRow[];
  bySymbol: Map<string, CachedFactor[]>;
  computed: Computed;
  computeMs: number;
}

/**
 * One chunk of phase 3: the 13 factors of `targets` on `date`, computed in one batched pass (one
 * regression set-up per window shared by the chunk's symbols) and written in one transaction.
 * Each symbol is regressed on the factor ETFs' closes alone, so its rows do not depend on which
 * other symbols share its chunk.
 */
export async function runFactorChunk(
  ctx: PipelineContext,
  payload: FactorChunkPayload,
): Promise<FactorPhaseResult> {
  const inputs = await readFactorInputs(ctx, payload.targets, payload.date);
  const computed = computeFactors(inputs);
  await writeFactors(ctx, inputs, computed);
  return {
    symbolsComputed: computed.bySymbol.size,
    rowsWritten: computed.rows.length,
    insufficient: computed.computed.insufficient,
    errors: computed.computed.errors,
    stale: inputs.stale,
    regressions: computed.computed.results.filter((r) => r.calculationMethod !== 'provider').length,
    computeMs: computed.computeMs,
  };
}

/** Read: the closes (targets and factor ETFs) of the longest window, provider betas, definitions. */
export async function readFactorInputs(
  ctx: PipelineContext,
  targets: readonly string[],
  date: string,
): Promise<FactorInputs> {
  // One close more than the longest window, to have that many returns.
  const sessions = tradingSessionsBetween(addDays(date, -400), date).slice(-(SPREAD_WINDOW + 1));
  const wanted = [...new Set([...targets, ...FACTOR_ETFS])];
  const closes = await ctx.cache.getAlignedCloses(ctx.db, wanted, sessions);
  const stale: string[] = [];
  const fresh: string[] = [];
  const lastIndex = sessions.length - 1;
  for (const symbol of targets) {
    const series = closes.get(symbol)!;
    let latest = -1;
    for (let i = lastIndex; i >= 0 && i >= lastIndex - MAX_STALE_SESSIONS; i--) {
      if (!Number.isNaN(series[i]!)) {
        latest = i;
        break;
      }
    }
    if (latest < 0) stale.push(symbol);
    else fresh.push(symbol);
  }
  const [providerBetas, definitions] = await Promise.all([
    new CompanyProfileRepository(ctx.db).getProviderBetas(fresh),
    loadFactorDefinitions(ctx.db),
  ]);
  return { date, targets, sessions, closes, fresh, stale, providerBetas, definitions };
}

/** Compute (pure): the factors of the fresh targets, as rows and as the cache holds them. */
export function computeFactors(inputs: FactorInputs): ComputedFactors {
  const { date } = inputs;
  const started = performance.now();
  const computed = computeSymbolFactors({
    dates: inputs.sessions,
    closes: inputs.closes,
    symbols: inputs.fresh,
    calculationDate: date,
    providerBetas: inputs.providerBetas,
  });
  const computeMs = performance.now() - started;
  const idByName = new Map(inputs.definitions.map((d) => [d.name, d.id]));
  const rows: SymbolFactorRow[] = [];
  const bySymbol = new Map<string, CachedFactor[]>();
  for (const r of computed.results) {
    const factorId = idByName.get(r.factorName);
    if (factorId === undefined) throw new Error(`factor "${r.factorName}" is not seeded`);
    rows.push({
      symbol: r.symbol,
      factorId,
      calculationDate: date,
      beta: r.beta,
      rSquared: r.rSquared,
      stdError: r.stdError,
      observations: r.observations,
      calculationMethod: r.calculationMethod,
      regularizationAlpha: r.regularizationAlpha,
      windowDays: r.windowDays,
      qualityFlag: r.qualityFlag,
    });
    let list = bySymbol.get(r.symbol);
    if (!list) bySymbol.set(r.symbol, (list = []));
    list.push({
      factorName: r.factorName,
      beta: r.beta,
      rSquared: r.rSquared,
      observations: r.observations,
    });
  }
  return { rows, bySymbol, computed, computeMs };
}

/**
 * Write: the chunk's exposures replace its targets' rows for the date (a retried chunk rewrites
 * the same rows), and too little history is kept on the symbol — a state of the data, not a
 * failure of the run.
 */
export async function writeFactors(
  ctx: PipelineContext,
  inputs: FactorInputs,
  { rows, bySymbol, computed }: ComputedFactors,
): Promise<void> {
  await new FactorRepository(ctx.db).replaceSymbolExposures(rows, {
    symbols: inputs.targets,
    dates: [inputs.date],
  });
  ctx.cache.putFactors(inputs.date, bySymbol);
  await new SymbolUniverseRepository(ctx.db).recordFailures(
    [...shortHistory(computed.insufficient)].map(([symbol, error]) => ({ symbol, error })),
  );
}

/** The first factor each short symbol lacks history for, as the symbol's last error. */
export function shortHistory(insufficient: Computed['insufficient']): Map<string, string> {
  const short = new Map<string, string>();
  for (const i of insufficient) {
    if (!short.has(i.symbol)) {
      short.set(
        i.symbol,
        `insufficient_history: ${i.factor} has ${i.observations} of ${i.required} returns`,
      );
    }
  }
  return short;
}
