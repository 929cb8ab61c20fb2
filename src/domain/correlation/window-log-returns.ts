import type { IsoDate } from '../dates.ts';

export interface ReturnWindow {
  /** Index into the grid of the last close in the window; -1 when no date is on or before asOf. */
  endIndex: number;
  /** Index of the first close (the base of the first return). */
  startIndex: number;
}

/**
 * The window of `lookbackDays` returns ending at the last grid date on or before `asOf`: closes
 * startIndex..endIndex, so one more close than returns. A grid shorter than the lookback gives a
 * shorter window rather than an error; the caller's data-quality rules see the shortfall.
 */
export function returnWindow(
  dates: readonly IsoDate[],
  asOf: IsoDate,
  lookbackDays: number,
): ReturnWindow {
  // First index whose date is after asOf; ISO dates compare chronologically as strings.
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((dates[mid] as string) <= asOf) lo = mid + 1;
    else hi = mid;
  }
  const endIndex = lo - 1;
  return { endIndex, startIndex: Math.max(0, endIndex - lookbackDays) };
}

/**
 * Log returns ln(P_t / P_{t−1}) for t = startIndex+1..endIndex. A return is NaN unless both
 * closes exist and are > 0: across a missing close we leave a hole instead of taking a two-day
 * return, which would mix horizons and inflate that day's co-movement.
 */
export function windowLogReturns(closes: Float64Array, window: ReturnWindow): Float64Array {
  const n = Math.max(0, window.endIndex - window.startIndex);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const prev = closes[window.startIndex + k] as number;
    const curr = closes[window.startIndex + k + 1] as number;
    // NaN > 0 is false, so a missing close (NaN) fails this test too.
    out[k] = prev > 0 && curr > 0 ? Math.log(curr / prev) : NaN;
  }
  return out;
}

export function countFinite(values: Float64Array): number {
  let count = 0;
  for (const v of values) if (Number.isFinite(v)) count++;
  return count;
}
