import { authRouteDocs } from '../routes/auth.ts';
import { calculationRouteDocs } from '../routes/calculation.ts';
import { equityChangesRouteDocs } from '../routes/equity-changes.ts';
import { onboardingUploadRouteDocs } from '../routes/onboarding-upload.ts';
import { portfolioDataRouteDocs } from '../routes/portfolio-data.ts';
import { portfoliosRouteDocs } from '../routes/portfolios.ts';
import { positionsRouteDocs } from '../routes/positions.ts';
import { adminRouteDocs } from '../routes/admin.ts';
import { analyticsAggregateRouteDocs } from '../routes/analytics-aggregate.ts';
import { analyticsPortfolioRouteDocs } from '../routes/analytics-portfolio.ts';
import { docsRouteDocs } from '../routes/docs.ts';
import { healthRouteDocs } from '../routes/health.ts';
import { metricsRouteDocs } from '../routes/metrics.ts';
import { stressScenarioRouteDocs } from '../routes/stress-scenarios.ts';
import { symbolsRouteDocs } from '../routes/symbols.ts';
import type { RouteDoc } from './route-doc.ts';

/** Every documented route, in the order the OpenAPI document lists them (one line per module). */
export const ALL_ROUTE_DOCS: RouteDoc[] = [
  ...authRouteDocs,
  ...onboardingUploadRouteDocs,
  ...calculationRouteDocs,
  ...portfoliosRouteDocs,
  ...portfolioDataRouteDocs,
  ...equityChangesRouteDocs,
  ...positionsRouteDocs,
  ...symbolsRouteDocs,
  ...analyticsPortfolioRouteDocs,
  ...analyticsAggregateRouteDocs,
  ...stressScenarioRouteDocs,
  ...adminRouteDocs,
  ...healthRouteDocs,
  ...metricsRouteDocs,
  ...docsRouteDocs,
];
