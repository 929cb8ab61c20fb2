import { runAllScenarios, type StressPosition } from '../../domain/stress/run-stress-test.ts';
import { STRESS_SCENARIOS } from '../../domain/stress/scenarios.ts';
import type { PositionRow } from '../../db/repositories/portfolio-repository.ts';
import { StressRepository } from '../../db/repositories/stress-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { PnlPhaseResult } from './phase-4-pnl.ts';
import type { StressModelCache } from './stress-model-cache.ts';

export interface StressPhaseOutput {
  scenarios: number;
  excluded: number;
}

/** Phase 6: all 22 scenarios for the target day, options fully revalued (SPEC §6). */
export async function runStressPhase(
  ctx: PipelineContext,
  models: StressModelCache,
  portfolioId: string,
  positions: readonly PositionRow[],
  pnl: PnlPhaseResult,
  date: string,
): Promise<StressPhaseOutput> {
  const values = new Map(pnl.latest.positions.map((v) => [v.positionId, v]));
  const stressPositions: StressPosition[] = [];
  for (const p of positions) {
    const v = values.get(p.id);
    if (!v || v.marketValue === 0) continue;
    if (p.investmentClass === 'PRIVATE') {
      stressPositions.push({
        positionId: p.id,
        symbol: p.symbol,
        kind: 'private',
        marketValue: v.marketValue,
        quantity: p.quantity,
        multiplier: 1,
      });
    } else if (p.investmentClass === 'OPTIONS') {
      const o = pnl.optionDeltas.get(p.id);
      stressPositions.push({
        positionId: p.id,
        symbol: p.symbol,
        kind: 'option',
        marketValue: v.marketValue,
        quantity: p.quantity,
        multiplier: 100,
        ...(o
          ? {
              underlyingSymbol: o.underlying,
              underlyingPrice: o.underlyingPrice,
              option: {
                kind: o.kind,
                strike: o.strike,
                years: o.years,
                rate: o.rate,
                volatility: o.volatility,
                price: o.price,
              },
            }
          : {}),
      });
    } else {
      stressPositions.push({
        positionId: p.id,
        symbol: p.symbol,
        kind: 'equity',
        marketValue: v.marketValue,
        quantity: p.quantity,
        multiplier: 1,
      });
    }
  }
  const symbols = stressPositions
    .filter((p) => p.kind !== 'private')
    .map((p) => p.underlyingSymbol ?? p.symbol);
  const model = await models.get(ctx, date, symbols);
  const results = runAllScenarios({
    positions: stressPositions,
    model,
    nav: pnl.latest.netAssetValue,
  });
  await new StressRepository(ctx.db).replaceResults(
    portfolioId,
    date,
    results.map((r) => ({
      scenarioId: r.scenarioId,
      portfolioValue: r.nav,
      directPnl: r.directPnl,
      correlatedPnl: r.correlatedPnl,
      correlationEffect: r.correlationEffect,
      factorImpacts: r.factorImpacts,
      positionImpacts: {
        positions: r.positionImpacts,
        excluded: r.excluded,
        attribution_residual: r.attributionResidual,
      },
    })),
  );
  return { scenarios: STRESS_SCENARIOS.length, excluded: results[0]?.excluded.length ?? 0 };
}
