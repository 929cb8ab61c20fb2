import {
  aggregateFactorExposures,
  type FactorExposureInput,
} from '../../domain/portfolio-factors/aggregate-factor-exposures.ts';
import {
  FactorRepository,
  type FactorDefinitionRow,
} from '../../db/repositories/factor-repository.ts';
import type { PortfolioFactorWrite } from '../../db/repositories/portfolio-factor-repository.ts';
import type { PositionRow } from '../../db/repositories/position-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { PnlPhaseResult } from './phase-4-pnl.ts';
import { optionTermsOf } from '../../domain/positions/option-terms.ts';

export interface FactorPhaseOutput {
  betas: Map<string, number>;
  excluded: number;
  missingSymbols: string[];
  /** The rows to write (the caller writes many portfolios' together). */
  write: PortfolioFactorWrite;
}

/** The exposures phase 5 aggregates: each position held on the target day, with its beta symbol. */
export function factorExposureInputsOf(
  positions: readonly PositionRow[],
  pnl: PnlPhaseResult,
): FactorExposureInput[] {
  const values = new Map(pnl.latest.positions.map((v) => [v.positionId, v]));
  const inputs: FactorExposureInput[] = [];
  for (const p of positions) {
    const v = values.get(p.id);
    if (!v || v.marketValue === 0) continue; // not held on the date
    if (p.investmentClass === 'PRIVATE') {
      inputs.push({
        positionId: p.id,
        symbol: p.symbol,
        kind: 'private',
        exposure: v.marketValue,
        betaSymbol: p.symbol,
      });
    } else if (p.investmentClass === 'OPTIONS') {
      const d = pnl.optionDeltas.get(p.id);
      const terms = optionTermsOf(p);
      inputs.push({
        positionId: p.id,
        symbol: p.symbol,
        kind: 'option',
        exposure: d ? d.delta * 100 * p.quantity * d.underlyingPrice : 0,
        betaSymbol: terms?.underlying ?? p.symbol,
      });
    } else {
      inputs.push({
        positionId: p.id,
        symbol: p.symbol,
        kind: 'public',
        exposure: v.marketValue,
        betaSymbol: p.symbol,
      });
    }
  }
  return inputs;
}

export interface PortfolioFactorPhaseInput {
  portfolioId: string;
  positions: readonly PositionRow[];
  pnl: PnlPhaseResult;
  definitions: readonly FactorDefinitionRow[];
  /** factorExposureInputsOf(positions, pnl). */
  exposures: readonly FactorExposureInput[];
  /** The betas of the exposures' symbols for the date (loadSymbolBetas). */
  symbolBetas: Map<string, Map<string, number>>;
}

/** Phase 5: portfolio and position factor exposures for the target day (SPEC §3.2). */
export function computePortfolioFactorPhase(input: PortfolioFactorPhaseInput): FactorPhaseOutput {
  const { portfolioId, positions, pnl, definitions, symbolBetas } = input;
  const names = definitions.map((d) => d.name);
  const result = aggregateFactorExposures({
    positions: input.exposures,
    symbolBetas,
    factorNames: names,
    equity: pnl.latest.netAssetValue,
  });
  const idByName = new Map(definitions.map((d) => [d.name, d.id]));
  return {
    betas: result.betas,
    excluded: result.excluded.length,
    missingSymbols: result.excluded
      .filter((e) => e.reason === 'no_factor_data')
      .map((e) => e.symbol),
    write: {
      portfolioId,
      portfolioRows: names.map((n) => ({
        factorId: idByName.get(n)!,
        value: result.betas.get(n)!,
        dollars: result.dollars.get(n)!,
      })),
      positionRows: result.positions.flatMap((p) =>
        [...p.betas].map(([n, beta]) => ({
          positionId: p.positionId,
          factorId: idByName.get(n)!,
          value: beta,
          dollars: p.contributions.get(n)! * pnl.latest.netAssetValue,
        })),
      ),
      positionIds: positions.map((p) => p.id),
      factorIds: definitions.map((d) => d.id),
    },
  };
}

/**
 * Symbol betas for the date from the symbol cache (filled by phase 3 of the symbol batch), with
 * the database behind it for the symbols the cache does not hold; those are cached on the way.
 */
export async function loadSymbolBetas(
  ctx: PipelineContext,
  exposures: readonly FactorExposureInput[],
  date: string,
): Promise<Map<string, Map<string, number>>> {
  const symbols = [...new Set(exposures.map((i) => i.betaSymbol))];
  const out = new Map<string, Map<string, number>>();
  const missing: string[] = [];
  for (const s of symbols) {
    const cached = ctx.cache.getFactors(s, date);
    if (cached) out.set(s, new Map(cached.map((f) => [f.factorName, f.beta])));
    else missing.push(s);
  }
  if (missing.length > 0) {
    const loaded = await new FactorRepository(ctx.db).symbolBetas(missing, date);
    const toCache = new Map<
      string,
      { factorName: string; beta: number; rSquared: null; observations: number }[]
    >();
    for (const [s, betas] of loaded) {
      out.set(s, betas);
      toCache.set(
        s,
        [...betas].map(([factorName, beta]) => ({
          factorName,
          beta,
          rSquared: null,
          observations: 0,
        })),
      );
    }
    ctx.cache.putFactors(date, toCache);
  }
  return out;
}
