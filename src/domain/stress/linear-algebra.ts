/**
 * The little dense linear algebra the stress model needs: Cholesky factorisation of a small
 * symmetric positive-definite matrix and solves against it. Matrices are row-major Float64Arrays.
 * Cholesky rather than a general inverse because every system here (ridge normal equations,
 * covariance blocks) is SPD by construction, and solving is both cheaper and more accurate than
 * forming an inverse.
 */

export class NotPositiveDefiniteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotPositiveDefiniteError';
  }
}

/** Lower-triangular L with A = L·Lᵀ, or a NotPositiveDefiniteError. `a` is n×n, read only. */
export function cholesky(a: Float64Array, n: number): Float64Array {
  if (a.length !== n * n) throw new RangeError(`cholesky: expected ${n * n} entries`);
  const l = new Float64Array(n * n);
  // A pivot this small relative to the diagonal means the matrix is singular to working
  // precision; continuing would return a factor full of huge, meaningless numbers.
  let maxDiagonal = 0;
  for (let i = 0; i < n; i++) maxDiagonal = Math.max(maxDiagonal, Math.abs(a[i * n + i] as number));
  const tolerance = maxDiagonal * n * Number.EPSILON;
  for (let j = 0; j < n; j++) {
    let diagonal = a[j * n + j] as number;
    for (let k = 0; k < j; k++) diagonal -= (l[j * n + k] as number) ** 2;
    if (!(diagonal > tolerance)) {
      throw new NotPositiveDefiniteError(`matrix is not positive definite (pivot ${j})`);
    }
    const pivot = Math.sqrt(diagonal);
    l[j * n + j] = pivot;
    for (let i = j + 1; i < n; i++) {
      let sum = a[i * n + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * n + k] as number) * (l[j * n + k] as number);
      l[i * n + j] = sum / pivot;
    }
  }
  return l;
}

// The substitution is the same as the factor engine's; one implementation for both.
export { choleskySolveInPlace } from '../factors/cholesky.ts';
