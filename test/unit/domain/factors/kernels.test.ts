import { describe, expect, it } from 'vitest';
import { choleskyFactor, choleskySolveInPlace } from '../../../../src/domain/factors/cholesky.ts';
import {
  KERNEL_OK,
  KERNEL_ZERO_VARIANCE_REGRESSOR,
} from '../../../../src/domain/factors/kernel-status.ts';
import {
  createOlsBatchOutput,
  olsBatch,
  prepareOls,
} from '../../../../src/domain/factors/ols-batch.ts';
import {
  createRidgeBatchOutput,
  prepareRidge,
  ridgeBatch,
} from '../../../../src/domain/factors/ridge-batch.ts';

/** Row-major targets matrix from rows of equal length. */
function matrix(rows: number[][]): { values: Float64Array; stride: number } {
  const stride = rows[0]!.length;
  return { values: Float64Array.from(rows.flat()), stride };
}

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe('OLS batch kernel: textbook cases', () => {
  it('y = 2x + c: beta 2, R² 1, standard error 0', () => {
    const x = [0.01, -0.02, 0.015, 0.003, -0.007, 0.021, -0.012, 0.004];
    const y = x.map((v) => 2 * v + 0.0005);
    const out = createOlsBatchOutput(1);
    const { values, stride } = matrix([y]);
    olsBatch(prepareOls(Float64Array.from(x), all(x.length)), values, stride, [0], out);
    expect(out.status[0]).toBe(KERNEL_OK);
    expect(out.beta[0]).toBeCloseTo(2, 12);
    expect(out.rSquared[0]).toBeCloseTo(1, 12);
    expect(out.stdError[0]).toBeLessThan(1e-12);
  });

  it('a 5-point regression worked by hand', () => {
    // x̄ = 3, ȳ = 4; Sxx = 10, Sxy = 6, Syy = 6 → beta = 0.6, R² = 36 / 60 = 0.6,
    // RSS = 6 − 0.6 × 6 = 2.4, standard error = sqrt(2.4 / 3 / 10) = sqrt(0.08).
    const out = createOlsBatchOutput(2);
    const { values, stride } = matrix([
      [9, 9, 9, 9, 9, 9], // row 0 is not listed: the kernel must not touch it
      [0, 2, 4, 5, 4, 5], // the target sits in columns 1–5 of its row
    ]);
    const columns = Int32Array.from([1, 2, 3, 4, 5]);
    olsBatch(prepareOls(Float64Array.from([1, 2, 3, 4, 5]), columns), values, stride, [1], out);
    expect(out.status[1]).toBe(KERNEL_OK);
    expect(out.beta[1]).toBeCloseTo(0.6, 14);
    expect(out.rSquared[1]).toBeCloseTo(0.6, 14);
    expect(out.stdError[1]).toBeCloseTo(Math.sqrt(0.08), 14);
    expect(Number.isNaN(out.beta[0]!)).toBe(true);
  });

  it('many targets at once equal one at a time', () => {
    const x = Float64Array.from([0.3, -0.1, 0.2, 0.05, -0.25, 0.15, 0.0]);
    const rows = [
      [0.1, 0.2, -0.1, 0.3, 0.0, 0.05, -0.2],
      [-0.3, 0.1, 0.2, 0.1, 0.4, -0.1, 0.0],
      [0.5, -0.5, 0.25, 0.0, -0.3, 0.2, 0.1],
    ];
    const { values, stride } = matrix(rows);
    const setup = prepareOls(x, all(7));
    const batch = createOlsBatchOutput(3);
    olsBatch(setup, values, stride, [0, 1, 2], batch);
    rows.forEach((row, r) => {
      const single = createOlsBatchOutput(1);
      olsBatch(setup, Float64Array.from(row), stride, [0], single);
      expect(batch.beta[r]).toBe(single.beta[0]);
      expect(batch.stdError[r]).toBe(single.stdError[0]);
    });
  });

  it('a constant regressor is reported, not fitted as 0', () => {
    const out = createOlsBatchOutput(1);
    olsBatch(
      prepareOls(new Float64Array(6).fill(0.01), all(6)),
      Float64Array.from([1, 2, 3, 4, 5, 6]),
      6,
      [0],
      out,
    );
    expect(out.status[0]).toBe(KERNEL_ZERO_VARIANCE_REGRESSOR);
    expect(Number.isNaN(out.beta[0]!)).toBe(true);
  });
});

