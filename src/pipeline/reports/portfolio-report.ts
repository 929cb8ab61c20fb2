import type { Db } from '../../db/database.ts';
import { CorrelationRepository } from '../../db/repositories/correlation-repository.ts';
import { PortfolioFactorRepository } from '../../db/repositories/portfolio-factor-repository.ts';
import { PortfolioRepository } from '../../db/repositories/portfolio-repository.ts';
import { PositionRepository } from '../../db/repositories/position-repository.ts';
import { SnapshotRepository } from '../../db/repositories/snapshot-repository.ts';
import { StressRepository } from '../../db/repositories/stress-repository.ts';
import { CORRELATION_LOOKBACK_DAYS } from '../../domain/correlation/lookback.ts';
import { percentOfNav } from '../../domain/stress/percent-of-nav.ts';

/**
 * Everything calculated for a portfolio on a date, in one object (`portfolio report --json`):
 * snapshot, positions, factor exposures, stress results, correlations, volatility, concentration.
 */
export async function buildPortfolioReport(db: Db, portfolioId: string, date?: string) {
  const portfolios = new PortfolioRepository(db);
  const portfolio = await portfolios.get(portfolioId);
  if (!portfolio) return null;
  const snapshots = new SnapshotRepository(db);
  const factorRepo = new PortfolioFactorRepository(db);
  const asOf =
    date ??
    (await factorRepo.latestDate(portfolioId)) ??
    (await snapshots.latestDates([portfolioId])).get(portfolioId)?.date;
  if (!asOf) return { portfolio, available: false, reason: 'no_calculation_available' as const };
  const [snapshot] = await snapshots.history(portfolioId, asOf, asOf);
  const analytics = await snapshots.analytics(portfolioId, asOf);
  const positions = await new PositionRepository(db).listPositions(portfolioId);
  const factors = await factorRepo.forPortfolio(portfolioId, asOf);
  const stress = await new StressRepository(db).results(portfolioId, asOf);
  const correlation = await new CorrelationRepository(db).latest(
    portfolioId,
    CORRELATION_LOOKBACK_DAYS,
  );
  return {
    portfolio,
    available: snapshot !== undefined,
    calculation_date: asOf,
    snapshot: snapshot ?? null,
    positions,
    factor_exposures: factors.map((f) => ({
      name: f.name,
      beta: f.beta,
      exposure_dollar: f.exposureDollar,
    })),
    stress_results: stress.map((s) => ({
      id: s.scenarioId,
      name: s.name,
      category: s.category,
      severity: s.severity,
      direct_pnl: s.directPnl,
      correlated_pnl: s.correlatedPnl,
      correlation_effect: s.correlationEffect,
      percentage_impact: percentOfNav(s.correlatedPnl, s.portfolioValue),
    })),
    correlations: correlation && correlation.calculationDate === asOf ? correlation : null,
    volatility: analytics
      ? {
          realized_volatility_21d: analytics.realizedVolatility21d,
          realized_volatility_63d: analytics.realizedVolatility63d,
          expected_volatility_21d: analytics.expectedVolatility21d,
          volatility_trend: analytics.volatilityTrend,
          volatility_percentile: analytics.volatilityPercentile,
        }
      : null,
    concentration: analytics
      ? {
          hhi: analytics.hhi,
          effective_num_positions: analytics.effectiveNumPositions,
          top_3_concentration: analytics.top3Concentration,
          top_10_concentration: analytics.top10Concentration,
        }
      : null,
    sector_exposure: analytics?.sectorExposure ?? null,
    betas: analytics
      ? {
          beta_calculated_90d: analytics.betaCalculated90d,
          beta_provider_1y: analytics.betaProvider1y,
        }
      : null,
  };
}
