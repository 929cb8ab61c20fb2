import { tradingSessionsBetween } from '../../domain/calendar/index.ts';
import { addDays } from '../../domain/dates.ts';
import {
  buildStressFactorModel,
  type StressFactorModel,
} from '../../domain/stress/factor-model.ts';
import {
  replayCloseKeys,
  resolveScenario,
  STRESS_SCENARIOS,
  type ResolvedScenario,
} from '../../domain/stress/scenarios.ts';
import { STRESS_FACTOR_ETFS } from '../../domain/stress/stress-factors.ts';
import { MarketDataRepository } from '../../db/repositories/market-data-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';

/** The stress model uses 252 returns; one more close than that. */
const MODEL_SESSIONS = 253;

/**
 * One stress model per date, shared by every portfolio refreshed for it. A portfolio that brings
 * symbols the model lacks has just those fitted and added: a symbol's betas come from its own
 * ridge fit against the factor series, and Σ is the same whatever the symbols, so the model does
 * not depend on the order portfolios arrive in (refitting the union each time did the same work
 * again for every symbol already in).
 *
 * The built-in scenarios are resolved once per cache too: the historical replays' shocks are the
 * factor ETFs' realized moves over their windows, read from the stored closes.
 */
export class StressModelCache {
  private readonly models = new Map<string, { model: StressFactorModel; symbols: Set<string> }>();
  private scenarios: Promise<ResolvedScenario[]> | null = null;

  async get(
    ctx: PipelineContext,
    date: string,
    symbols: readonly string[],
  ): Promise<StressFactorModel> {
    const entry = this.models.get(date);
    const missing = [...new Set(symbols)].filter((s) => !entry?.symbols.has(s));
    if (entry && missing.length === 0) return entry.model;
    const etfs = Object.values(STRESS_FACTOR_ETFS);
    const toFit = entry ? missing : [...new Set([...missing, ...etfs])];
    const sessions = tradingSessionsBetween(addDays(date, -550), date).slice(-MODEL_SESSIONS);
    const closes = await ctx.cache.getAlignedCloses(
      ctx.db,
      [...new Set([...toFit, ...etfs])],
      sessions,
    );
    const fitted = buildStressFactorModel({ dates: sessions, closes, asOf: date, symbols: toFit });
    if (!entry) {
      this.models.set(date, { model: fitted, symbols: new Set(toFit) });
      return fitted;
    }
    const model: StressFactorModel = {
      ...entry.model,
      betas: new Map([...entry.model.betas, ...fitted.betas]),
      unavailable: new Map([...entry.model.unavailable, ...fitted.unavailable]),
    };
    this.models.set(date, { model, symbols: new Set([...entry.symbols, ...toFit]) });
    return model;
  }

  /**
   * The 22 built-in scenarios with their moves. A replay whose window has no stored close for any
   * factor ETF resolves to no moves; the caller leaves it out and says so.
   */
  builtInScenarios(ctx: PipelineContext): Promise<ResolvedScenario[]> {
    this.scenarios ??= (async () => {
      const { etfs, dates } = replayCloseKeys(STRESS_SCENARIOS);
      const closes = await new MarketDataRepository(ctx.db).closesOn(etfs, dates);
      const closeOn = (etf: string, date: string) => closes.get(`${etf}|${date}`);
      return STRESS_SCENARIOS.map((s) => resolveScenario(s, { closeOn }));
    })();
    return this.scenarios;
  }
}
