import { nextTradingDay } from '../calendar/index.ts';
import { KERNEL_ZERO_VARIANCE_REGRESSOR } from './kernel-status.ts';
import { createOlsBatchOutput, olsBatch, prepareOls } from './ols-batch.ts';

/** Fewer monthly returns than this and the beta is too noisy to publish. */
export const MONTHLY_BETA_MIN_OBSERVATIONS = 24;

/**
 * A provider-style beta computed from prices, the way data vendors publish "beta (5Y monthly)":
 * OLS with intercept of the symbol's month-end-to-month-end simple returns on the benchmark's.
 *
 * - Month-end of a calendar month = its last session (≤ asOf) on which BOTH have a close.
 * - Only complete months count: a month is complete once no NYSE session of it is left after
 *   `asOf`, so asOf = 2026-07-31 (July's last session) includes July and asOf = 2026-07-15 ends
 *   with June.
 * - The returns are those of the last `years` × 12 complete calendar months; the return of month
 *   m needs the month-ends of m and of m − 1, so a month without a month-end drops two returns
 *   rather than bridging the gap with a two-month return.
 *
 * Null when fewer than 24 monthly returns remain or the benchmark is constant over them.
 */
export function monthlyBetaVsBenchmark(
  dates: readonly string[],
  closes: Float64Array,
  benchmarkCloses: Float64Array,
  asOf: string,
  years = 5,
): { beta: number; observations: number } | null {
  const months = Math.round(years * 12);
  // Months are counted as year·12 + (month − 1) so "the month before" is a subtraction.
  const firstIncomplete = monthNumber(nextTradingDay(asOf));
  const lastComplete = firstIncomplete - 1;
  const oldest = lastComplete - months; // the month-end before the first return
  const monthEnd = new Map<number, number>();
  for (let i = 0; i < dates.length; i++) {
    const date = dates[i] as string;
    if (date > asOf) break;
    const month = monthNumber(date);
    if (month < oldest || month > lastComplete) continue;
    if (isClose(closes[i]) && isClose(benchmarkCloses[i])) monthEnd.set(month, i);
  }

  const y: number[] = [];
  const x: number[] = [];
  for (let month = oldest + 1; month <= lastComplete; month++) {
    const end = monthEnd.get(month);
    const start = monthEnd.get(month - 1);
    if (end === undefined || start === undefined) continue;
    y.push((closes[end] as number) / (closes[start] as number) - 1);
    x.push((benchmarkCloses[end] as number) / (benchmarkCloses[start] as number) - 1);
  }
  const n = y.length;
  if (n < MONTHLY_BETA_MIN_OBSERVATIONS) return null;

  const columns = new Int32Array(n);
  for (let i = 0; i < n; i++) columns[i] = i;
  const out = createOlsBatchOutput(1);
  olsBatch(prepareOls(Float64Array.from(x), columns), Float64Array.from(y), n, [0], out);
  const beta = out.beta[0] as number;
  // A constant symbol (R² undefined) still has a well-defined beta of 0; a constant benchmark
  // does not.
  if (out.status[0] === KERNEL_ZERO_VARIANCE_REGRESSOR || !Number.isFinite(beta)) return null;
  return { beta, observations: n };
}

function monthNumber(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

function isClose(value: number | undefined): value is number {
  return value !== undefined && value > 0 && value < Infinity;
}
