import { DEFAULT_RISK_FREE_RATE } from '../../domain/options/option-pricing.ts';
import { computeRiskMetrics } from '../../domain/risk-metrics/index.ts';
import type { Db } from '../../db/database.ts';
import { AnalyticsReadRepository } from '../../db/repositories/analytics-read-repository.ts';
import { INSUFFICIENT_DATA, NO_CALCULATION, portfolioEnvelope } from './envelope.ts';
import type { RiskMetricsResponse } from './schemas.ts';

/** One year of sessions by default; the query may ask for 20 (the domain's minimum) to 1,260 (5 years). */
export const RISK_METRICS_LOOKBACK = { default: 252, min: 20, max: 1260 } as const;

/**
 * GET /analytics/portfolio/{id}/risk-metrics: annualised volatility, max drawdown, Sharpe and
 * Sortino over the last `lookbackDays` daily returns of the snapshot history (P&L / previous
 * NAV, so contributions and withdrawals are not returns). Sharpe and Sortino are in excess of
 * the 4 % risk-free rate the option pricer uses when no 3-month bill yield is known (SPEC §5;
 * the bundled data has none), so the two never assume different rates.
 */
export async function portfolioRiskMetrics(
  db: Db,
  portfolioId: string,
  lookbackDays: number = RISK_METRICS_LOOKBACK.default,
): Promise<RiskMetricsResponse> {
  const read = new AnalyticsReadRepository(db);
  const latest = (await read.latestSnapshots([portfolioId])).get(portfolioId);
  const empty = {
    annualized_volatility: null,
    max_drawdown: null,
    sharpe_ratio: null,
    sortino_ratio: null,
    observations: 0,
    risk_free_rate: DEFAULT_RISK_FREE_RATE,
    period_start: null,
    period_end: null,
  };
  if (!latest) return { ...portfolioEnvelope(portfolioId, null, NO_CALCULATION), data: empty };
  const rows = (await read.returnHistory([portfolioId], latest.snapshotDate)).slice(-lookbackDays);
  const returns = Float64Array.from(rows, (r) => r.dailyReturn);
  let metrics;
  try {
    metrics = computeRiskMetrics({ returns, riskFreeRate: DEFAULT_RISK_FREE_RATE });
  } catch (error) {
    // A return ≤ −100 % (equity wiped out) leaves drawdown and ratios without meaning.
    if (!(error instanceof RangeError)) throw error;
    return {
      ...portfolioEnvelope(portfolioId, latest.snapshotDate, INSUFFICIENT_DATA),
      data: { ...empty, observations: returns.length },
    };
  }
  const data = {
    annualized_volatility: metrics.annualizedVolatility,
    max_drawdown: metrics.maxDrawdown,
    sharpe_ratio: metrics.sharpeRatio,
    sortino_ratio: metrics.sortinoRatio,
    observations: metrics.observations,
    risk_free_rate: DEFAULT_RISK_FREE_RATE,
    period_start: rows[0]?.date ?? null,
    period_end: rows.at(-1)?.date ?? null,
  };
  const reason = data.annualized_volatility === null ? INSUFFICIENT_DATA : null;
  return { ...portfolioEnvelope(portfolioId, latest.snapshotDate, reason), data };
}
