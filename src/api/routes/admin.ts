import { z } from 'zod';
import { JobAlreadyActiveError } from '../../db/job-already-active-error.ts';
import { BATCH_STATUSES, JOB_TYPES } from '../../db/schema/enums.ts';
import { newYorkDateTime } from '../../domain/dates.ts';
import { adminMetrics } from '../../services/admin/admin-metrics.ts';
import {
  activeBatchRuns,
  batchHistory,
  batchHistorySummary,
  batchRunDetail,
  batchRunLogs,
} from '../../services/admin/batch-history.ts';
import { triggerBatch } from '../../services/admin/batch-trigger.ts';
import { cacheHealth } from '../../services/admin/cache-health.ts';
import { ApiError } from '../api-error.ts';
import { defineRoute, type Route } from '../openapi/define-route.ts';
import { apiDate, uuidParam } from '../request-input.ts';
import {
  batchRunDetailSchema,
  batchRunLogSchema,
  batchRunStarted,
  cacheHealthSchema,
  currentRunsSchema,
  historySchema,
  metricsSchema,
  summarySchema,
} from '../../services/admin/schemas.ts';

const batchRunQuery = z.object({
  type: z
    .enum(['symbol_batch', 'portfolio_refresh', 'admin_metrics'])
    .describe('admin_metrics recomputes the daily metrics of `date` (default: today, New York)'),
  date: apiDate
    .optional()
    .describe('Calculation date; default: the most recent completed trading day'),
});

const historyQuery = z.object({
  days: z.coerce.number().int().min(1).max(365).default(7),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  status: z.enum(BATCH_STATUSES).optional(),
  job_type: z.enum(JOB_TYPES).optional(),
});

const summaryQuery = z.object({
  days: z.coerce.number().int().min(1).max(365).default(7),
  job_type: z.enum(JOB_TYPES).optional(),
});

const metricsQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).default(7),
});

const ADMIN = { tag: 'admin', auth: 'admin' } as const;

const runNotFound = (id: string) =>
  new ApiError(404, 'ERR_BATCH_RUN_NOT_FOUND', `Batch run ${id} was not found`);

/** /admin/*: batch control and history, metrics, cache health (role admin). */
export const adminRoutes: Route[] = [
  defineRoute({
    ...ADMIN,
    method: 'post',
    path: '/api/v1/admin/batch/run',
    summary: 'Queue a symbol batch, a portfolio refresh or an admin-metrics run',
    query: batchRunQuery,
    success: { status: 202, description: 'Queued', schema: batchRunStarted },
    errors: { 409: 'ERR_BATCH_001', 503: 'ERR_JOBS_UNAVAILABLE' },
    handler: async (c, { ctx, query }) => {
      const q = query();
      if (q.date && q.date > newYorkDateTime(ctx.now()).date) {
        throw new ApiError(422, 'ERR_VALIDATION', `date ${q.date} is in the future`);
      }
      const jobs = ctx.getJobs();
      if (!jobs) {
        throw new ApiError(
          503,
          'ERR_JOBS_UNAVAILABLE',
          'The job queue is not running in this process; try again in a moment',
        );
      }
      try {
        const started = await triggerBatch(c.get('database').db, jobs, {
          type: q.type,
          date: q.date,
          triggeredBy: `admin:${c.get('user').email}`,
        });
        return c.json({ batch_run_id: started.batchRunId, status: started.status }, 202);
      } catch (error) {
        if (error instanceof JobAlreadyActiveError) {
          throw new ApiError(
            409,
            'ERR_BATCH_001',
            `A ${q.type} run${q.date ? ` for ${q.date}` : ''} is already queued or running`,
            { job_type: error.jobType, scope_key: error.scopeKey },
          );
        }
        throw error;
      }
    },
  }),
  defineRoute({
    ...ADMIN,
    method: 'get',
    path: '/api/v1/admin/batch/run/current',
    summary: 'Queued and running jobs of every type, with progress',
    success: { status: 200, description: 'Live runs', schema: currentRunsSchema },
    handler: async (c, { ctx }) => {
      const runs = await activeBatchRuns(c.get('database').db, ctx.now());
      let queueDepth: number | null = null;
      try {
        queueDepth = (await ctx.getJobs()?.queueDepth()) ?? null;
      } catch (error) {
        ctx.logger.warn({ err: error }, 'queue depth unavailable');
      }
      return c.json({ count: runs.length, queue_depth: queueDepth, runs });
    },
  }),
  defineRoute({
    ...ADMIN,
    method: 'get',
    path: '/api/v1/admin/batch/history',
    summary: 'Runs of the last N days, newest first',
    query: historyQuery,
    success: { status: 200, description: 'Run history', schema: historySchema },
    handler: async (c, { ctx, query }) => {
      const q = query();
      return c.json(
        await batchHistory(
          c.get('database').db,
          { days: q.days, limit: q.limit, status: q.status, jobType: q.job_type },
          ctx.now(),
        ),
      );
    },
  }),
  // Registered before `/{id}` so "summary" is never read as a run id.
  defineRoute({
    ...ADMIN,
    method: 'get',
    path: '/api/v1/admin/batch/history/summary',
    summary: 'Counts by status, success rate and mean duration over the last N days',
    query: summaryQuery,
    success: { status: 200, description: 'Summary', schema: summarySchema },
    handler: async (c, { ctx, query }) => {
      const q = query();
      return c.json(
        await batchHistorySummary(
          c.get('database').db,
          { days: q.days, jobType: q.job_type },
          ctx.now(),
        ),
      );
    },
  }),
  defineRoute({
    ...ADMIN,
    method: 'get',
    path: '/api/v1/admin/batch/history/{id}',
    summary: 'One run with its phases and an error summary',
    success: { status: 200, description: 'The run', schema: batchRunDetailSchema },
    errors: { 400: 'ERR_INVALID_ID', 404: 'ERR_BATCH_RUN_NOT_FOUND' },
    handler: async (c) => {
      const id = uuidParam(c, 'id');
      const run = await batchRunDetail(c.get('database').db, id);
      if (!run) throw runNotFound(id);
      return c.json(run);
    },
  }),
  defineRoute({
    ...ADMIN,
    method: 'get',
    path: '/api/v1/admin/batch/history/{id}/logs',
    summary: 'One run with its full activity log',
    success: { status: 200, description: 'The run and its log', schema: batchRunLogSchema },
    errors: { 400: 'ERR_INVALID_ID', 404: 'ERR_BATCH_RUN_NOT_FOUND' },
    handler: async (c) => {
      const id = uuidParam(c, 'id');
      const run = await batchRunLogs(c.get('database').db, id);
      if (!run) throw runNotFound(id);
      return c.json(run);
    },
  }),
  defineRoute({
    ...ADMIN,
    method: 'get',
    path: '/api/v1/admin/metrics',
    summary: 'Onboarding durations, failure rate and symbol hit rate per New York day',
    query: metricsQuery,
    success: { status: 200, description: 'Daily metrics, oldest first', schema: metricsSchema },
    handler: async (c, { ctx, query }) =>
      c.json(await adminMetrics(c.get('database').db, query().days, ctx.now())),
  }),
  defineRoute({
    ...ADMIN,
    method: 'get',
    path: '/api/v1/admin/cache/health',
    summary: 'The in-memory symbol cache: size, memory, hits and misses',
    success: { status: 200, description: 'Cache statistics', schema: cacheHealthSchema },
    handler: (c, { ctx }) => c.json(cacheHealth(ctx.cache)),
  }),
];
