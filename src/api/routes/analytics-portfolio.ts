import type { Context } from 'hono';
import { z } from 'zod';
import { portfolioBetaComparison } from '../../services/analytics/beta-comparison.ts';
import { portfolioConcentration } from '../../services/analytics/concentration.ts';
import {
  CORRELATION_LIMITS,
  portfolioCorrelationMatrix,
} from '../../services/analytics/correlation-matrix.ts';
import {
  portfolioFactorExposures,
  positionFactorExposures,
} from '../../services/analytics/factor-exposures.ts';
import { portfolioOverview } from '../../services/analytics/overview.ts';
import {
  portfolioRiskMetrics,
  RISK_METRICS_LOOKBACK,
} from '../../services/analytics/risk-metrics.ts';
import {
  betaComparisonSchema,
  portfolioConcentrationSchema,
  portfolioCorrelationSchema,
  portfolioFactorExposuresSchema,
  portfolioOverviewSchema,
  portfolioSectorSchema,
  portfolioStressSchema,
  portfolioVolatilitySchema,
  positionFactorExposuresSchema,
  riskMetricsSchema,
  spreadFactorsSchema,
} from '../../services/analytics/schemas.ts';
import { portfolioSectorExposure } from '../../services/analytics/sector-exposure.ts';
import { portfolioSpreadFactors } from '../../services/analytics/spread-factors.ts';
import { portfolioStressTest, STRESS_SCENARIO_IDS } from '../../services/analytics/stress-test.ts';
import { portfolioVolatility } from '../../services/analytics/volatility.ts';
import type { AppEnv } from '../app-env.ts';
import { defineRoute, type Route, type RouteInput } from '../openapi/define-route.ts';
import { ownedPortfolioParam } from '../owned-portfolio.ts';

/** A comma-separated list in a query parameter, trimmed, without empty items. */
export function commaList(value: string | undefined): string[] | null {
  const items = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return items.length > 0 ? items : null;
}

