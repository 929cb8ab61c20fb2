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
import type { CachedFactor } from '../symbol-cache.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { RunRecorder } from '../run-recorder.ts';

/** A symbol whose last close is older than this many sessions gets no factors for the date. */
const MAX_STALE_SESSIONS = 5;

export interface FactorPhaseResult {
  symbolsComputed: number;
  rowsWritten: number;
  insufficient: { symbol: string; factor: string; observations: number; required: number }[];
  errors: { symbol: string; factor: string; reason: string }[];
  stale: string[];
  regressions: number;
  computeMs: number;
}

/**
 * Phase 3: the 13 factors for every target symbol on `date`, computed in one batched pass
 * (one regression set-up per window shared by all symbols) and written in one transaction.
 */
export async function runFactorPhase(
  ctx: PipelineContext,
  rec: RunRecorder,
  definitions: readonly FactorDefinitionRow[],
  targets: readonly string[],
  date: string,
): Promise<FactorPhaseResult> {
  await rec.start('phase_3', targets.length);
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

  const providerBetas = await new CompanyProfileRepository(ctx.db).getProviderBetas(fresh);
  const started = performance.now();
  const computed = computeSymbolFactors({
    dates: sessions,
    closes,
    symbols: fresh,
    calculationDate: date,
    providerBetas,
  });
  const computeMs = performance.now() - started;

  const idByName = new Map(definitions.map((d) => [d.name, d.id]));
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
  await new FactorRepository(ctx.db).replaceSymbolExposures(rows, {
    symbols: targets,
    dates: [date],
  });
  ctx.cache.putFactors(date, bySymbol);

  for (const e of computed.errors) {
    rec.error({
      symbol: e.symbol,
      phase: 'phase_3',
      code: 'calculation_error',
      message: `${e.factor}: ${e.reason}`,
    });
  }
  for (const symbol of stale) {
    rec.error({
      symbol,
      phase: 'phase_3',
      code: 'stale_price',
      message: `no close for ${symbol} in the ${MAX_STALE_SESSIONS + 1} sessions up to ${date}; factors not computed`,
    });
  }
  // Too little history is a state of the data, not a failure of the run: logged, kept on the symbol.
  const shortSymbols = new Map<string, string>();
  for (const i of computed.insufficient) {
    if (!shortSymbols.has(i.symbol)) {
      shortSymbols.set(
        i.symbol,
        `insufficient_history: ${i.factor} has ${i.observations} of ${i.required} returns`,
      );
    }
  }
  await new SymbolUniverseRepository(ctx.db).recordFailures(
    [...shortSymbols].map(([symbol, error]) => ({ symbol, error })),
  );
  if (shortSymbols.size > 0) {
    rec.log(
      `Factors: ${shortSymbols.size} symbol(s) have insufficient history for some factors (${[...shortSymbols.keys()].slice(0, 10).join(', ')})`,
      'warning',
    );
  }
  const regressions = computed.results.filter((r) => r.calculationMethod !== 'provider').length;
  rec.log(
    `Factors: ${bySymbol.size} symbol(s), ${rows.length} exposure row(s) for ${date}; compute ${computeMs.toFixed(0)} ms`,
  );
  await rec.complete('phase_3');
  return {
    symbolsComputed: bySymbol.size,
    rowsWritten: rows.length,
    insufficient: computed.insufficient,
    errors: computed.errors,
    stale,
    regressions,
    computeMs,
  };
}
