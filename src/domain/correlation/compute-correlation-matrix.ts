import { netBySymbol } from '../concentration/net-by-symbol.ts';
import { pairwisePearson } from './pairwise-pearson.ts';
import type {
  CorrelationMatrixInput,
  CorrelationMatrixResult,
  CorrelationPair,
  DataQuality,
  ExcludedPosition,
  IncludedPosition,
} from './types.ts';
import { countFinite, returnWindow, windowLogReturns } from './window-log-returns.ts';

export const CORRELATION_DEFAULTS = {
  lookbackDays: 90,
  minOverlap: 20,
  minValue: 10_000,
  minWeight: 0.01,
} as const;

/**
 * A pair counts as fully observed at 90 % of the lookback: a few missing sessions (a halt, a late
 * listing inside the window) do not make a matrix "limited", a month-long hole does.
 */
export const GOOD_COVERAGE = 0.9;

/** Below this, wᵀCw is rounding noise (a perfectly hedged book) and 1/wᵀCw means nothing. */
const MIN_QUADRATIC_FORM = 1e-12;

/**
 * SPEC §7 correlations for one portfolio on one date.
 *
 * Rules, in order:
 * 1. Lots are netted per symbol. A holding is included when |net value| ≥ minValue AND
 *    |net value| / NAV ≥ minWeight; otherwise it is excluded as `below_threshold`.
 * 2. Returns are the `lookbackDays` log returns ending at the last grid date ≤ asOf. A holding
 *    with no close in that window is `no_prices`; one with fewer than `minOverlap` valid returns
 *    is `insufficient_data` (it could not form a valid pair with anyone).
 * 3. Each pair is correlated on the dates both have a return (pairwise-complete). Fewer than
 *    `minOverlap` common returns, or a side that does not move on them, gives null; both are
 *    counted in `pairCounts`. The diagonal is 1.
 * 4. overallCorrelation = mean |r| over the valid off-diagonal pairs (i < j).
 * 5. effectivePositions = 1 / (wᵀ C w), w_i = value_i / Σ|value_j| over the included holdings,
 *    so shorts carry negative weight and a hedge lowers wᵀCw (raises the count). Null pairs enter
 *    C as 0. Uncorrelated equal weights give N, perfectly correlated longs give 1; a long/short
 *    book can exceed N. Null when wᵀCw ≤ 1e-12 (a pairwise-complete C need not be
 *    positive definite, so the form can even be negative).
 * 6. dataQuality: `insufficient` with fewer than two included holdings or no valid pair; `good`
 *    when every pair is valid with ≥ 90 % of lookbackDays common returns and no holding that met
 *    the thresholds was dropped for missing data; `limited` otherwise.
 */
