/**
 * RiskMetrics exponentially weighted covariance: Σ = Σ_t w_t r_t r_tᵀ with w_t ∝ λ^(T−t)
 * normalised to sum to 1 over the window, and zero mean. Zero mean rather than the sample mean
 * because daily mean returns are swamped by estimation noise, and RiskMetrics (λ = 0.94 for
 * daily data) is defined that way; normalising the truncated weights keeps Σ unbiased for a
 * finite window instead of leaking the λ^252 tail.
 *
 * @param columns k return series of equal length n, oldest first (so the last row is T)
 * @returns k×k row-major covariance of daily returns
 */
export function ewmaCovariance(columns: readonly Float64Array[], lambda: number): Float64Array {
  const k = columns.length;
  const n = columns[0]?.length ?? 0;
  if (k === 0 || n === 0) throw new RangeError('ewmaCovariance: no data');
  if (!(lambda > 0 && lambda <= 1)) {
    throw new RangeError(`ewmaCovariance: lambda must be in (0, 1], got ${lambda}`);
  }
  for (const column of columns) {
    if (column.length !== n) throw new RangeError('ewmaCovariance: series lengths differ');
  }

  const weights = new Float64Array(n);
  let total = 0;
  for (let t = 0; t < n; t++) {
    const weight = lambda ** (n - 1 - t);
    weights[t] = weight;
    total += weight;
  }
  for (let t = 0; t < n; t++) weights[t] = (weights[t] as number) / total;

  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    const ri = columns[i] as Float64Array;
    for (let j = 0; j <= i; j++) {
      const rj = columns[j] as Float64Array;
      let sum = 0;
      for (let t = 0; t < n; t++)
        sum += (weights[t] as number) * (ri[t] as number) * (rj[t] as number);
      out[i * k + j] = sum;
      out[j * k + i] = sum;
    }
  }
  return out;
}
