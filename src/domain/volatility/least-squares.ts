/**
 * Ordinary least squares β = argmin ‖y − Xβ‖² by Householder QR, for the few-regressor fits of
 * this folder. QR rather than the normal equations: the HAR regressors are squared returns
 * (~1e-4) beside an intercept of 1, and XᵀX squares that scale gap into its condition number.
 *
 * `x` is row-major, `rows` × `cols`. Returns null when X is rank deficient (a constant
 * regressor, or fewer rows than columns), since any β would then be arbitrary.
 */
export function leastSquares(
  x: Float64Array,
  y: Float64Array,
  rows: number,
  cols: number,
): Float64Array | null {
  if (x.length !== rows * cols || y.length !== rows) {
    throw new RangeError(`Design is ${x.length} values for ${rows}×${cols}, y has ${y.length}`);
  }
  if (rows < cols) return null;
  const a = Float64Array.from(x);
  const b = Float64Array.from(y);
  const diag = new Float64Array(cols);
  let maxDiag = 0;

  for (let k = 0; k < cols; k++) {
    let norm = 0;
    for (let i = k; i < rows; i++) norm += (a[i * cols + k] as number) ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) return null;
    const akk = a[k * cols + k] as number;
    // Reflect onto −sign(akk)·‖·‖ so v = a − α·e₁ never cancels.
    const alpha = akk > 0 ? -norm : norm;
    a[k * cols + k] = akk - alpha;
    let vNorm2 = 0;
    for (let i = k; i < rows; i++) vNorm2 += (a[i * cols + k] as number) ** 2;

    for (let j = k + 1; j < cols; j++) {
      let s = 0;
      for (let i = k; i < rows; i++) s += (a[i * cols + k] as number) * (a[i * cols + j] as number);
      const f = (2 * s) / vNorm2;
      for (let i = k; i < rows; i++)
        a[i * cols + j] = (a[i * cols + j] as number) - f * (a[i * cols + k] as number);
    }
    let s = 0;
    for (let i = k; i < rows; i++) s += (a[i * cols + k] as number) * (b[i] as number);
    const f = (2 * s) / vNorm2;
    for (let i = k; i < rows; i++) b[i] = (b[i] as number) - f * (a[i * cols + k] as number);

    diag[k] = alpha;
    maxDiag = Math.max(maxDiag, Math.abs(alpha));
  }

  for (let k = 0; k < cols; k++) {
    if (Math.abs(diag[k] as number) <= 1e-12 * maxDiag) return null;
  }
  // Back substitution on R (diagonal in `diag`, strict upper triangle left in `a`).
  const beta = new Float64Array(cols);
  for (let k = cols - 1; k >= 0; k--) {
    let s = b[k] as number;
    for (let j = k + 1; j < cols; j++) s -= (a[k * cols + j] as number) * (beta[j] as number);
    beta[k] = s / (diag[k] as number);
  }
  return beta;
}
