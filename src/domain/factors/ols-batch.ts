import { crossProducts, packDesign, type Design } from './cross-products.ts';
import {
  KERNEL_NON_FINITE,
  KERNEL_OK,
  KERNEL_ZERO_VARIANCE_REGRESSOR,
  KERNEL_ZERO_VARIANCE_TARGET,
} from './kernel-status.ts';
import { denseMean } from './window-sums.ts';

/**
 * Batched simple OLS with intercept: one regressor on one set of observation dates, many targets.
 *
 * Everything that depends only on the regressor (its mean, the centred series, Sxx) is computed
 * once per set-up; each target then costs one pass for Sxy = Σ x̃(y − ȳ) and Syy = Σ (y − ȳ)²
 * (cross-products.ts). Per target: beta = Sxy / Sxx, R² = Sxy² / (Sxx·Syy), and the slope's
 * standard error sqrt((Syy − beta·Sxy) / (n − 2) / Sxx), all on centred data: two-pass sums
 * rather than Σxy − n·x̄ȳ, whose cancellation would cost digits against the NumPy reference.
 */
export interface OlsSetup {
  /** Observation columns: where each target's returns are read (row offset + column). */
  columns: Int32Array;
  /** Regressor minus its mean, per observation: the regression's design column. */
  xc: Float64Array;
  sxx: number;
}

/** Output slots indexed by target row; the kernel writes only the rows it is given. */
export interface OlsBatchOutput {
  beta: Float64Array;
  rSquared: Float64Array;
  stdError: Float64Array;
  /** KERNEL_OK, or why the row has no usable result (kernel-status.ts). */
  status: Uint8Array;
}

export function createOlsBatchOutput(rows: number): OlsBatchOutput {
  return {
    beta: new Float64Array(rows).fill(NaN),
    rSquared: new Float64Array(rows).fill(NaN),
    stdError: new Float64Array(rows).fill(NaN),
    status: new Uint8Array(rows),
  };
}

/** `x[i]` is the regressor's return at observation `columns[i]`. */
export function prepareOls(x: Float64Array, columns: Int32Array): OlsSetup {
  const n = columns.length;
  if (x.length !== n) throw new RangeError(`regressor has ${x.length} values for ${n} dates`);
  const mean = denseMean(x, 0, n);
  const xc = new Float64Array(n);
  // Summed in observation order, like each accumulator of crossProducts: Sxx ≡ Syy when the
  // target is the regressor itself.
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - mean;
    xc[i] = d;
    sxx += d * d;
  }
  return { columns, xc, sxx };
}

/** Beta, R², standard error and status of one target from its cross-products. */
export function finishOls(
  setup: OlsSetup,
  sxy: number,
  syy: number,
  out: OlsBatchOutput,
  row: number,
): void {
  const { sxx } = setup;
  const n = setup.columns.length;
  if (!(sxx > 0) || !Number.isFinite(sxx)) {
    out.status[row] = KERNEL_ZERO_VARIANCE_REGRESSOR;
    return;
  }
  const beta = sxy / sxx;
  // Syy − beta·Sxy is Syy·(1 − R²) ≥ 0; rounding may leave a hair below zero when R² ≈ 1.
  const rss = Math.max(0, syy - beta * sxy);
  const stdError = Math.sqrt(rss / (n - 2) / sxx);
  const rSquared = Math.min(1, (sxy * sxy) / (sxx * syy));
  out.beta[row] = beta;
  out.rSquared[row] = rSquared;
  out.stdError[row] = stdError;
  if (!(syy > 0)) out.status[row] = KERNEL_ZERO_VARIANCE_TARGET;
  else if (!Number.isFinite(beta) || !Number.isFinite(rSquared) || !Number.isFinite(stdError)) {
    out.status[row] = KERNEL_NON_FINITE;
  } else out.status[row] = KERNEL_OK;
}

/**
 * Regresses each listed row of the row-major `targets` matrix (row r starts at r·stride) on the
 * set-up's regressor. The caller guarantees every target has a return at every observation.
 * (The factor engine fuses several regressions of a window into one design instead; see
 * evaluate-regressions.ts.)
 */
export function olsBatch(
  setup: OlsSetup,
  targets: Float64Array,
  stride: number,
  rows: ArrayLike<number>,
  out: OlsBatchOutput,
): void {
  const design: Design = packDesign(setup.columns, [setup.xc]);
  const g = new Float64Array(rows.length * design.width);
  const syy = new Float64Array(rows.length);
  crossProducts(design, targets, stride, rows, g, syy);
  for (let r = 0; r < rows.length; r++) {
    finishOls(setup, g[r * design.width] as number, syy[r] as number, out, rows[r] as number);
  }
}
