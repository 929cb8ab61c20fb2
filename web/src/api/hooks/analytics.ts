import {
  keepPreviousData,
  queryOptions,
  useQueries,
  useQuery,
  type UseQueryResult,
} from '@tanstack/react-query';
import { api, unwrap } from '../client.ts';
import type { paths } from '../schema';
import type { GetResponse, StressScenario } from '../types.ts';
import { isAll, type PortfolioScope } from './scope.ts';

const path = (id: string) => ({ params: { path: { id } } });

/** The answer of a per-portfolio analytic or of its All-accounts (aggregate) twin. */
type Either<Name extends string> =
  | GetResponse<`/api/v1/analytics/portfolio/{id}/${Name}` & keyof paths>
  | GetResponse<`/api/v1/analytics/aggregate/${Name}` & keyof paths>;

/** GET /analytics/portfolio/{id}/overview or /analytics/aggregate/overview. */
export const overviewQuery = (scope: PortfolioScope) =>
  queryOptions({
    queryKey: ['overview', scope],
    queryFn: async () =>
      isAll(scope)
        ? { ...(await unwrap(api.GET('/api/v1/analytics/aggregate/overview'))), aggregate: true }
        : {
            ...(await unwrap(api.GET('/api/v1/analytics/portfolio/{id}/overview', path(scope)))),
            aggregate: false,
          },
  });

export function useOverview(scope: PortfolioScope) {
  return useQuery(overviewQuery(scope));
}

export interface FactorExposure {
  name: string;
  beta: number | null;
  exposure_dollar: number | null;
}

/** GET …/factor-exposures (the aggregate's `aggregate_beta` read as `beta`). */
export const factorExposuresQuery = (scope: PortfolioScope) =>
  queryOptions({
    queryKey: ['factor-exposures', scope],
    queryFn: async () => {
      if (isAll(scope)) {
        const r = await unwrap(api.GET('/api/v1/analytics/aggregate/factor-exposures'));
        const factors: FactorExposure[] = r.factors.map((f) => ({
          name: f.name,
          beta: f.aggregate_beta,
          exposure_dollar: f.aggregate_exposure_dollar,
        }));
        return { ...r, factors };
      }
      return unwrap(api.GET('/api/v1/analytics/portfolio/{id}/factor-exposures', path(scope)));
    },
  });

export function useFactorExposures(scope: PortfolioScope) {
  return useQuery(factorExposuresQuery(scope));
}

/** GET …/spread-factors (single portfolio only). */
export function useSpreadFactors(portfolioId: string | null) {
  return useQuery({
    queryKey: ['spread-factors', portfolioId],
    enabled: portfolioId !== null,
    queryFn: () =>
      unwrap(api.GET('/api/v1/analytics/portfolio/{id}/spread-factors', path(portfolioId!))),
  });
}

/** GET …/stress-test: every scenario, the user's own ones included. */
export const stressTestQuery = (scope: PortfolioScope) =>
  queryOptions({
    queryKey: ['stress-test', scope],
    queryFn: async () => {
      const r = isAll(scope)
        ? await unwrap(api.GET('/api/v1/analytics/aggregate/stress-test'))
        : await unwrap(api.GET('/api/v1/analytics/portfolio/{id}/stress-test', path(scope)));
      return { ...r, data: { ...r.data, scenarios: r.data.scenarios as StressScenario[] } };
    },
  });

export function useStressTest(scope: PortfolioScope) {
  return useQuery(stressTestQuery(scope));
}

