import { z } from 'zod';
import { JobAlreadyActiveError } from '../../db/job-already-active-error.ts';
import { onboardingLogDownload } from '../../services/onboarding/onboarding-log-export.ts';
import {
  latestOnboardingRun,
  onboardingStatusView,
} from '../../services/onboarding/onboarding-status.ts';
import { portfolioBatchStatus } from '../../services/onboarding/portfolio-batch-status.ts';
import {
  calculationStartedSchema,
  onboardingStatusSchema,
  portfolioBatchStatusSchema,
} from '../../services/onboarding/schemas.ts';
import { ApiError } from '../api-error.ts';
import { defineRoute, type Route } from '../openapi/define-route.ts';
import { ownedPortfolioParam } from '../owned-portfolio.ts';
import { uuidParam } from '../request-input.ts';

const calculateQuery = z.object({
  mode: z
    .enum(['fast', 'full'])
    .default('fast')
    .describe('fast: write only the days not stored yet; full: recompute every day of history'),
});

const logsQuery = z.object({ format: z.enum(['txt', 'json']).default('txt') });

/** Calculating a portfolio and following its progress (API.md, Onboarding). */
export const calculationRoutes: Route[] = [
  defineRoute({
    method: 'post',
    path: '/api/v1/portfolios/{id}/calculate',
    tag: 'onboarding',
    summary: 'Queue the calculation of a portfolio (the fast onboarding path)',
    auth: 'user',
    query: calculateQuery,
    success: {
      status: 202,
      description: 'Queued; poll the onboarding status',
      schema: calculationStartedSchema,
    },
    errors: {
      409: 'ERR_BATCH_001 (a calculation of this portfolio is already queued or running)',
      503: 'ERR_JOBS_UNAVAILABLE (the job queue is not running yet)',
    },
    handler: async (c, { ctx, query }) => {
      const portfolio = await ownedPortfolioParam(c);
      const { mode } = query();
      const jobs = ctx.getJobs();
      if (!jobs) {
        throw new ApiError(
          503,
          'ERR_JOBS_UNAVAILABLE',
          'The job queue is not running yet; try again in a moment',
        );
      }
      try {
        const { batchRunId } = await jobs.enqueuePortfolioCalculation({
          portfolioId: portfolio.id,
          mode,
          triggeredBy: `user:${c.get('user').email}`,
        });
        return c.json(
          {
            portfolio_id: portfolio.id,
            batch_run_id: batchRunId,
            status: 'started' as const,
            message: `Calculation of "${portfolio.name}" queued (${mode} mode); poll /api/v1/onboarding/status/${portfolio.id}`,
          },
          202,
        );
      } catch (error) {
        if (error instanceof JobAlreadyActiveError) {
          throw new ApiError(
            409,
            'ERR_BATCH_001',
            `A calculation of "${portfolio.name}" is already queued or running`,
            { job_type: error.jobType, scope_key: error.scopeKey },
          );
        }
        throw error;
      }
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/onboarding/status/{id}',
    tag: 'onboarding',
    summary: "Progress of the portfolio's latest calculation (status not_found before the first)",
    auth: 'user',
    success: {
      status: 200,
      description: 'Status, phases and activity log',
      schema: onboardingStatusSchema,
    },
    handler: async (c, { ctx }) => {
      const portfolio = await ownedPortfolioParam(c);
      const row = await latestOnboardingRun(c.get('database').db, portfolio.id);
      return c.json(onboardingStatusView(portfolio.id, row, ctx.now()));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/onboarding/status/{id}/logs',
    tag: 'onboarding',
    summary: "The latest calculation's full activity log, as a download",
    auth: 'user',
    query: logsQuery,
    success: {
      status: 200,
      description: 'An attachment: text lines or JSON',
      contentType: 'text/plain',
    },
    errors: { 404: 'ERR_CALCULATION_NOT_FOUND (the portfolio was never calculated)' },
    handler: async (c, { query }) => {
      const portfolio = await ownedPortfolioParam(c);
      const { format } = query();
      const row = await latestOnboardingRun(c.get('database').db, portfolio.id);
      if (!row) {
        throw new ApiError(
          404,
          'ERR_CALCULATION_NOT_FOUND',
          `Portfolio "${portfolio.name}" has not been calculated yet, so it has no log`,
        );
      }
      const file = onboardingLogDownload(portfolio.id, row, format);
      return c.body(file.body, 200, {
        'content-type': file.contentType,
        'content-disposition': `attachment; filename="${file.filename}"`,
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/portfolios/{id}/batch-status/{batch_run_id}',
    tag: 'onboarding',
    summary: 'Status of one run of a portfolio',
    auth: 'user',
    success: { status: 200, description: 'The run', schema: portfolioBatchStatusSchema },
    errors: { 404: 'ERR_BATCH_RUN_NOT_FOUND (no such run for this portfolio)' },
    handler: async (c, { ctx }) => {
      const portfolio = await ownedPortfolioParam(c);
      const batchRunId = uuidParam(c, 'batch_run_id');
      const view = await portfolioBatchStatus(
        c.get('database').db,
        portfolio.id,
        batchRunId,
        ctx.now(),
      );
      if (!view) {
        throw new ApiError(
          404,
          'ERR_BATCH_RUN_NOT_FOUND',
          `Batch run ${batchRunId} was not found for this portfolio`,
        );
      }
      return c.json(view);
    },
  }),
];
