import type { IsoDate } from '../dates.ts';
import {
  computeVolatilityAnalytics,
  type VolatilityAnalytics,
  type VolatilityOptions,
} from './compute-volatility-analytics.ts';
import { symbolDailyReturns } from './symbol-returns.ts';

/**
 * Position-level volatility: the portfolio rules applied to one symbol's simple daily returns up
 * to `asOf`. The position's size does not enter: volatility is a property of the return stream.
 * An option position should be passed its underlying's closes.
 */
export function computePositionVolatility(
  input: { dates: readonly IsoDate[]; closes: Float64Array; asOf: IsoDate },
  options: VolatilityOptions = {},
): VolatilityAnalytics {
  return computeVolatilityAnalytics(
    symbolDailyReturns(input.dates, input.closes, input.asOf),
    options,
  );
}
