import { choleskyFactor, choleskySolveInPlace } from './cholesky.ts';
import {
  KERNEL_NON_FINITE,
  KERNEL_OK,
  KERNEL_ZERO_VARIANCE_REGRESSOR,
  KERNEL_ZERO_VARIANCE_TARGET,
} from './kernel-status.ts';
import { crossProducts, packDesign } from './cross-products.ts';

/**
 * Batched ridge with intercept on standardised regressors: scikit-learn's `Ridge(alpha)` after
 * `StandardScaler`, for many targets sharing one set of regressors and observation dates.
 *
 * Once per set-up: Z = (X − μ) / σ per column (population σ, so Z has mean 0 and ZᵀZ has n on
 * its diagonal), A = ZᵀZ + αI and its Cholesky factor. Because Z is centred the intercept is ȳ
 * and the weights solve A·w = Zᵀ(y − ȳ). Per target: one pass for g = Zᵀ(y − ȳ) and Syy
 * (cross-products.ts), then two k×k triangular solves. Raw-unit betas are w / σ. In-sample
 * R² = 1 − RSS / Syy with RSS = Syy − wᵀg − α‖w‖² (expand ‖yc − Zw‖² = Syy − 2wᵀg + wᵀZᵀZw and
 * use ZᵀZw = g − αw), so no residual pass is needed.
 */
export interface RidgeSetup {
  /** Observation columns: where each target's returns are read (row offset + column). */
  columns: Int32Array;
  k: number;
  alpha: number;
  mean: Float64Array;
  /** Population standard deviation per regressor. */
  std: Float64Array;
  /** Standardised regressors, one n-long column each: the regression's design columns. */
  z: Float64Array[];
  /** Lower Cholesky factor of ZᵀZ + αI (row-major k×k); null when a regressor is constant. */
  chol: Float64Array | null;
  /** Index of the first constant regressor, or −1. */
  zeroVarianceRegressor: number;
}

/** Output slots indexed by target row; beta of row r, regressor j is at r·k + j. */
export interface RidgeBatchOutput {
  beta: Float64Array;
  rSquared: Float64Array;
  /** KERNEL_OK, or why the row has no usable result (kernel-status.ts). */
  status: Uint8Array;
}

export function createRidgeBatchOutput(rows: number, k: number): RidgeBatchOutput {
  return {
    beta: new Float64Array(rows * k).fill(NaN),
    rSquared: new Float64Array(rows).fill(NaN),
    status: new Uint8Array(rows),
  };
}

/** `regressors[j][i]` is regressor j's return at observation `columns[i]`. */
export function prepareRidge(
  regressors: readonly Float64Array[],
  columns: Int32Array,
  alpha: number,
): RidgeSetup {
  const k = regressors.length;
  const n = columns.length;
  const mean = new Float64Array(k);
  const std = new Float64Array(k);
  const z: Float64Array[] = [];
  let zeroVarianceRegressor = -1;
  for (let j = 0; j < k; j++) {
    const x = regressors[j] as Float64Array;
    if (x.length !== n)
      throw new RangeError(`regressor ${j} has ${x.length} values for ${n} dates`);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[i] as number;
    const m = sum / n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const d = (x[i] as number) - m;
      ss += d * d;
    }
    const s = Math.sqrt(ss / n);
    mean[j] = m;
    std[j] = s;
    const column = new Float64Array(n);
    if (!(s > 0) || !Number.isFinite(s)) {
      if (zeroVarianceRegressor < 0) zeroVarianceRegressor = j;
    } else {
      for (let i = 0; i < n; i++) column[i] = ((x[i] as number) - m) / s;
    }
    z.push(column);
  }
  let chol: Float64Array | null = null;
  if (zeroVarianceRegressor < 0) {
    const a = new Float64Array(k * k);
    for (let p = 0; p < k; p++) {
      const zp = z[p] as Float64Array;
      for (let q = 0; q <= p; q++) {
        const zq = z[q] as Float64Array;
        let sum = 0;
        for (let i = 0; i < n; i++) sum += (zp[i] as number) * (zq[i] as number);
        a[p * k + q] = sum + (p === q ? alpha : 0);
      }
    }
    chol = choleskyFactor(a, k);
  }
  return { columns, k, alpha, mean, std, z, chol, zeroVarianceRegressor };
}

/**
 * Betas (w / σ), R² and status of one target from its cross-products: g[gOffset + j] =
 * Σ z_j (y − ȳ) and Syy. `w` is k-long scratch, reused across targets.
 */
export function finishRidge(
  setup: RidgeSetup,
  g: Float64Array,
  gOffset: number,
  syy: number,
  out: RidgeBatchOutput,
  row: number,
  w: Float64Array,
): void {
  const { k, alpha, std, chol } = setup;
  if (chol === null) {
    // Only a constant regressor (or α ≤ 0 with collinear regressors) leaves A singular.
    out.status[row] =
      setup.zeroVarianceRegressor >= 0 ? KERNEL_ZERO_VARIANCE_REGRESSOR : KERNEL_NON_FINITE;
    return;
  }
  for (let j = 0; j < k; j++) w[j] = g[gOffset + j] as number;
  choleskySolveInPlace(chol, k, w);
  let wg = 0;
  let ww = 0;
  let finite = true;
  for (let j = 0; j < k; j++) {
    const wj = w[j] as number;
    wg += wj * (g[gOffset + j] as number);
    ww += wj * wj;
    const beta = wj / (std[j] as number);
    out.beta[row * k + j] = beta;
    if (!Number.isFinite(beta)) finite = false;
  }
  const rSquared = 1 - (syy - wg - alpha * ww) / syy;
  out.rSquared[row] = rSquared;
  if (!(syy > 0)) out.status[row] = KERNEL_ZERO_VARIANCE_TARGET;
  else if (!finite || !Number.isFinite(rSquared)) out.status[row] = KERNEL_NON_FINITE;
  else out.status[row] = KERNEL_OK;
}

/**
 * Fits each listed row of the row-major `targets` matrix (row r starts at r·stride). The caller
 * guarantees every target has a return at every observation. (The factor engine fuses the ridge
 * with the window's OLS regressions into one design instead; see evaluate-regressions.ts.)
 */
export function ridgeBatch(
  setup: RidgeSetup,
  targets: Float64Array,
  stride: number,
  rows: ArrayLike<number>,
  out: RidgeBatchOutput,
): void {
  const design = packDesign(setup.columns, setup.z);
  const g = new Float64Array(rows.length * design.width);
  const syy = new Float64Array(rows.length);
  crossProducts(design, targets, stride, rows, g, syy);
  const w = new Float64Array(setup.k);
  for (let r = 0; r < rows.length; r++) {
    finishRidge(setup, g, r * design.width, syy[r] as number, out, rows[r] as number, w);
  }
}
