import { cholesky, choleskySolveInPlace } from './linear-algebra.ts';

/**
 * The full factor move vector for a scenario that shocks only some factors (SPEC §6).
 *
 * - direct: the shocked factors S move by s, every other factor stays put;
 * - correlated: the others (U) move by their conditional expectation under a zero-mean Gaussian
 *   with covariance Σ, E[x_U | x_S = s] = Σ_US Σ_SS⁻¹ s. A market crash thus drags value,
 *   growth, quality… down by as much as they typically move with the market.
 *
 * Σ_SS⁻¹ s is computed by a Cholesky solve, never an explicit inverse.
 */
export interface FactorShock {
  /** Index of the shocked factor in the covariance matrix. */
  index: number;
  value: number;
}

export interface FactorMoves {
  direct: Float64Array;
  correlated: Float64Array;
}

/**
 * @param covariance k×k row-major covariance (symmetric positive semi-definite; Σ_SS must be
 *   positive definite, otherwise the conditional expectation is undefined and this throws)
 */
export function conditionalFactorMoves(
  covariance: Float64Array,
  k: number,
  shocks: readonly FactorShock[],
): FactorMoves {
  if (covariance.length !== k * k) throw new RangeError(`covariance must be ${k}×${k}`);
  const direct = new Float64Array(k);
  const shocked = new Set<number>();
  for (const { index, value } of shocks) {
    if (!Number.isInteger(index) || index < 0 || index >= k) {
      throw new RangeError(`shock index ${index} outside 0..${k - 1}`);
    }
    if (shocked.has(index)) throw new RangeError(`factor ${index} shocked twice`);
    if (!Number.isFinite(value)) throw new RangeError(`shock for factor ${index} is not finite`);
    shocked.add(index);
    direct[index] = value;
  }
  const correlated = Float64Array.from(direct);
  const m = shocks.length;
  if (m === 0 || m === k) return { direct, correlated };

  const sigmaSS = new Float64Array(m * m);
  shocks.forEach((a, i) => {
    shocks.forEach((b, j) => {
      sigmaSS[i * m + j] = covariance[a.index * k + b.index] as number;
    });
  });
  const solved = Float64Array.from(shocks, (s) => s.value);
  choleskySolveInPlace(cholesky(sigmaSS, m), m, solved);

  for (let u = 0; u < k; u++) {
    if (shocked.has(u)) continue;
    let move = 0;
    shocks.forEach((s, i) => {
      move += (covariance[u * k + s.index] as number) * (solved[i] as number);
    });
    correlated[u] = move;
  }
  return { direct, correlated };
}
