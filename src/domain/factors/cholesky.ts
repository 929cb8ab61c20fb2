/**
 * Cholesky factorisation and solve for the small (k ≤ ~10) symmetric positive definite systems of
 * the ridge regression. Hand-written on row-major Float64Arrays: at this size a general matrix
 * library spends more time building its matrices than solving, and the factor is reused for
 * thousands of right-hand sides.
 */

/**
 * Lower-triangular L with L·Lᵀ = A, for the k×k row-major A (only its lower triangle is read).
 * Returns null when A is not positive definite (or holds a non-finite value).
 */
export function choleskyFactor(a: Float64Array, k: number): Float64Array | null {
  if (a.length !== k * k) throw new RangeError(`expected ${k}×${k} values, got ${a.length}`);
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * k + j] as number;
      for (let m = 0; m < j; m++) sum -= (l[i * k + m] as number) * (l[j * k + m] as number);
      if (i === j) {
        // `!(sum > 0)` also catches NaN.
        if (!(sum > 0) || sum === Infinity) return null;
        l[i * k + i] = Math.sqrt(sum);
      } else {
        l[i * k + j] = sum / (l[j * k + j] as number);
      }
    }
  }
  return l;
}

/** Solves L·Lᵀ·w = b in place (b becomes w): a forward then a backward substitution. */
export function choleskySolveInPlace(l: Float64Array, k: number, b: Float64Array): void {
  for (let i = 0; i < k; i++) {
    let s = b[i] as number;
    for (let m = 0; m < i; m++) s -= (l[i * k + m] as number) * (b[m] as number);
    b[i] = s / (l[i * k + i] as number);
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let m = i + 1; m < k; m++) s -= (l[m * k + i] as number) * (b[m] as number);
    b[i] = s / (l[i * k + i] as number);
  }
}
