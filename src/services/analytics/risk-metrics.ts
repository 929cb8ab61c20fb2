import { DEFAULT_RISK_FREE_RATE } from '../../domain/options/option-pricing.ts';
import { addDays } from '../../domain/dates.ts';
import { billRatesOnSessions, MAX_QUOTE_CARRY_DAYS } from '../../domain/rates/risk-free-rate.ts';
import { computeRiskMetrics } from '../../domain/risk-metrics/index.ts';
import type { Db } from '../../db/database.ts';
import { AnalyticsReadRepository } from '../../db/repositories/analytics-read-repository.ts';
import { TreasuryBillRateRepository } from '../../db/repositories/treasury-bill-rate-repository.ts';
import { INSUFFICIENT_DATA, NO_CALCULATION, portfolioEnvelope } from './envelope.ts';
import type { RiskMetricsResponse } from './schemas.ts';

/** One year of sessions by default; the query may ask for 20 (the domain's minimum) to 1,260 (5 years). */
export const RISK_METRICS_LOOKBACK = { default: 252, min: 20, max: 1260 } as const;

/**
 * GET /analytics/portfolio/{id}/risk-metrics: annualised volatility, max drawdown, Sharpe and
 * Sortino over the last `lookbackDays` daily returns of the snapshot history (P&L / previous
 * NAV, so contributions and withdrawals are not returns). Sharpe and Sortino are in excess of
 * each day's 3-month bill rate (SPEC §7), the rate the option pricer uses; a day without a
 * quote takes the pricer's 4 % default too, so the two never assume different rates.
 * `risk_free_rate` is the average annual rate over the window.
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
    risk_free_rate_source: 'default' as RateSource,
    period_start: null,
    period_end: null,
  };
  if (!latest) return { ...portfolioEnvelope(portfolioId, null, NO_CALCULATION), data: empty };
  const rows = (await read.returnHistory([portfolioId], latest.snapshotDate)).slice(-lookbackDays);
  const returns = Float64Array.from(rows, (r) => r.dailyReturn);
  const rates = await dailyBillRates(
    db,
    rows.map((r) => r.date),
  );
  let metrics;
  try {
    metrics = computeRiskMetrics({ returns, riskFreeRate: rates.rates });
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
    risk_free_rate: rates.average,
    risk_free_rate_source: rates.source,
    period_start: rows[0]?.date ?? null,
    period_end: rows.at(-1)?.date ?? null,
  };
  const reason = data.annualized_volatility === null ? INSUFFICIENT_DATA : null;
  return { ...portfolioEnvelope(portfolioId, latest.snapshotDate, reason), data };
}

type RateSource = 'treasury_bill_3m' | 'default' | 'mixed';

/** Each day's bill rate (decimal), the 4 % default where none is known, and what was used. */
async function dailyBillRates(
  db: Db,
  dates: readonly string[],
): Promise<{ rates: Float64Array; average: number; source: RateSource }> {
  const first = dates[0];
  const last = dates.at(-1);
  const quotes =
    first && last
      ? await new TreasuryBillRateRepository(db).between(
          addDays(first, -MAX_QUOTE_CARRY_DAYS),
          last,
        )
      : [];
  const known = billRatesOnSessions(dates, quotes);
  const rates = Float64Array.from(known, (r) => r ?? DEFAULT_RISK_FREE_RATE);
  const quoted = known.filter((r) => r !== null).length;
  const source: RateSource =
    quoted === known.length && quoted > 0 ? 'treasury_bill_3m' : quoted === 0 ? 'default' : 'mixed';
  let sum = 0;
  for (const r of rates) sum += r;
  const average =
    rates.length > 0 ? Math.round((sum / rates.length) * 1e6) / 1e6 : DEFAULT_RISK_FREE_RATE;
  return { rates, average, source };
}
