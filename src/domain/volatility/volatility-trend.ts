export type VolatilityTrend = 'increasing' | 'decreasing' | 'stable';

/** ±10 %: smaller moves of 21d against 63d vol are estimation noise on 21 observations. */
export const TREND_BAND = 0.1;

/**
 * 'increasing' when the 21-day vol is more than 10 % above the 63-day vol (ratio > 1.10),
 * 'decreasing' when more than 10 % below (ratio < 0.90), else 'stable'. A relative band, so the
 * rule reads the same for a 10 %-vol bond book and a 60 %-vol biotech. Null if either is missing.
 */
export function volatilityTrend(
  vol21d: number | null,
  vol63d: number | null,
  band: number = TREND_BAND,
): VolatilityTrend | null {
  if (vol21d === null || vol63d === null) return null;
  if (vol21d > vol63d * (1 + band)) return 'increasing';
  if (vol21d < vol63d * (1 - band)) return 'decreasing';
  return 'stable';
}

/**
 * Where the latest value of `rolling` sits among the earlier ones: the share of earlier windows
 * strictly below it, in [0, 1] (0 = calmest 21 days on record, 1 = the most volatile). Today is
 * compared with the past rather than with itself, so the extremes are reachable. Null with fewer
 * than two windows.
 */
export function volatilityPercentile(rolling: Float64Array): number | null {
  const n = rolling.length;
  if (n < 2) return null;
  const today = rolling[n - 1] as number;
  let below = 0;
  for (let k = 0; k < n - 1; k++) if ((rolling[k] as number) < today) below++;
  return below / (n - 1);
}
