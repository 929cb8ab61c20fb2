/**
 * Sample covariance (ddof 1, demeaned) of k series over the same n observations — NumPy's
 * `np.cov(columns)`. The stress model uses it over the same 252 returns as the betas, so the two
 * describe one window with one weighting and the conditional expectation of a market-only shock
 * reproduces each stock's plain OLS beta to SPY (SPEC §6).
 *
 * @param columns k series of equal length n ≥ 2, aligned
 * @returns k×k row-major covariance
 */
export function sampleCovariance(columns: readonly Float64Array[]): Float64Array {
  const k = columns.length;
  const n = columns[0]?.length ?? 0;
  if (k === 0 || n < 2) throw new RangeError('sampleCovariance: needs at least 2 observations');
  for (const column of columns) {
    if (column.length !== n) throw new RangeError('sampleCovariance: series lengths differ');
  }
  const centred = columns.map((column) => {
    let sum = 0;
    for (const x of column) sum += x;
    const mean = sum / n;
    return column.map((x) => x - mean);
  });
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    const a = centred[i] as Float64Array;
    for (let j = 0; j <= i; j++) {
      const b = centred[j] as Float64Array;
      let sum = 0;
      for (let t = 0; t < n; t++) sum += (a[t] as number) * (b[t] as number);
      const value = sum / (n - 1);
      out[i * k + j] = value;
      out[j * k + i] = value;
    }
  }
  return out;
}
