import type { FactorDefinitionRow } from '../../db/repositories/factor-repository.ts';
import { PortfolioRepository } from '../../db/repositories/portfolio-repository.ts';
import { SnapshotRepository } from '../../db/repositories/snapshot-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { RunRecorder } from '../run-recorder.ts';
import { runPnlPhase, type RefreshMode } from './phase-4-pnl.ts';
import { runPortfolioFactorPhase } from './phase-5-factors.ts';
import { runStressPhase } from './phase-6-stress.ts';
import { runAnalyticsPhase } from './phase-analytics.ts';
import type { StressModelCache } from './stress-model-cache.ts';

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
  phaseMs: Record<string, number>;
}

/**
 * Phases 4–6 and the analytics for one portfolio on one date. Progress goes to `rec` when given
 * (the onboarding status shows it); failures throw and the caller records them per portfolio.
 */
export async function refreshPortfolio(
  ctx: PipelineContext,
  portfolioId: string,
  date: string,
  mode: RefreshMode,
  definitions: readonly FactorDefinitionRow[],
  stressModels: StressModelCache,
  rec?: RunRecorder,
): Promise<PortfolioRefreshResult> {
  const portfolios = new PortfolioRepository(ctx.db);
  const portfolio = await portfolios.get(portfolioId);
  if (!portfolio) throw new Error(`portfolio ${portfolioId} does not exist or was deleted`);
  const positions = await portfolios.listPositions(portfolioId);
  const phaseMs: Record<string, number> = {};
  const timed = async <T>(id: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      phaseMs[id] = Math.round(performance.now() - t);
    }
  };

  await rec?.start('phase_4', positions.length);
  const pnl = await timed('phase_4', () => runPnlPhase(ctx, portfolio, positions, date, mode));
  if (!pnl) {
    await rec?.complete('phase_4');
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
  rec?.log(
    `P&L: ${pnl.snapshotsWritten} snapshot(s) written; NAV ${pnl.latest.netAssetValue.toFixed(2)} on ${date}`,
  );
  for (const issue of pnl.latest.dataIssues) rec?.log(issue.message, 'warning');
  await rec?.complete('phase_4');

  await rec?.start('phase_5', definitions.length);
  const factors = await timed('phase_5', () =>
    runPortfolioFactorPhase(ctx, portfolio, positions, pnl, definitions, date),
  );
  if (factors.missingSymbols.length > 0) {
    rec?.log(
      `Factors: no factor data for ${factors.missingSymbols.join(', ')}; excluded from betas`,
      'warning',
    );
  }
  await rec?.complete('phase_5');

  await rec?.start('phase_6', 22);
  const stress = await timed('phase_6', () =>
    runStressPhase(ctx, stressModels, portfolioId, positions, pnl, date),
  );
  rec?.log(
    `Stress tests: ${stress.scenarios} scenario(s); ${stress.excluded} position(s) excluded`,
  );
  await rec?.complete('phase_6');

  const analytics = await timed('analytics', () =>
    runAnalyticsPhase(ctx, portfolioId, positions, pnl, date),
  );
  await new SnapshotRepository(ctx.db).updateAnalytics(portfolioId, date, {
    ...analytics,
    betaCalculated90d: factors.betas.get('Market Beta (90D)') ?? null,
    betaProvider1y: factors.betas.get('Provider Beta (1Y)') ?? null,
    // A day with a price missing past the carry limit stays incomplete: the next run retries it.
    isComplete: pnl.latest.isComplete,
  });
  return {
    portfolioId,
    date,
    status: 'completed',
    snapshotsWritten: pnl.snapshotsWritten,
    netAssetValue: pnl.latest.netAssetValue,
    dataIssues: pnl.latest.dataIssues.length,
    factorsExcluded: factors.excluded,
    missingFactorSymbols: factors.missingSymbols,
    phaseMs,
  };
}
