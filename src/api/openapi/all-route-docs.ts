import { adminRoutes } from '../routes/admin.ts';
import { analyticsAggregateRoutes } from '../routes/analytics-aggregate.ts';
import { analyticsPortfolioRoutes } from '../routes/analytics-portfolio.ts';
import { authRoutes } from '../routes/auth.ts';
import { calculationRoutes } from '../routes/calculation.ts';
import { docsRoutes } from '../routes/docs.ts';
import { equityChangesRoutes } from '../routes/equity-changes.ts';
import { healthRoutes } from '../routes/health.ts';
import { metricsRoutes } from '../routes/metrics.ts';
import { onboardingUploadRoutes } from '../routes/onboarding-upload.ts';
import { portfolioDataRoutes } from '../routes/portfolio-data.ts';
import { portfoliosRoutes } from '../routes/portfolios.ts';
import { positionsRoutes } from '../routes/positions.ts';
import { stressScenarioRoutes } from '../routes/stress-scenarios.ts';
import { symbolsRoutes } from '../routes/symbols.ts';
import type { Route } from './define-route.ts';
import type { RouteDoc } from './route-doc.ts';

/**
 * Every declared route (one line per module), in the order the OpenAPI document lists them
 * and app.ts registers them. Routes of different modules never match the same request, so
 * the order between modules only shapes the document.
 */
export const ALL_ROUTES: readonly Route[] = [
  ...authRoutes,
  ...onboardingUploadRoutes,
  ...calculationRoutes,
  ...portfoliosRoutes,
  ...portfolioDataRoutes,
  ...equityChangesRoutes,
  ...positionsRoutes,
  ...symbolsRoutes,
  ...analyticsPortfolioRoutes,
  ...analyticsAggregateRoutes,
  ...stressScenarioRoutes,
  ...adminRoutes,
  ...healthRoutes,
  ...metricsRoutes,
  ...docsRoutes(() => ALL_ROUTES),
];

/** The same routes as the OpenAPI document sees them. */
export const ALL_ROUTE_DOCS: readonly RouteDoc[] = ALL_ROUTES;
