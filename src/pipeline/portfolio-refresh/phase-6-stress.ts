import {
  buildPortfolioStressModel,
  runScenarios,
  type StressPosition,
} from '../../domain/stress/run-stress-test.ts';
import type { PositionRow } from '../../db/repositories/position-repository.ts';
import {
  toStressResultRow,
  type PortfolioStressWrite,
} from '../../db/repositories/stress-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { PnlPhaseResult } from './phase-4-pnl.ts';
import type { StressModelCache } from './stress-model-cache.ts';
import type { StressFactorModel } from '../../domain/stress/factor-model.ts';
import type { ResolvedScenario } from '../../domain/stress/scenarios.ts';

export interface StressPhaseOutput {
  scenarios: number;
  excluded: number;
  /** Built-in replays left out because no factor ETF has closes over their window. */
  unavailable: string[];
  /** The rows and the model to write (the caller writes many portfolios' together). */
  write: Omit<PortfolioStressWrite, 'portfolioId'>;
}

/** The positions of the target day as the stress model takes them (options with their terms). */
export function stressPositionsOf(
  positions: readonly PositionRow[],
  pnl: PnlPhaseResult,
): StressPosition[] {
  const values = new Map(pnl.latest.positions.map((v) => [v.positionId, v]));
  const out: StressPosition[] = [];
  for (const p of positions) {
    const v = values.get(p.id);
    if (!v || v.marketValue === 0) continue;
    const common = {
      positionId: p.id,
      symbol: p.symbol,
      marketValue: v.marketValue,
      quantity: p.quantity,
    };
    if (p.investmentClass === 'PRIVATE') {
      out.push({ ...common, kind: 'private', multiplier: 1 });
    } else if (p.investmentClass === 'OPTIONS') {
      const o = pnl.optionDeltas.get(p.id);
      out.push({
        ...common,
        kind: 'option',
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
      out.push({ ...common, kind: 'equity', multiplier: 1 });
    }
  }
  return out;
}

export interface StressModels {
  factorModel: StressFactorModel;
  builtIn: ResolvedScenario[];
}

/** The date's factor model (with the positions' symbols fitted) and the resolved scenarios. */
export async function loadStressModels(
  ctx: PipelineContext,
  models: StressModelCache,
  stressPositions: readonly StressPosition[],
  date: string,
): Promise<StressModels> {
  const symbols = stressPositions
    .filter((p) => p.kind !== 'private')
    .map((p) => p.underlyingSymbol ?? p.symbol);
  const [factorModel, builtIn] = await Promise.all([
    models.get(ctx, date, symbols),
    models.builtInScenarios(ctx),
  ]);
  return { factorModel, builtIn };
}

export interface StressPhaseInput {
  /** stressPositionsOf(positions, pnl). */
  stressPositions: StressPosition[];
  pnl: PnlPhaseResult;
  date: string;
  models: StressModels;
}

/** Phase 6: the built-in scenarios for the target day, options fully revalued (SPEC §6). */
export function computeStressPhase(input: StressPhaseInput): StressPhaseOutput {
  const { stressPositions, pnl, date } = input;
  const { factorModel, builtIn } = input.models;
  const model = buildPortfolioStressModel(stressPositions, factorModel);
  const scenarios = builtIn.filter((s) => s.moves.length > 0);
  const unavailable = builtIn.filter((s) => s.moves.length === 0).map((s) => s.id);
  const results = runScenarios(model, scenarios, pnl.latest.netAssetValue);
  return {
    scenarios: scenarios.length,
    excluded: model.excluded.length,
    unavailable,
    write: {
      calculationDate: date,
      nav: pnl.latest.netAssetValue,
      model,
      unavailableScenarios: unavailable,
      rows: results.map(toStressResultRow),
    },
  };
}
