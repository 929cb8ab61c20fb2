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
 * symbols the model lacks rebuilds it for the union (fitting is ~0.2 ms per symbol).
 */
export class StressModelCache {
  private readonly models = new Map<string, { model: StressFactorModel; symbols: Set<string> }>();

  async get(
    ctx: PipelineContext,
    date: string,
    symbols: readonly string[],
  ): Promise<StressFactorModel> {
    const entry = this.models.get(date);
    if (entry && symbols.every((s) => entry.symbols.has(s))) return entry.model;
    const all = new Set([
      ...(entry?.symbols ?? []),
      ...symbols,
      ...Object.values(STRESS_FACTOR_ETFS),
    ]);
    const sessions = tradingSessionsBetween(addDays(date, -550), date).slice(-MODEL_SESSIONS);
    const closes = await ctx.cache.getAlignedCloses(ctx.db, [...all], sessions);
    const model = buildStressFactorModel({
      dates: sessions,
      closes,
      asOf: date,
      symbols: [...all],
    });
    this.models.set(date, { model, symbols: all });
    return model;
  }
}
