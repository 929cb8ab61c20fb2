import { cholesky, choleskySolveInPlace } from './linear-algebra.ts';

/**
 * Ridge regression on standardised regressors, fitted for many dependent series that share one
 * design matrix (SPEC §3.1, scikit-learn's `Ridge(alpha)` after `StandardScaler`):
 *
 *   Z = (X − mean) / std          (population std; a constant column keeps scale 1, as sklearn)
 *   (ZᵀZ + αI) w = Zᵀ(y − ȳ)      (the intercept absorbs the means, so it is not penalised)
 *   beta = w / std,  intercept = ȳ − Σ beta·mean
 *
 * The k×k system depends only on X, so it is factorised once and every y is a cheap solve: with
 * all symbols sharing the factor-ETF window, a whole universe costs one Cholesky.
 */
export interface RidgeBatchFit {
  /** Number of regressors. */
  k: number;
  /** Raw-unit slopes, ys.length × k row-major. */
  betas: Float64Array;
  intercepts: Float64Array;
  /** In-sample R² of each fit. */
  rSquared: Float64Array;
}

/**
 * @param columns k regressor series, each of length n (column-major design matrix)
 * @param ys dependent series, each of length n, aligned with the columns
 */
export function fitStandardisedRidgeBatch(
  columns: readonly Float64Array[],
  ys: readonly Float64Array[],
  alpha: number,
): RidgeBatchFit {
  const k = columns.length;
  const n = columns[0]?.length ?? 0;
  if (k === 0 || n === 0) throw new RangeError('ridge: empty design matrix');
  if (!(alpha >= 0)) throw new RangeError(`ridge: alpha must be >= 0, got ${alpha}`);
  for (const column of columns) {
    if (column.length !== n) throw new RangeError('ridge: regressor lengths differ');
  }
  for (const y of ys) if (y.length !== n) throw new RangeError('ridge: y length differs from X');

  const means = new Float64Array(k);
  const scales = new Float64Array(k);
  const z = columns.map((column, j) => {
    const mean = average(column);
    let ss = 0;
    for (let t = 0; t < n; t++) ss += ((column[t] as number) - mean) ** 2;
    const std = Math.sqrt(ss / n);
    const scale = std > 0 ? std : 1;
    means[j] = mean;
    scales[j] = scale;
    const out = new Float64Array(n);
    for (let t = 0; t < n; t++) out[t] = ((column[t] as number) - mean) / scale;
    return out;
  });

  const gram = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    const zi = z[i] as Float64Array;
    for (let j = 0; j <= i; j++) {
      const zj = z[j] as Float64Array;
      let sum = 0;
      for (let t = 0; t < n; t++) sum += (zi[t] as number) * (zj[t] as number);
      gram[i * k + j] = sum;
      gram[j * k + i] = sum;
    }
    gram[i * k + i] = (gram[i * k + i] as number) + alpha;
  }
  const factor = cholesky(gram, k);

  const betas = new Float64Array(ys.length * k);
  const intercepts = new Float64Array(ys.length);
  const rSquared = new Float64Array(ys.length);
  const w = new Float64Array(k);
  ys.forEach((y, s) => {
    const yMean = average(y);
    for (let j = 0; j < k; j++) {
      const zj = z[j] as Float64Array;
      let sum = 0;
      for (let t = 0; t < n; t++) sum += (zj[t] as number) * ((y[t] as number) - yMean);
      w[j] = sum;
    }
    choleskySolveInPlace(factor, k, w);

    let sse = 0;
    let sst = 0;
    for (let t = 0; t < n; t++) {
      let fitted = 0;
      for (let j = 0; j < k; j++)
        fitted += (w[j] as number) * ((z[j] as Float64Array)[t] as number);
      const centred = (y[t] as number) - yMean;
      sse += (centred - fitted) ** 2;
      sst += centred * centred;
    }
    // A constant y has no variance to explain; follow sklearn's r2_score (1 if fitted exactly).
    rSquared[s] = sst > 0 ? 1 - sse / sst : sse === 0 ? 1 : 0;

    let intercept = yMean;
    for (let j = 0; j < k; j++) {
      const beta = (w[j] as number) / (scales[j] as number);
      betas[s * k + j] = beta;
      intercept -= beta * (means[j] as number);
    }
    intercepts[s] = intercept;
  });
  return { k, betas, intercepts, rSquared };
}

function average(values: Float64Array): number {
  let sum = 0;
  for (let t = 0; t < values.length; t++) sum += values[t] as number;
  return sum / values.length;
}
