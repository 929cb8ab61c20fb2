import type { Context } from 'hono';
import type { z } from 'zod';
import { aggregateConcentration } from '../../services/analytics/concentration.ts';
import { aggregateCorrelationMatrix } from '../../services/analytics/correlation-matrix.ts';
import { aggregateFactorExposures } from '../../services/analytics/factor-exposures.ts';
import { aggregateOverview } from '../../services/analytics/overview.ts';
import {
  aggregateConcentrationSchema,
  aggregateCorrelationSchema,
  aggregateFactorExposuresSchema,
  aggregateOverviewSchema,
  aggregateSectorSchema,
  aggregateStressSchema,
  aggregateVolatilitySchema,
} from '../../services/analytics/schemas.ts';
import { aggregateSectorExposure } from '../../services/analytics/sector-exposure.ts';
import { aggregateStressTest } from '../../services/analytics/stress-test.ts';
import { aggregateVolatility } from '../../services/analytics/volatility.ts';
import type { AppEnv } from '../app-env.ts';
import type { Route, RouteInput } from '../openapi/define-route.ts';
import {
  analyticsRoute,
  aggregateStressQuery,
  correlationQuery,
  dbOf,
  scenarioIdsOf,
} from './analytics-portfolio.ts';

const userOf = (c: Context<AppEnv>) => c.get('user').id;

/** A route over all of the signed-in user's portfolios. */
function aggregateRoute<Q extends z.ZodObject | undefined = undefined>(
  path: string,
  summary: string,
  schema: z.ZodType,
  query: Q,
  handler: (c: Context<AppEnv>, input: RouteInput<Q, undefined>) => Promise<unknown>,
): Route {
  return analyticsRoute({
    path: `/aggregate${path}`,
    summary,
    schema,
    query,
    handler: async (c, input) => c.json(await handler(c, input)),
  });
}

/** /analytics/aggregate/…: the signed-in user's live portfolios as one book, value-weighted. */
export const analyticsAggregateRoutes: Route[] = [
  aggregateRoute(
    '/overview',
    'All of my portfolios: NAV, exposures, P&L, counts',
    aggregateOverviewSchema,
    undefined,
    (c) => aggregateOverview(dbOf(c), userOf(c)),
  ),
  aggregateRoute(
    '/factor-exposures',
    'All of my portfolios: NAV-weighted factor betas',
    aggregateFactorExposuresSchema,
    undefined,
    (c) => aggregateFactorExposures(dbOf(c), userOf(c)),
  ),
  aggregateRoute(
    '/stress-test',
    'All of my portfolios: scenario P&L summed',
    aggregateStressSchema,
    aggregateStressQuery,
    (c, { query }) => aggregateStressTest(dbOf(c), userOf(c), scenarioIdsOf(query().scenarios)),
  ),
  aggregateRoute(
    '/sector-exposure',
    'All of my portfolios: sector weights against the S&P 500',
    aggregateSectorSchema,
    undefined,
    (c) => aggregateSectorExposure(dbOf(c), userOf(c)),
  ),
  aggregateRoute(
    '/concentration',
    'All of my portfolios: concentration of the netted holdings',
    aggregateConcentrationSchema,
    undefined,
    (c) => aggregateConcentration(dbOf(c), userOf(c)),
  ),
  aggregateRoute(
    '/volatility',
    'All of my portfolios: volatility of the combined daily returns',
    aggregateVolatilitySchema,
    undefined,
    (c) => aggregateVolatility(dbOf(c), userOf(c)),
  ),
  aggregateRoute(
    '/correlation-matrix',
    'All of my portfolios: correlations of the netted public holdings',
    aggregateCorrelationSchema,
    correlationQuery,
    (c, { query }) => {
      const q = query();
      return aggregateCorrelationMatrix(dbOf(c), userOf(c), {
        lookbackDays: q.lookback_days,
        minOverlap: q.min_overlap,
        maxSymbols: q.max_symbols,
      });
    },
  ),
];
