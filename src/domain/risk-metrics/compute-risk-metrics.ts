import { TRADING_DAYS_PER_YEAR } from '../volatility/realized-volatility.ts';
import { maxDrawdown, returnIndex } from './max-drawdown.ts';

/** Below a month of returns, Sharpe and friends are noise; report nothing rather than noise. */
export const RISK_METRICS_MIN_OBSERVATIONS = 20;

export interface RiskMetricsInput {
  /** Daily simple returns, oldest first: the snapshots' daily_return (P&L / previous NAV). */
  returns: Float64Array;
  /**
   * Annual risk-free rate as a decimal (0.04 = 4 %): one for every day, or each day's own rate
   * aligned to `returns` (SPEC §7: that day's 3-month bill quote); default 0.
   */
  riskFreeRate?: number | ArrayLike<number>;
  minObservations?: number;
}

export interface RiskMetrics {
  observations: number;
  /** sampleStd(returns) × √252; decimal. */
  annualizedVolatility: number | null;
  /** Negative decimal; see maxDrawdown. */
  maxDrawdown: number | null;
  /** Indices into the return index (level k = after k returns; 0 = before the first). */
  maxDrawdownPeakIndex: number | null;
  maxDrawdownTroughIndex: number | null;
  sharpeRatio: number | null;
  sortinoRatio: number | null;
}

/**
 * SPEC §7 risk metrics over a daily return history.
 *
 * - Daily risk-free rate: (1 + annual_t)^(1/252) − 1, the rate that compounds to the day's
 *   annual one over 252 sessions; excess return e_t = r_t − rf_daily,t.
 * - Volatility: sample standard deviation (ddof = 1) of r × √252.
 * - Sharpe: mean(e) / std(e, ddof = 1) × √252.
 * - Sortino: mean(e) / DD × √252 with the target downside deviation
 *   DD = √(Σ min(e_t, 0)² / N) over all N days (Sortino & Price 1994): days above target count
 *   as zero shortfall rather than being dropped, which would overstate the downside.
 * - Max drawdown: on the compounded return index, i.e. the NAV path net of contributions and
 *   withdrawals, as a negative decimal. It equals the NAV's own drawdown when there are no flows.
 *
 * Fewer than `minObservations` returns (default 20): every metric is null. A ratio whose
 * denominator is 0 (no variation; no day below the risk-free rate) is null, not ±Infinity.
 */
export function computeRiskMetrics(input: RiskMetricsInput): RiskMetrics {
  const { returns } = input;
  const rateInput = input.riskFreeRate ?? 0;
  const minObservations = Math.max(2, input.minObservations ?? RISK_METRICS_MIN_OBSERVATIONS);
  if (typeof rateInput !== 'number' && rateInput.length !== returns.length) {
    throw new RangeError(
      `Risk-free rates must align with the returns: ${rateInput.length} rates, ${returns.length} returns`,
    );
  }
  const rateOn = (t: number) =>
    typeof rateInput === 'number' ? rateInput : (rateInput[t] as number);
  for (let t = 0; t < (typeof rateInput === 'number' ? 1 : rateInput.length); t++) {
    const rate = rateOn(t);
    if (!Number.isFinite(rate) || rate <= -1) {
      throw new RangeError(`Risk-free rate must be a finite decimal > −1, got ${rate}`);
    }
  }
  for (let t = 0; t < returns.length; t++) {
    const r = returns[t] as number;
    // A return ≤ −100 % would make the index 0 or negative, where drawdown has no meaning.
    if (!Number.isFinite(r) || r <= -1) {
      throw new RangeError(`Return at index ${t} must be finite and > −1, got ${r}`);
    }
  }
  const n = returns.length;
  if (n < minObservations) {
    return {
      observations: n,
      annualizedVolatility: null,
      maxDrawdown: null,
      maxDrawdownPeakIndex: null,
      maxDrawdownTroughIndex: null,
      sharpeRatio: null,
      sortinoRatio: null,
    };
  }

  const excess = returns.map((r, t) => r - ((1 + rateOn(t)) ** (1 / TRADING_DAYS_PER_YEAR) - 1));
  const meanExcess = mean(excess);
  let squares = 0;
  let downside = 0;
  for (const e of excess) {
    squares += (e - meanExcess) ** 2;
    if (e < 0) downside += e * e;
  }
  // Sharpe divides by the std of the excess returns; volatility is the std of the returns
  // themselves (the two differ once the rate varies from day to day).
  const std = Math.sqrt(squares / (n - 1));
  const returnMean = mean(returns);
  let returnSquares = 0;
  for (const r of returns) returnSquares += (r - returnMean) ** 2;
  const volatility = Math.sqrt(returnSquares / (n - 1));
  const downsideDeviation = Math.sqrt(downside / n);
  const annualiser = Math.sqrt(TRADING_DAYS_PER_YEAR);
  const drawdown = maxDrawdown(returnIndex(returns));

  return {
    observations: n,
    annualizedVolatility: volatility * annualiser,
    maxDrawdown: drawdown.maxDrawdown,
    maxDrawdownPeakIndex: drawdown.peakIndex,
    maxDrawdownTroughIndex: drawdown.troughIndex,
    sharpeRatio: std > 0 ? (meanExcess / std) * annualiser : null,
    sortinoRatio: downsideDeviation > 0 ? (meanExcess / downsideDeviation) * annualiser : null,
  };
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return sum / values.length;
}