export function computeCorrelationMatrix(input: CorrelationMatrixInput): CorrelationMatrixResult {
  const lookbackDays = input.lookbackDays ?? CORRELATION_DEFAULTS.lookbackDays;
  const minOverlap = input.minOverlap ?? CORRELATION_DEFAULTS.minOverlap;
  const minValue = input.minValue ?? CORRELATION_DEFAULTS.minValue;
  const minWeight = input.minWeight ?? CORRELATION_DEFAULTS.minWeight;
  validate(input, lookbackDays, minOverlap);

  const window = returnWindow(input.dates, input.asOf, lookbackDays);
  const hasWindow = window.endIndex > window.startIndex;

  const excluded: ExcludedPosition[] = [];
  const candidates: { symbol: string; marketValue: number; returns: Float64Array }[] = [];
  for (const { symbol, marketValue } of netBySymbol(input.positions)) {
    const size = Math.abs(marketValue);
    if (size < minValue || size / input.nav < minWeight) {
      excluded.push({ symbol, marketValue, reason: 'below_threshold' });
      continue;
    }
    const closes = input.closes.get(symbol);
    if (closes !== undefined && closes.length !== input.dates.length) {
      // A misaligned series would correlate the wrong days with each other without any error.
      throw new RangeError(
        `Closes of ${symbol} have ${closes.length} values for ${input.dates.length} dates`,
      );
    }
    if (closes === undefined || !hasWindow || !hasCloseIn(closes, window)) {
      excluded.push({ symbol, marketValue, reason: 'no_prices' });
      continue;
    }
    const returns = windowLogReturns(closes, window);
    if (countFinite(returns) < minOverlap) {
      excluded.push({ symbol, marketValue, reason: 'insufficient_data' });
      continue;
    }
    candidates.push({ symbol, marketValue, returns });
  }
  // Largest exposure first, so a truncated display keeps the names that matter.
  candidates.sort(
    (a, b) => Math.abs(b.marketValue) - Math.abs(a.marketValue) || (a.symbol < b.symbol ? -1 : 1),
  );

  const n = candidates.length;
  const gross = candidates.reduce((s, c) => s + Math.abs(c.marketValue), 0);
  const included: IncludedPosition[] = candidates.map((c) => ({
    symbol: c.symbol,
    marketValue: c.marketValue,
    weight: c.marketValue / gross,
    returns: countFinite(c.returns),
  }));

  const matrix: (number | null)[][] = candidates.map(() => new Array<number | null>(n).fill(null));
  const dataPoints: number[][] = candidates.map(() => new Array<number>(n).fill(0));
  const pairs: CorrelationPair[] = [];
  const pairCounts = { total: 0, valid: 0, insufficientOverlap: 0, zeroVariance: 0 };
  let sumAbs = 0;
  let fullCoverage = true;
  for (let i = 0; i < n; i++) {
    const a = candidates[i]!;
    matrix[i]![i] = 1;
    dataPoints[i]![i] = included[i]!.returns;
    for (let j = i + 1; j < n; j++) {
      const b = candidates[j]!;
      const { correlation, count } = pairwisePearson(a.returns, b.returns);
      let r: number | null = null;
      let gap: CorrelationPair['gap'] = null;
      if (count < minOverlap) gap = 'insufficient_overlap';
      else if (Number.isNaN(correlation)) gap = 'zero_variance';
      else r = correlation;

      pairCounts.total++;
      if (gap === 'insufficient_overlap') pairCounts.insufficientOverlap++;
      else if (gap === 'zero_variance') pairCounts.zeroVariance++;
      else {
        pairCounts.valid++;
        sumAbs += Math.abs(r as number);
      }
      if (gap !== null || count < GOOD_COVERAGE * lookbackDays) fullCoverage = false;

      matrix[i]![j] = r;
      matrix[j]![i] = r;
      dataPoints[i]![j] = count;
      dataPoints[j]![i] = count;
      pairs.push({ symbolA: a.symbol, symbolB: b.symbol, correlation: r, dataPoints: count, gap });
    }
  }

  const effectivePositions = effectiveCount(
    included.map((p) => p.weight),
    matrix,
  );
  const overallCorrelation = pairCounts.valid > 0 ? sumAbs / pairCounts.valid : null;
  const droppedForData = excluded.some((e) => e.reason !== 'below_threshold');
  let dataQuality: DataQuality;
  if (n < 2 || pairCounts.valid === 0) dataQuality = 'insufficient';
  else if (fullCoverage && !droppedForData) dataQuality = 'good';
  else dataQuality = 'limited';

  return {
    lookbackDays,
    minOverlap,
    windowStart: hasWindow ? (input.dates[window.startIndex + 1] as string) : null,
    windowEnd: hasWindow ? (input.dates[window.endIndex] as string) : null,
    symbols: candidates.map((c) => c.symbol),
    matrix,
    dataPoints,
    pairs,
    pairCounts,
    overallCorrelation,
    effectivePositions,
    dataQuality,
    included,
    excluded,
  };
}

/** 1 / (wᵀ C w) with null correlations taken as 0 (see rule 5). */
export function effectiveCount(
  weights: readonly number[],
  matrix: readonly (readonly (number | null)[])[],
): number | null {
  if (weights.length === 0) return null;
  let form = 0;
  for (let i = 0; i < weights.length; i++) {
    const row = matrix[i]!;
    for (let j = 0; j < weights.length; j++) {
      form += weights[i]! * weights[j]! * (row[j] ?? 0);
    }
  }
  return form > MIN_QUADRATIC_FORM ? 1 / form : null;
}

function hasCloseIn(closes: Float64Array, window: { startIndex: number; endIndex: number }) {
  for (let t = window.startIndex; t <= window.endIndex; t++) {
    if ((closes[t] as number) > 0) return true;
  }
  return false;
}

function validate(input: CorrelationMatrixInput, lookbackDays: number, minOverlap: number): void {
  if (!Number.isFinite(input.nav) || input.nav <= 0) {
    // The minimum-weight test divides by NAV; with zero or negative equity it has no meaning.
    throw new RangeError(`NAV must be a finite number > 0, got ${input.nav}`);
  }
  if (!Number.isInteger(lookbackDays) || lookbackDays < 2) {
    throw new RangeError(`lookbackDays must be an integer ≥ 2, got ${lookbackDays}`);
  }
  if (!Number.isInteger(minOverlap) || minOverlap < 2) {
    // Pearson needs two points; fewer would report r = ±1 from noise.
    throw new RangeError(`minOverlap must be an integer ≥ 2, got ${minOverlap}`);
  }
}
