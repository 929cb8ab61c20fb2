/** Trading days per year: the annualisation factor is √252 for volatility, 252 for means. */
export const TRADING_DAYS_PER_YEAR = 252;

/**
 * Sample standard deviation (ddof = 1, the n − 1 denominator) of values[from..to), two-pass.
 * ddof = 1 because a 21-day window is a small sample whose mean is itself estimated; it matches
 * numpy.std(ddof=1) and spreadsheet STDEV.
 */
export function sampleStd(values: Float64Array, from = 0, to = values.length): number {
  const n = to - from;
  if (n < 2) return NaN;
  let sum = 0;
  for (let k = from; k < to; k++) sum += values[k] as number;
  const mean = sum / n;
  let ss = 0;
  for (let k = from; k < to; k++) {
    const d = (values[k] as number) - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / (n - 1));
}

/**
 * Annualised realized volatility of the last `window` daily returns: sampleStd × √252. Null when
 * there are fewer than `window` returns: a 63-day figure from 40 days would be a different
 * statistic under the same label.
 */
export function realizedVolatility(returns: Float64Array, window: number): number | null {
  assertWindow(window);
  assertFinite(returns);
  if (returns.length < window) return null;
  return sampleStd(returns, returns.length - window) * Math.sqrt(TRADING_DAYS_PER_YEAR);
}

/**
 * Annualised realized volatility of every full window: element k covers returns k..k+window−1,
 * so the last element equals realizedVolatility(returns, window). Empty when the series is
 * shorter than one window.
 */
export function rollingRealizedVolatility(returns: Float64Array, window: number): Float64Array {
  assertWindow(window);
  assertFinite(returns);
  const count = Math.max(0, returns.length - window + 1);
  const out = new Float64Array(count);
  const scale = Math.sqrt(TRADING_DAYS_PER_YEAR);
  // Each window recomputed from scratch (O(n·window)): a running-sum update would drift over a
  // decade of returns, and n·21 is a few thousand operations.
  for (let k = 0; k < count; k++) out[k] = sampleStd(returns, k, k + window) * scale;
  return out;
}

export function assertFinite(returns: Float64Array): void {
  for (let k = 0; k < returns.length; k++) {
    if (!Number.isFinite(returns[k] as number)) {
      // A NaN would turn every statistic downstream into NaN; refuse it where it enters.
      throw new RangeError(`Return at index ${k} is not finite: ${returns[k]}`);
    }
  }
}

function assertWindow(window: number): void {
  if (!Number.isInteger(window) || window < 2) {
    throw new RangeError(`Volatility window must be an integer ≥ 2, got ${window}`);
  }
}
