import type { IsoDate } from '../dates.ts';

/**
 * Simple daily returns P_t / P_{t−1} − 1 of one symbol's closes on the grid dates up to and
 * including `asOf`, oldest first. Simple rather than log returns, so a position's volatility is
 * measured like the portfolio's (whose daily_return is P&L / previous NAV). A return needs both
 * adjacent grid closes; across a missing close the return is dropped, not taken over two days,
 * which would count a two-day move as one day's variance.
 */
export function symbolDailyReturns(
  dates: readonly IsoDate[],
  closes: Float64Array,
  asOf: IsoDate,
): Float64Array {
  if (closes.length !== dates.length) {
    throw new RangeError(`${closes.length} closes for ${dates.length} dates`);
  }
  const out: number[] = [];
  for (let t = 1; t < dates.length && (dates[t] as string) <= asOf; t++) {
    const prev = closes[t - 1] as number;
    const curr = closes[t] as number;
    if (prev > 0 && curr > 0) out.push(curr / prev - 1);
  }
  return Float64Array.from(out);
}
