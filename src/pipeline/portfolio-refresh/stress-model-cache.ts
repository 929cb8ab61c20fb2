import { tradingSessionsBetween } from '../../domain/calendar/index.ts';
import { addDays } from '../../domain/dates.ts';
import {
  buildStressFactorModel,
  type StressFactorModel,
} from '../../domain/stress/factor-model.ts';
import { STRESS_FACTOR_ETFS } from '../../domain/stress/scenarios.ts';
import type { PipelineContext } from '../pipeline-context.ts';

/** The stress model uses 252 returns; one more close than that. */
const MODEL_SESSIONS = 253;

/**
 * One stress model per date, shared by every portfolio refreshed for it. A portfolio that brings
 * symbols the model lacks has just those fitted and added: a symbol's betas come from its own
 * ridge fit against the ETFs, and the ETF covariance is the same whatever the symbols, so the
 * model does not depend on the order portfolios arrive in (refitting the union each time did
 * the same work again for every symbol already in).
 */
export class StressModelCache {
  private readonly models = new Map<string, { model: StressFactorModel; symbols: Set<string> }>();

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
}
