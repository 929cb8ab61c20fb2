import { listSymbols } from '../run-messages.ts';
import type { FactorDefinitionRow } from '../../db/repositories/factor-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { PositionRow } from '../../db/repositories/position-repository.ts';
import type { RunRecorder } from '../run-recorder.ts';
import { historyWindowOf } from '../../domain/pnl/history-window.ts';
import {
  computePnlPhase,
  loadPnlMarketData,
  type PnlPhaseResult,
  type RefreshMode,
} from './phase-4-pnl.ts';
import {
  computePortfolioFactorPhase,
  factorExposureInputsOf,
  loadSymbolBetas,
} from './phase-5-factors.ts';
import { STRESS_SCENARIOS } from '../../domain/stress/scenarios.ts';
import {
  computeStressPhase,
  loadStressModels,
  stressPositionsOf,
  type StressPhaseOutput,
} from './phase-6-stress.ts';
import type {
  RefreshedSnapshotRow,
  SnapshotAnalytics,
  SnapshotPnlRow,
} from '../../db/repositories/snapshot-repository.ts';
import { computeAnalyticsPhase, type SectorLookup } from './phase-analytics.ts';
import { loadRefreshInputs, type PortfolioRefreshInput } from './refresh-inputs.ts';
import type { StressModelCache } from './stress-model-cache.ts';
import {
  addWriteTimings,
  writePortfolioRefreshes,
  type PortfolioRefreshWrite,
} from './write-portfolio-refreshes.ts';

export interface PortfolioRefreshResult {
  portfolioId: string;
  date: string;
  status: 'completed' | 'skipped';
  reason?: string;
  snapshotsWritten: number;
  netAssetValue: number | null;
  dataIssues: number;
  factorsExcluded: number;
  missingFactorSymbols: string[];
  /**
   * Time per phase: its computation plus its share of the rows' write (a chunk's writes are
   * shared equally by its portfolios), and `read` for the inputs.
   */
  phaseMs: Record<string, number>;
}

export interface ComputedPortfolioRefresh {
  result: PortfolioRefreshResult;
  write: PortfolioRefreshWrite;
}

/** What every portfolio of one refresh shares. */
export interface RefreshSettings {
  date: string;
  mode: RefreshMode;
  definitions: readonly FactorDefinitionRow[];
  stressModels: StressModelCache;
}

export interface ComputePortfolioRefreshParams extends RefreshSettings {
  ctx: PipelineContext;
  input: PortfolioRefreshInput;
  /** Company profiles of the portfolio's symbols (loaded for the chunk). */
  profiles: SectorLookup;
  /** Progress and log lines go here when given (the onboarding status shows them). */
  rec?: RunRecorder;
}

/**
 * Phases 4–6 and the analytics for one portfolio on one date, computed from its loaded inputs;
 * the rows come back to be written with other portfolios'. Progress goes to `rec` when given
 * (the onboarding status shows it); failures throw and the caller records them per portfolio.
 */
export async function computePortfolioRefresh(
  params: ComputePortfolioRefreshParams,
): Promise<ComputedPortfolioRefresh> {
  const { ctx, input, date, mode, definitions, stressModels, profiles, rec } = params;
  const { portfolio, positions } = input;
  const phaseMs: Record<string, number> = {};
  const timed = phaseTimer(phaseMs);
  const write = emptyWrite(portfolio.id, date, portfolio.anchorDate);

  await rec?.start('phase_4', positions.length);
  const pnlOutput = await timed('phase_4', async () => {
    const window = historyWindowOf(portfolio, positions, date);
    if (window.sessions.length < 2) return null;
    const market = await loadPnlMarketData(ctx, window);
    return computePnlPhase({ ...input, target: date, mode, window, market });
  });
  if (!pnlOutput) {
    await rec?.complete('phase_4');
    return { result: skippedResult(portfolio.id, date, phaseMs), write };
  }
  const { pnl } = pnlOutput;
  write.valuations = pnlOutput.valuations;
  rec?.log(
    `P&L: ${pnl.snapshotsWritten} snapshot(s) written; NAV ${pnl.latest.netAssetValue.toFixed(2)} on ${date}`,
  );
  logDataIssues(rec, pnl.latest.dataIssues);
  await rec?.complete('phase_4');

  await rec?.start('phase_5', definitions.length);
  const factors = await timed('phase_5', () =>
    factorPhase(ctx, portfolio.id, positions, pnl, definitions, date),
  );
  write.factors = factors.write;
  if (factors.missingSymbols.length > 0) {
    rec?.log(
      `Factors: no factor data for ${listSymbols(factors.missingSymbols)}; excluded from betas`,
      'warning',
    );
  }
  await rec?.complete('phase_5');

  await rec?.start('phase_6', STRESS_SCENARIOS.length);
  const stress = await timed('phase_6', async () => {
    const stressPositions = stressPositionsOf(positions, pnl);
    const models = await loadStressModels(ctx, stressModels, stressPositions, date);
    return computeStressPhase({ stressPositions, pnl, date, models });
  });
  write.stress = stress.write;
  logStress(rec, stress);

  const analytics = await timed('analytics', () =>
    computeAnalyticsPhase(positions, pnl, date, profiles),
  );
  write.correlation = analytics.correlation;
  write.snapshots = snapshotRowsOf(pnlOutput.snapshotRows, portfolio.id, date, pnl, {
    ...analytics.analytics,
    betaCalculated90d: factors.betas.get('Market Beta (90D)') ?? null,
    betaProvider1y: factors.betas.get('Provider Beta (1Y)') ?? null,
  });
  const result: PortfolioRefreshResult = {
    portfolioId: portfolio.id,
    date,
    status: 'completed',
    snapshotsWritten: pnl.snapshotsWritten,
    netAssetValue: pnl.latest.netAssetValue,
    dataIssues: pnl.latest.dataIssues.length,
    factorsExcluded: factors.excluded,
    missingFactorSymbols: factors.missingSymbols,
    phaseMs,
  };
  return { result, write };
}

