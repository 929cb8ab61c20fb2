import { leastSquares } from './least-squares.ts';
import { assertFinite, TRADING_DAYS_PER_YEAR } from './realized-volatility.ts';

/** Corsi's component lengths in trading days: a day, a week, a month. */
export const HAR_WEEK = 5;
export const HAR_MONTH = 22;
/** Fewer regression rows than this and four coefficients are mostly noise. */
export const HAR_MIN_OBSERVATIONS = 100;
export const HAR_HORIZON = 21;

export interface HarFit {
  intercept: number;
  daily: number;
  weekly: number;
  monthly: number;
  /** Regression rows: one per day t with a full month behind it and a next day after it. */
  observations: number;
  rSquared: number;
}

/**
 * Daily realized-variance proxy: the squared daily return r_t², not demeaned. With daily data
 * there is no intraday sum to build RV from; r² is its unbiased (if noisy) one-observation
 * estimate, and the mean daily return is too small to matter next to its square root.
 */
export function squaredReturns(returns: Float64Array): Float64Array {
  assertFinite(returns);
  return returns.map((r) => r * r);
}

/** [RV_t, mean RV over t−4..t, mean RV over t−21..t] at day t (t ≥ 21). */
function components(rv: ArrayLike<number>, t: number): [number, number, number] {
  let week = 0;
  let month = 0;
  for (let k = 0; k < HAR_MONTH; k++) {
    const v = rv[t - k] as number;
    month += v;
    if (k < HAR_WEEK) week += v;
  }
  return [rv[t] as number, week / HAR_WEEK, month / HAR_MONTH];
}

/**
 * HAR-RV (Corsi 2009) by OLS over the whole history given:
 *   RV_{t+1} = β0 + βd·RV_t + βw·RV_t^(w) + βm·RV_t^(m) + ε,
 * for every t from 21 (first full month) to n−2 (last day with a next day), so n − 22 rows.
 * Null below `minObservations` rows or when the regressors are collinear (e.g. all returns 0).
 */
export function fitHar(
  returns: Float64Array,
  minObservations: number = HAR_MIN_OBSERVATIONS,
): HarFit | null {
  const rv = squaredReturns(returns);
  const rows = rv.length - HAR_MONTH;
  if (rows < Math.max(minObservations, 5)) return null;
  const x = new Float64Array(rows * 4);
  const y = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    const t = row + HAR_MONTH - 1;
    const [d, w, m] = components(rv, t);
    x.set([1, d, w, m], row * 4);
    y[row] = rv[t + 1] as number;
  }
  const beta = leastSquares(x, y, rows, 4);
  if (beta === null) return null;
  const intercept = beta[0] as number;
  const daily = beta[1] as number;
  const weekly = beta[2] as number;
  const monthly = beta[3] as number;

  let meanY = 0;
  for (const v of y) meanY += v;
  meanY /= rows;
  let ssRes = 0;
  let ssTot = 0;
  for (let row = 0; row < rows; row++) {
    const fitted =
      intercept +
      daily * (x[row * 4 + 1] as number) +
      weekly * (x[row * 4 + 2] as number) +
      monthly * (x[row * 4 + 3] as number);
    ssRes += ((y[row] as number) - fitted) ** 2;
    ssTot += ((y[row] as number) - meanY) ** 2;
  }
  const rSquared = ssTot > 0 ? 1 - ssRes / ssTot : 0;
  return { intercept, daily, weekly, monthly, observations: rows, rSquared };
}

/**
 * Mean daily variance over the next `horizon` days, by iterating the one-day model: each day's
 * forecast is appended to the RV history and feeds the next day's daily, weekly and monthly
 * components. Iterating keeps one set of coefficients (the ones reported) for every horizon,
 * where a direct 21-day regression would need its own fit with overlapping targets.
 */
export function forecastHarVariance(
  fit: HarFit,
  returns: Float64Array,
  horizon: number = HAR_HORIZON,
): number {
  const rv = Array.from(squaredReturns(returns));
  if (rv.length < HAR_MONTH) {
    throw new RangeError(`HAR forecast needs ${HAR_MONTH} returns, got ${rv.length}`);
  }
  let total = 0;
  for (let h = 0; h < horizon; h++) {
    const [d, w, m] = components(rv, rv.length - 1);
    const next = fit.intercept + fit.daily * d + fit.weekly * w + fit.monthly * m;
    rv.push(next);
    total += next;
  }
  return total / horizon;
}

/** √(252 × mean daily variance); null when the forecast variance is not > 0. */
export function annualiseVariance(dailyVariance: number): number | null {
  return Number.isFinite(dailyVariance) && dailyVariance > 0
    ? Math.sqrt(TRADING_DAYS_PER_YEAR * dailyVariance)
    : null;
}
