import { runAllScenarios, type StressPosition } from '../../domain/stress/run-stress-test.ts';
import { STRESS_SCENARIOS } from '../../domain/stress/scenarios.ts';
import type { PositionRow } from '../../db/repositories/portfolio-repository.ts';
import type { StressResultRow } from '../../db/repositories/stress-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { PnlPhaseResult } from './phase-4-pnl.ts';
import type { StressModelCache } from './stress-model-cache.ts';

export const POSITION_IMPACT_COLUMNS = [
  'position_id',
  'symbol',
  'pnl_direct',
  'pnl_correlated',
  'return_direct',
  'return_correlated',
] as const;
const cents = (x: number) => Math.round(x * 100) / 100;
const ratio = (x: number) => Math.round(x * 1e8) / 1e8;

export interface StressPhaseOutput {
  scenarios: number;
  excluded: number;
  /** The rows to write (the caller writes many portfolios' together). */
  rows: StressResultRow[];
}

/** Phase 6: all 22 scenarios for the target day, options fully revalued (SPEC §6). */
export async function computeStressPhase(
  ctx: PipelineContext,
  models: StressModelCache,
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
  const rows = results.map((r): StressResultRow => ({
    scenarioId: r.scenarioId,
    portfolioValue: r.nav,
    directPnl: r.directPnl,
    correlatedPnl: r.correlatedPnl,
    correlationEffect: r.correlationEffect,
    factorImpacts: r.factorImpacts,
    // Column-wise and rounded: one row per position per scenario adds up (22 × N), and the
    // stored size is what the nightly refresh pays for.
    positionImpacts: {
      columns: POSITION_IMPACT_COLUMNS,
      rows: r.positionImpacts.map((p) => [
        p.positionId,
        p.symbol,
        cents(p.pnl_direct),
        cents(p.pnl_correlated),
        ratio(p.return_direct),
        ratio(p.return_correlated),
      ]),
      excluded: r.excluded,
      attribution_residual: {
        direct: cents(r.attributionResidual.direct),
        correlated: cents(r.attributionResidual.correlated),
      },
    },
  }));
  return { scenarios: STRESS_SCENARIOS.length, excluded: results[0]?.excluded.length ?? 0, rows };
}