/** Phase 5: the symbols' betas (through the cache), then the portfolio's exposures. */
async function factorPhase(
  ctx: PipelineContext,
  portfolioId: string,
  positions: readonly PositionRow[],
  pnl: PnlPhaseResult,
  definitions: readonly FactorDefinitionRow[],
  date: string,
) {
  const exposures = factorExposureInputsOf(positions, pnl);
  const symbolBetas = await loadSymbolBetas(ctx, exposures, date);
  return computePortfolioFactorPhase({
    portfolioId,
    positions,
    pnl,
    definitions,
    exposures,
    symbolBetas,
  });
}

/** Runs a phase and adds its time to `phaseMs[id]`, whether it returns or throws. */
function phaseTimer(phaseMs: Record<string, number>) {
  return async <T>(id: string, fn: () => Promise<T> | T): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      phaseMs[id] = (phaseMs[id] ?? 0) + (performance.now() - t);
    }
  };
}

/** Nothing to write yet; the phases fill it in. */
function emptyWrite(
  portfolioId: string,
  date: string,
  anchorDate: string | null,
): PortfolioRefreshWrite {
  return {
    portfolioId,
    // The first calculation date becomes the anchor (DECISIONS: anchor).
    anchorDate: anchorDate ? null : date,
    snapshots: [],
    valuations: [],
    factors: null,
    stress: null,
    correlation: null,
  };
}

function skippedResult(
  portfolioId: string,
  date: string,
  phaseMs: Record<string, number>,
): PortfolioRefreshResult {
  return {
    portfolioId,
    date,
    status: 'skipped',
    reason: 'no position is open on or before the date',
    snapshotsWritten: 0,
    netAssetValue: null,
    dataIssues: 0,
    factorsExcluded: 0,
    missingFactorSymbols: [],
    phaseMs,
  };
}

/** The P&L rows to write, the target day's completed with its analytics. */
function snapshotRowsOf(
  rows: readonly SnapshotPnlRow[],
  portfolioId: string,
  date: string,
  pnl: PnlPhaseResult,
  analytics: SnapshotAnalytics,
): RefreshedSnapshotRow[] {
  return rows.map((row) =>
    row.snapshotDate === date
      ? {
          ...row,
          portfolioId,
          analytics,
          // A day with a price missing past the carry limit stays incomplete: the next run
          // retries it.
          isComplete: pnl.latest.isComplete,
        }
      : { ...row, portfolioId, analytics: null },
  );
}

function logStress(rec: RunRecorder | undefined, stress: StressPhaseOutput): void {
  rec?.log(
    `Stress tests: ${stress.scenarios} scenario(s); ${stress.excluded} position(s) excluded`,
  );
  if (stress.unavailable.length > 0) {
    rec?.log(
      `Stress tests: ${stress.unavailable.join(', ')} not evaluated: no stored closes of the factor ETFs over the window`,
      'warning',
    );
  }
}

/**
 * Phases 4–6 and the analytics for one portfolio on one date, read, computed and written (the
 * onboarding path; the nightly refresh does the same for chunks of portfolios).
 */
export async function refreshPortfolio(
  params: RefreshSettings & { ctx: PipelineContext; portfolioId: string; rec?: RunRecorder },
): Promise<PortfolioRefreshResult> {
  const { ctx, portfolioId, date, mode, rec } = params;
  const t = performance.now();
  const inputs = await loadRefreshInputs(ctx, [portfolioId], date, mode);
  const input = inputs.portfolios.get(portfolioId);
  if (!input) throw new Error(`portfolio ${portfolioId} does not exist or was deleted`);
  const readMs = performance.now() - t;
  const computed = await computePortfolioRefresh({ ...params, input, profiles: inputs.profiles });
  const timings = await writePortfolioRefreshes(ctx.db, date, [computed.write]);
  if (computed.result.status === 'completed') await rec?.complete('phase_6');
  addWriteTimings(computed.result.phaseMs, { read: readMs, ...timings }, 1);
  return computed.result;
}

/** A line per data issue while there are few; one summary per kind (count, first symbols) after. */
function logDataIssues(
  rec: RunRecorder | null | undefined,
  issues: readonly { kind: string; symbol: string; message: string }[],
): void {
  if (!rec) return;
  if (issues.length <= 10) {
    for (const issue of issues) rec.log(issue.message, 'warning');
    return;
  }
  const byKind = new Map<string, string[]>();
  for (const issue of issues)
    byKind.set(issue.kind, [...(byKind.get(issue.kind) ?? []), issue.symbol]);
  for (const [kind, symbols] of byKind) {
    rec.log(
      `${symbols.length} position(s) with ${kind.replace(/_/g, ' ')} (carried at their last known or entry price): ${listSymbols(symbols)}`,
      'warning',
    );
  }
}