describe('ridge batch kernel: closed form on an orthogonal standardised design', () => {
  // Columns 1–6 of the order-8 Hadamard matrix (Sylvester): ±1 entries, mean 0, population
  // std 1, mutually orthogonal, so ZᵀZ = 8·I and w = Zᵀ(y − ȳ) / (8 + α).
  const hadamard = (i: number, j: number) => {
    let bits = i & j;
    let parity = 0;
    while (bits) {
      parity ^= bits & 1;
      bits >>= 1;
    }
    return parity ? -1 : 1;
  };
  const n = 8;
  const z = Array.from({ length: 6 }, (_, j) =>
    Float64Array.from({ length: n }, (_, i) => hadamard(i, j + 1)),
  );
  // Raw regressors X_j = m_j + s_j·Z_j: standardising must recover Z, betas come back as w_j / s_j.
  const m = [0.001, -0.002, 0.0005, 0.003, 0, 0.0015];
  const s = [0.01, 0.02, 0.005, 0.015, 0.03, 0.008];
  const x = z.map((col, j) => col.map((v) => m[j]! + s[j]! * v));
  const y = [0.012, -0.004, 0.02, 0.007, -0.015, 0.003, 0.009, -0.011];

  it('matches w = Zᵀy / (n + α) and the R² of its residuals', () => {
    for (const alpha of [1, 0.5, 3]) {
      const setup = prepareRidge(x, all(n), alpha);
      const out = createRidgeBatchOutput(1, 6);
      ridgeBatch(setup, Float64Array.from(y), n, [0], out);
      expect(out.status[0]).toBe(KERNEL_OK);
      const mean = y.reduce((a, b) => a + b, 0) / n;
      const w = z.map(
        (col) => col.reduce((acc, v, i) => acc + v * (y[i]! - mean), 0) / (n + alpha),
      );
      w.forEach((wj, j) => expect(out.beta[j]).toBeCloseTo(wj / s[j]!, 12));
      let rss = 0;
      let tss = 0;
      for (let i = 0; i < n; i++) {
        const fitted = z.reduce((acc, col, j) => acc + col[i]! * w[j]!, 0);
        rss += (y[i]! - mean - fitted) ** 2;
        tss += (y[i]! - mean) ** 2;
      }
      expect(out.rSquared[0]).toBeCloseTo(1 - rss / tss, 12);
    }
  });

  it('reports a constant regressor instead of a zero beta', () => {
    const flat = [...x.slice(0, 5), new Float64Array(n).fill(0.002)];
    const setup = prepareRidge(flat, all(n), 1);
    expect(setup.zeroVarianceRegressor).toBe(5);
    const out = createRidgeBatchOutput(1, 6);
    ridgeBatch(setup, Float64Array.from(y), n, [0], out);
    expect(out.status[0]).toBe(KERNEL_ZERO_VARIANCE_REGRESSOR);
  });
});

describe('Cholesky', () => {
  it('factors and solves a small SPD system', () => {
    const a = Float64Array.from([4, 12, -16, 12, 37, -43, -16, -43, 98]);
    const l = choleskyFactor(a, 3)!;
    // The textbook factor of this matrix: [[2,0,0],[6,1,0],[-8,5,3]].
    expect([...l]).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
    const b = Float64Array.from([1, 2, 3]);
    choleskySolveInPlace(l, 3, b);
    const back = [0, 1, 2].map((i) => [0, 1, 2].reduce((acc, j) => acc + a[i * 3 + j]! * b[j]!, 0));
    back.forEach((v, i) => expect(v).toBeCloseTo([1, 2, 3][i]!, 10));
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(choleskyFactor(Float64Array.from([1, 2, 2, 1]), 2)).toBeNull();
  });
});