const knownScenarios = new Set(STRESS_SCENARIO_IDS);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const stressQuery = z.object({
  scenarios: z
    .string()
    .max(4000)
    .optional()
    .superRefine((value, ctx) => {
      const unknown = (commaList(value) ?? []).filter(
        (id) => !knownScenarios.has(id) && !UUID.test(id),
      );
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown scenario id(s): ${unknown.join(', ')}; known: ${STRESS_SCENARIO_IDS.join(', ')} and the ids of your own scenarios`,
        });
      }
    })
    .describe('Comma-separated scenario ids, built-in or your own (default: all)'),
  include: z
    .enum(['model'])
    .optional()
    .describe('`model`: add the stress model (factors, Σ, window, every position’s betas)'),
});

/** The `scenarios` parameter's ids, UUIDs lower-cased as they are stored; null for all. */
export function scenarioIdsOf(value: string | undefined): string[] | null {
  return commaList(value)?.map((id) => (UUID.test(id) ? id.toLowerCase() : id)) ?? null;
}

export const aggregateStressQuery = stressQuery.omit({ include: true });

const L = CORRELATION_LIMITS;
export const correlationQuery = z
  .object({
    lookback_days: z.coerce
      .number()
      .int()
      .min(L.minLookbackDays)
      .max(L.maxLookbackDays)
      .optional()
      .describe(
        `Trading-day returns in the window (default ${L.defaultLookbackDays}: the stored nightly matrix)`,
      ),
    min_overlap: z.coerce
      .number()
      .int()
      .min(L.minOverlap)
      .max(L.maxLookbackDays)
      .optional()
      .describe(
        `Common returns a pair needs (default ${L.defaultMinOverlap}; at most lookback_days)`,
      ),
    max_symbols: z.coerce
      .number()
      .int()
      .min(2)
      .max(L.maxSymbols)
      .optional()
      .describe(`Largest holdings in the matrix (default ${L.defaultMaxSymbols})`),
  })
  .refine(
    (q) =>
      q.min_overlap === undefined || q.min_overlap <= (q.lookback_days ?? L.defaultLookbackDays),
    {
      message: `min_overlap cannot exceed lookback_days (default ${L.defaultLookbackDays})`,
      path: ['min_overlap'],
    },
  );

const positionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Page size (1–1000)'),
  offset: z.coerce.number().int().min(0).default(0),
  symbols: z
    .string()
    .max(4000)
    .optional()
    .describe('Comma-separated symbols to keep (case-insensitive)'),
});

const riskMetricsQuery = z.object({
  lookback_days: z.coerce
    .number()
    .int()
    .min(RISK_METRICS_LOOKBACK.min)
    .max(RISK_METRICS_LOOKBACK.max)
    .optional()
    .describe(`Daily returns used (default ${RISK_METRICS_LOOKBACK.default})`),
});

/** A GET under /api/v1/analytics (both analytics modules declare theirs with it). */
export function analyticsRoute<Q extends z.ZodObject | undefined = undefined>(route: {
  path: string;
  summary: string;
  schema: z.ZodType;
  query?: Q;
  handler: (c: Context<AppEnv>, input: RouteInput<Q, undefined>) => Promise<Response>;
}): Route {
  return defineRoute<Q>({
    method: 'get',
    path: `/api/v1/analytics${route.path}`,
    tag: 'analytics',
    summary: route.summary,
    auth: 'user',
    ...(route.query ? { query: route.query } : {}),
    success: { status: 200, description: route.summary, schema: route.schema },
    handler: route.handler,
  });
}

export const dbOf = (c: Context<AppEnv>) => c.get('database').db;

type OwnedPortfolio = Awaited<ReturnType<typeof ownedPortfolioParam>>;

/** A route of one portfolio: its id is checked for ownership before the handler runs. */
function portfolioRoute<Q extends z.ZodObject | undefined = undefined>(
  path: string,
  summary: string,
  schema: z.ZodType,
  query: Q,
  handler: (
    c: Context<AppEnv>,
    portfolio: OwnedPortfolio,
    input: RouteInput<Q, undefined>,
  ) => Promise<unknown>,
): Route {
  return analyticsRoute({
    path: `/portfolio/{id}${path}`,
    summary,
    schema,
    query,
    handler: async (c, input) => {
      const portfolio = await ownedPortfolioParam(c);
      return c.json(await handler(c, portfolio, input));
    },
  });
}

/** /analytics/portfolio/{id}/…: the stored (and some on-the-fly) analytics of one portfolio. */
export const analyticsPortfolioRoutes: Route[] = [
  portfolioRoute(
    '/overview',
    'NAV, exposures, P&L and position counts',
    portfolioOverviewSchema,
    undefined,
    (c, portfolio) => portfolioOverview(dbOf(c), portfolio),
  ),
  portfolioRoute(
    '/factor-exposures',
    'Portfolio betas and dollar exposures to the 13 factors',
    portfolioFactorExposuresSchema,
    undefined,
    (c, { id }) => portfolioFactorExposures(dbOf(c), id),
  ),
  portfolioRoute(
    '/positions/factor-exposures',
    'Factor betas per position, paged',
    positionFactorExposuresSchema,
    positionsQuery,
    (c, { id }, { query }) => {
      const q = query();
      return positionFactorExposures(dbOf(c), id, {
        limit: q.limit,
        offset: q.offset,
        symbols: commaList(q.symbols),
      });
    },
  ),
  portfolioRoute(
    '/spread-factors',
    'The four spread betas, read as tilts',
    spreadFactorsSchema,
    undefined,
    (c, { id }) => portfolioSpreadFactors(dbOf(c), id),
  ),
  portfolioRoute(
    '/stress-test',
    'Stress scenarios (impact = correlated)',
    portfolioStressSchema,
    stressQuery,
    (c, { id }, { query }) => {
      const q = query();
      return portfolioStressTest(dbOf(c), c.get('user').id, id, {
        scenarioIds: scenarioIdsOf(q.scenarios),
        includeModel: q.include === 'model',
      });
    },
  ),
  portfolioRoute(
    '/correlation-matrix',
    'Correlations between the largest public holdings',
    portfolioCorrelationSchema,
    correlationQuery,
    (c, { id }, { query }) => {
      const q = query();
      return portfolioCorrelationMatrix(dbOf(c), id, {
        lookbackDays: q.lookback_days,
        minOverlap: q.min_overlap,
        maxSymbols: q.max_symbols,
      });
    },
  ),
  portfolioRoute(
    '/volatility',
    'Realized and expected volatility',
    portfolioVolatilitySchema,
    undefined,
    (c, { id }) => portfolioVolatility(dbOf(c), id),
  ),
  portfolioRoute(
    '/sector-exposure',
    'GICS sector weights against the S&P 500',
    portfolioSectorSchema,
    undefined,
    (c, { id }) => portfolioSectorExposure(dbOf(c), id),
  ),
  portfolioRoute(
    '/concentration',
    'HHI, effective N and top holdings',
    portfolioConcentrationSchema,
    undefined,
    (c, { id }) => portfolioConcentration(dbOf(c), id),
  ),
  portfolioRoute(
    '/beta-comparison',
    'Provider beta vs 90-day OLS beta per position',
    betaComparisonSchema,
    undefined,
    (c, { id }) => portfolioBetaComparison(dbOf(c), id),
  ),
  portfolioRoute(
    '/risk-metrics',
    'Volatility, max drawdown, Sharpe and Sortino from the history',
    riskMetricsSchema,
    riskMetricsQuery,
    (c, { id }, { query }) => portfolioRiskMetrics(dbOf(c), id, query().lookback_days),
  ),
];