/** GET …/correlation-matrix for a lookback (90 days is the stored matrix). */
export function useCorrelationMatrix(scope: PortfolioScope, lookbackDays: number) {
  return useQuery({
    queryKey: ['correlation-matrix', scope, lookbackDays],
    // Another lookback of the same book keeps the matrix on screen while it loads; another book
    // must not: its holdings are different, so it shows the loading state instead.
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[1] === scope ? keepPreviousData(previous) : undefined,
    queryFn: (): Promise<Either<'correlation-matrix'>> => {
      const query = { lookback_days: lookbackDays };
      return isAll(scope)
        ? unwrap(api.GET('/api/v1/analytics/aggregate/correlation-matrix', { params: { query } }))
        : unwrap(
            api.GET('/api/v1/analytics/portfolio/{id}/correlation-matrix', {
              params: { path: { id: scope }, query },
            }),
          );
    },
  });
}

/** GET …/volatility. */
export const volatilityQuery = (scope: PortfolioScope) =>
  queryOptions({
    queryKey: ['volatility', scope],
    queryFn: (): Promise<Either<'volatility'>> =>
      isAll(scope)
        ? unwrap(api.GET('/api/v1/analytics/aggregate/volatility'))
        : unwrap(api.GET('/api/v1/analytics/portfolio/{id}/volatility', path(scope))),
  });

export function useVolatility(scope: PortfolioScope) {
  return useQuery(volatilityQuery(scope));
}

/** GET …/sector-exposure. */
export const sectorExposureQuery = (scope: PortfolioScope) =>
  queryOptions({
    queryKey: ['sector-exposure', scope],
    queryFn: (): Promise<Either<'sector-exposure'>> =>
      isAll(scope)
        ? unwrap(api.GET('/api/v1/analytics/aggregate/sector-exposure'))
        : unwrap(api.GET('/api/v1/analytics/portfolio/{id}/sector-exposure', path(scope))),
  });

export function useSectorExposure(scope: PortfolioScope) {
  return useQuery(sectorExposureQuery(scope));
}

/** GET …/concentration. */
export const concentrationQuery = (scope: PortfolioScope) =>
  queryOptions({
    queryKey: ['concentration', scope],
    queryFn: (): Promise<Either<'concentration'>> =>
      isAll(scope)
        ? unwrap(api.GET('/api/v1/analytics/aggregate/concentration'))
        : unwrap(api.GET('/api/v1/analytics/portfolio/{id}/concentration', path(scope))),
  });

export function useConcentration(scope: PortfolioScope) {
  return useQuery(concentrationQuery(scope));
}

/** GET …/beta-comparison of one portfolio. */
export const betaComparisonQuery = (portfolioId: string) =>
  queryOptions({
    queryKey: ['beta-comparison', portfolioId],
    queryFn: () =>
      unwrap(api.GET('/api/v1/analytics/portfolio/{id}/beta-comparison', path(portfolioId))),
  });

export function useBetaComparison(portfolioId: string | null) {
  return useQuery({ ...betaComparisonQuery(portfolioId ?? ''), enabled: portfolioId !== null });
}

type BetaComparisonResult = UseQueryResult<
  GetResponse<'/api/v1/analytics/portfolio/{id}/beta-comparison'>
>;

/** Each position's 90-day beta (calculated_beta) by position id, from every answer so far. */
function betasByPosition(results: BetaComparisonResult[]): Map<string, number | null> {
  const betas = new Map<string, number | null>();
  for (const r of results) {
    for (const p of r.data?.positions ?? []) betas.set(p.position_id, p.calculated_beta);
  }
  return betas;
}

/**
 * GET …/beta-comparison of several portfolios, combined into a map of 90-day betas by
 * position id (holdings of one portfolio or of All accounts). Missing answers leave gaps.
 */
export function usePositionBetas(portfolioIds: string[]) {
  return useQueries({
    queries: portfolioIds.map(betaComparisonQuery),
    combine: betasByPosition,
  });
}

/** GET …/risk-metrics (single portfolio). */
export function useRiskMetrics(portfolioId: string | null) {
  return useQuery({
    queryKey: ['risk-metrics', portfolioId],
    enabled: portfolioId !== null,
    queryFn: () =>
      unwrap(api.GET('/api/v1/analytics/portfolio/{id}/risk-metrics', path(portfolioId!))),
  });
}
