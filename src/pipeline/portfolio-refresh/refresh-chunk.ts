import { pgErrorOf } from '../../db/db-errors.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import { loadFactorDefinitions } from '../reference-data.ts';
import type { RefreshMode } from './phase-4-pnl.ts';
import {
  computePortfolioRefresh,
  type ComputedPortfolioRefresh,
  type PortfolioRefreshResult,
  type RefreshSettings,
} from './refresh-portfolio.ts';
import { loadRefreshInputs } from './refresh-inputs.ts';
import { StressModelCache } from './stress-model-cache.ts';
import { addWriteTimings, writePortfolioRefreshes } from './write-portfolio-refreshes.ts';

/**
 * Portfolios read, computed and written together. Measured on PGlite, 1,000 portfolios × 30
 * positions: one at a time 41 s; chunks of 10 to 50 all ~22–23 s (within run-to-run noise);
 * 100 and more slower again (~30 s). 25 sits in the flat part and keeps a failed chunk's
 * one-by-one retry short.
 */
export const REFRESH_CHUNK_SIZE = 25;

export interface RefreshChunkPayload {
  /** The run's plan this chunk belongs to: chunks of one plan share a stress model here. */
  plan: string;
  portfolioIds: string[];
  date: string;
  mode: RefreshMode;
  /** Portfolios read, computed and written together (REFRESH_CHUNK_SIZE). */
  groupSize: number;
}

export interface RefreshFailure {
  portfolioId: string;
  phase: string;
  message: string;
}

export interface RefreshChunkResult {
  results: PortfolioRefreshResult[];
  failures: RefreshFailure[];
}

/**
 * What every chunk of one plan shares in a process: the factor definitions and the stress models
 * (one per date; a symbol's fit does not depend on the others', so sharing changes no number).
 * The last two plans are kept: a worker works one refresh at a time.
 */
const sharedByPlan = new Map<string, Promise<RefreshSettings>>();

function settingsOf(ctx: PipelineContext, payload: RefreshChunkPayload): Promise<RefreshSettings> {
  let settings = sharedByPlan.get(payload.plan);
  if (!settings) {
    settings = loadFactorDefinitions(ctx.db).then((definitions) => ({
      date: payload.date,
      mode: payload.mode,
      definitions,
      stressModels: new StressModelCache(),
    }));
    settings.catch(() => sharedByPlan.delete(payload.plan));
    sharedByPlan.set(payload.plan, settings);
    while (sharedByPlan.size > 2) sharedByPlan.delete(sharedByPlan.keys().next().value!);
  }
  return settings;
}

/**
 * One chunk of the portfolio refresh: its portfolios in groups of `groupSize` — each group's
 * inputs read in bulk, each portfolio computed on its own, the group's rows written together.
 * One portfolio's failure never stops the others; a retried chunk rewrites the same rows.
 */
export async function runRefreshChunk(
  ctx: PipelineContext,
  payload: RefreshChunkPayload,
): Promise<RefreshChunkResult> {
  const settings = await settingsOf(ctx, payload);
  const out: RefreshChunkResult = { results: [], failures: [] };
  const fail = (portfolioId: string, phase: string, error: unknown) => {
    const message = messageOf(error);
    out.failures.push({ portfolioId, phase, message });
    ctx.logger.warn({ portfolio: portfolioId, phase, err: message }, 'portfolio refresh failed');
  };
  const size = Math.max(1, payload.groupSize);
  for (let start = 0; start < payload.portfolioIds.length; start += size) {
    const group = payload.portfolioIds.slice(start, start + size);
    const computed = await computeGroup(ctx, group, settings, fail);
    out.results.push(...(await writeGroup(ctx, payload.date, computed, fail)));
  }
  return out;
}

/**
 * The database's own message when there is one: the driver's error quotes the whole statement
 * with its parameters, which for a chunk's write is megabytes.
 */
export const messageOf = (error: unknown): string =>
  pgErrorOf(error)?.message ?? (error as Error).message;

type FailureSink = (portfolioId: string, phase: string, error: unknown) => void;

/** Reads a group's inputs in bulk and computes each portfolio; failures go to `fail`. */
async function computeGroup(
  ctx: PipelineContext,
  group: readonly string[],
  settings: RefreshSettings,
  fail: FailureSink,
): Promise<ComputedPortfolioRefresh[]> {
  const { date, mode } = settings;
  const t = performance.now();
  let inputs;
  try {
    inputs = await loadRefreshInputs(ctx, group, date, mode);
  } catch (error) {
    for (const id of group) fail(id, 'read', error);
    return [];
  }
  const readMs = (performance.now() - t) / group.length;
  const computed: ComputedPortfolioRefresh[] = [];
  for (const id of group) {
    try {
      const input = inputs.portfolios.get(id);
      if (!input) throw new Error(`portfolio ${id} does not exist or was deleted`);
      const c = await computePortfolioRefresh({
        ...settings,
        ctx,
        input,
        profiles: inputs.profiles,
      });
      c.result.phaseMs.read = readMs;
      computed.push(c);
    } catch (error) {
      fail(id, 'refresh', error);
    }
  }
  return computed;
}

/**
 * Writes a group's rows in one transaction; if that fails, each portfolio's in its own, so that
 * only the portfolios whose rows cannot be written fail. Returns the results of those written.
 */
async function writeGroup(
  ctx: PipelineContext,
  date: string,
  computed: readonly ComputedPortfolioRefresh[],
  fail: FailureSink,
): Promise<PortfolioRefreshResult[]> {
  if (computed.length === 0) return [];
  try {
    const timings = await writePortfolioRefreshes(
      ctx.db,
      date,
      computed.map((c) => c.write),
    );
    for (const c of computed) addWriteTimings(c.result.phaseMs, timings, computed.length);
    return computed.map((c) => c.result);
  } catch (error) {
    if (computed.length === 1) {
      fail(computed[0]!.result.portfolioId, 'write', error);
      return [];
    }
    ctx.logger.warn(
      { error: messageOf(error), portfolios: computed.length },
      'refresh chunk write failed; writing its portfolios one by one',
    );
  }
  const written: PortfolioRefreshResult[] = [];
  for (const c of computed) {
    try {
      addWriteTimings(c.result.phaseMs, await writePortfolioRefreshes(ctx.db, date, [c.write]), 1);
      written.push(c.result);
    } catch (error) {
      fail(c.result.portfolioId, 'write', error);
    }
  }
  return written;
}
