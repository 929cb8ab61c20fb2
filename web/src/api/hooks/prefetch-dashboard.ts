import type { QueryClient } from '@tanstack/react-query';
import type { PortfolioSummary } from '../types.ts';
import {
  betaComparisonQuery,
  concentrationQuery,
  factorExposuresQuery,
  overviewQuery,
  stressTestQuery,
  volatilityQuery,
} from './analytics.ts';
import {
  equityChangesQuery,
  historyQuery,
  positionsQuery,
  snapshotQuery,
} from './portfolio-data.ts';
import { isAll, type PortfolioScope } from './scope.ts';

/**
 * Starts every request the dashboard makes for `scope`, so they run while its code renders
 * instead of after (signing in, the route change and the first render take a few hundred ms
 * on a slow machine). The pages' own hooks then find the answers in the cache.
 */
export function prefetchDashboard(
  queryClient: QueryClient,
  portfolios: readonly PortfolioSummary[],
  scope: PortfolioScope,
): void {
  const known = portfolios.some((p) => p.id === scope);
  const target: PortfolioScope = isAll(scope) || !known ? 'all' : scope;
  const ids = isAll(target) ? portfolios.map((p) => p.id) : [target];
  const queries = [
    overviewQuery(target),
    factorExposuresQuery(target),
    stressTestQuery(target),
    volatilityQuery(target),
    concentrationQuery(target),
    ...ids.flatMap((id) => [historyQuery(id), positionsQuery(id, false), betaComparisonQuery(id)]),
    ...(isAll(target) ? [] : [snapshotQuery(target), equityChangesQuery(target)]),
  ];
  for (const options of queries) {
    // A failure here is not reported: the card that needs the answer asks again and shows it.
    void queryClient.prefetchQuery(options as Parameters<QueryClient['prefetchQuery']>[0]);
  }
}
