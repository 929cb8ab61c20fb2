import { Hono, type Context } from 'hono';
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
import type { AppContext } from '../app-context.ts';
import type { AppEnv } from '../app-env.ts';
import type { RouteDoc } from '../openapi/route-doc.ts';
import { readQuery } from '../request-input.ts';
import {
  analyticsRouteDoc,
  aggregateStressQuery,
  correlationQuery,
  scenarioIdsOf,
} from './analytics-portfolio.ts';

const doc = (path: string, summary: string, schema: z.ZodType, query?: z.ZodObject) =>
  analyticsRouteDoc(`/aggregate${path}`, summary, schema, query);

export const analyticsAggregateRouteDocs: RouteDoc[] = [
  doc('/overview', 'All of my portfolios: NAV, exposures, P&L, counts', aggregateOverviewSchema),
  doc(
    '/factor-exposures',
    'All of my portfolios: NAV-weighted factor betas',
    aggregateFactorExposuresSchema,
  ),
  doc(
    '/stress-test',
    'All of my portfolios: scenario P&L summed',
    aggregateStressSchema,
    aggregateStressQuery,
  ),
  doc(
    '/sector-exposure',
    'All of my portfolios: sector weights against the S&P 500',
    aggregateSectorSchema,
  ),
  doc(
    '/concentration',
    'All of my portfolios: concentration of the netted holdings',
    aggregateConcentrationSchema,
  ),
  doc(
    '/volatility',
    'All of my portfolios: volatility of the combined daily returns',
    aggregateVolatilitySchema,
  ),
  doc(
    '/correlation-matrix',
    'All of my portfolios: correlations of the netted public holdings',
    aggregateCorrelationSchema,
    correlationQuery,
  ),
];

const dbOf = (c: Context<AppEnv>) => c.get('database').db;
const userOf = (c: Context<AppEnv>) => c.get('user').id;

/** /analytics/aggregate/…: the signed-in user's live portfolios as one book, value-weighted. */
export function analyticsAggregateRoutes(_ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const base = '/analytics/aggregate';

  app.get(`${base}/overview`, async (c) => c.json(await aggregateOverview(dbOf(c), userOf(c))));

  app.get(`${base}/factor-exposures`, async (c) =>
    c.json(await aggregateFactorExposures(dbOf(c), userOf(c))),
  );

  app.get(`${base}/stress-test`, async (c) => {
    const q = readQuery(c, aggregateStressQuery);
    return c.json(await aggregateStressTest(dbOf(c), userOf(c), scenarioIdsOf(q.scenarios)));
  });

  app.get(`${base}/sector-exposure`, async (c) =>
    c.json(await aggregateSectorExposure(dbOf(c), userOf(c))),
  );

  app.get(`${base}/concentration`, async (c) =>
    c.json(await aggregateConcentration(dbOf(c), userOf(c))),
  );

  app.get(`${base}/volatility`, async (c) => c.json(await aggregateVolatility(dbOf(c), userOf(c))));

  app.get(`${base}/correlation-matrix`, async (c) => {
    const q = readQuery(c, correlationQuery);
    return c.json(
      await aggregateCorrelationMatrix(dbOf(c), userOf(c), {
        lookbackDays: q.lookback_days,
        minOverlap: q.min_overlap,
        maxSymbols: q.max_symbols,
      }),
    );
  });

  return app;
}
