import {
  isTradingDay,
  mostRecentCompletedTradingDay,
  previousTradingDay,
} from '../../domain/calendar/index.ts';
import type { PipelineContext } from '../pipeline-context.ts';

/**
 * The date a calculation runs for: the one asked for (moved back to a trading day), else the
 * most recent completed session bounded by the provider's latest data.
 */
export async function resolveCalculationDate(
  ctx: PipelineContext,
  requested?: string,
): Promise<string> {
  if (requested) return isTradingDay(requested) ? requested : previousTradingDay(requested);
  const completed = mostRecentCompletedTradingDay(ctx.now?.() ?? new Date());
  const latest = await ctx.provider.latestAvailableDate();
  const date = latest && latest < completed ? latest : completed;
  return isTradingDay(date) ? date : previousTradingDay(date);
}
