/**
 * Window semantics of the factor engine (SPEC §3.1). test/reference/factors_reference.py follows
 * the same rules, written independently:
 *
 * - Input: `dates`, a calendar of trading sessions (ascending, unique), and per symbol a
 *   Float64Array of adjusted closes aligned to it. A close counts only when it is finite and
 *   > 0; NaN (or anything else) means "no close on that session".
 * - The simple return on session t is close_t / close_{t−1} − 1, where t−1 is the previous
 *   session IN THAT ARRAY. It exists only if both closes exist: a missing close removes the
 *   returns of its own session and of the next one, never bridging a gap with a multi-day return.
 *   The first session of the array has no return.
 * - The window for calculation date D is the last W sessions ≤ D (W = 90 for OLS and ridge, 180
 *   for spreads), taken as return dates. D itself need not be a session (a holiday ends the
 *   window at the session before it).
 * - Observations: the return dates in the window where the target AND every regressor of the
 *   factor have a return (inner join). Fewer than the minimum (30 / 60): no result, reported as
 *   insufficient_history with the count.
 * - A spread's regressor return is return(A) − return(B) on the same date.
 *
 * fillReturns applies the return rule to one symbol; a ReturnPanel holds the returns of a set
 * of symbols (the factor ETFs, or the targets that have gaps) over a column range of the
 * calendar, in one row-major Float64Array.
 */

export interface ReturnPanel {
  /** Calendar index of column 0. */
  firstIndex: number;
  /** Columns per row: calendar indices firstIndex … firstIndex + columns − 1. */
  columns: number;
  /** Row of each symbol in `values`. */
  rowOf: ReadonlyMap<string, number>;
  /** rows × columns simple returns, row-major; NaN where the return does not exist. */
  values: Float64Array;
}

/** Index of the last session ≤ `date`, or −1 when every session is after it. */
export function lastSessionAtOrBefore(dates: readonly string[], date: string): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((dates[mid] as string) <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** First calendar index of the window of `window` sessions ending at index `end`. */
export function windowStart(end: number, window: number): number {
  return Math.max(0, end - window + 1);
}

/**
 * Returns of `symbols` on calendar indices [from, to]. A symbol absent from `closes` gets a row of
 * NaN: it simply has no returns, which the window rules turn into insufficient_history.
 */
export function buildReturnPanel(
  closes: ReadonlyMap<string, Float64Array>,
  symbols: readonly string[],
  from: number,
  to: number,
): ReturnPanel {
  const columns = Math.max(0, to - from + 1);
  const rowOf = new Map<string, number>();
  for (const symbol of symbols) if (!rowOf.has(symbol)) rowOf.set(symbol, rowOf.size);
  const values = new Float64Array(rowOf.size * columns);
  for (const [symbol, row] of rowOf) {
    fillReturns(closes.get(symbol), symbol, from, columns, values, row * columns);
  }
  return { firstIndex: from, columns, rowOf, values };
}

/**
 * Writes the returns on calendar indices from … from + length − 1 into out[outOffset …] and
 * returns the position (0 … length − 1) of the last missing one, or −1 when none is missing.
 * An absent series is all missing.
 */
export function fillReturns(
  series: Float64Array | undefined,
  symbol: string,
  from: number,
  length: number,
  out: Float64Array,
  outOffset: number,
): number {
  if (series === undefined) {
    out.fill(NaN, outOffset, outOffset + length);
    return length - 1;
  }
  if (series.length < from + length) {
    throw new RangeError(
      `${symbol}: ${series.length} closes do not reach index ${from + length - 1}`,
    );
  }
  // `x > 0` is false for NaN, and `x < Infinity` keeps +Infinity out of the sums.
  let previous = from >= 1 ? (series[from - 1] as number) : NaN;
  let previousOk = previous > 0 && previous < Infinity;
  let lastGap = -1;
  for (let c = 0; c < length; c++) {
    const current = series[from + c] as number;
    const currentOk = current > 0 && current < Infinity;
    if (previousOk && currentOk) out[outOffset + c] = current / previous - 1;
    else {
      out[outOffset + c] = NaN;
      lastGap = c;
    }
    previous = current;
    previousOk = currentOk;
  }
  return lastGap;
}

/**
 * Per column of [colStart, colEnd): 1 where every listed row has a return. An unknown symbol
 * (no row) makes the mask all zero.
 */
export function jointMask(
  panel: ReturnPanel,
  symbols: readonly string[],
  colStart: number,
  colEnd: number,
): Uint8Array {
  const mask = new Uint8Array(colEnd - colStart).fill(1);
  for (const symbol of symbols) {
    const row = panel.rowOf.get(symbol);
    if (row === undefined) return mask.fill(0);
    const base = row * panel.columns;
    for (let c = colStart; c < colEnd; c++) {
      if (Number.isNaN(panel.values[base + c] as number)) mask[c - colStart] = 0;
    }
  }
  return mask;
}

/**
 * The regressor series of one factor on [colStart, colEnd): the symbol's returns, or for a
 * spread [long, short] the difference of the two. NaN where any part is missing.
 */
export function regressorSeries(
  panel: ReturnPanel,
  symbols: readonly string[],
  spread: boolean,
  colStart: number,
  colEnd: number,
): Float64Array[] {
  const length = colEnd - colStart;
  const read = (symbol: string): Float64Array => {
    const row = panel.rowOf.get(symbol);
    if (row === undefined) return new Float64Array(length).fill(NaN);
    const base = row * panel.columns;
    return panel.values.slice(base + colStart, base + colEnd);
  };
  if (!spread) return symbols.map(read);
  const [long, short] = symbols;
  if (long === undefined || short === undefined || symbols.length !== 2) {
    throw new RangeError(`a spread needs exactly [long, short], got [${symbols.join(', ')}]`);
  }
  const a = read(long);
  const b = read(short);
  for (let i = 0; i < length; i++) a[i] = (a[i] as number) - (b[i] as number);
  return [a];
}
