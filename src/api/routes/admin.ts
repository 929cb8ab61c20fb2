import { Hono } from 'hono';
import { JobAlreadyActiveError } from '../../db/job-already-active-error.ts';
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
import type { AppContext } from '../app-context.ts';
import type { AppEnv } from '../app-env.ts';
import type { RouteDoc } from '../openapi/route-doc.ts';
import { readQuery, uuidParam } from '../request-input.ts';
import {
  batchRunDetailSchema,
  batchRunLogSchema,
  batchRunQuery,
  batchRunStarted,
  cacheHealthSchema,
  currentRunsSchema,
  historyQuery,
  historySchema,
  metricsQuery,
  metricsSchema,
  summaryQuery,
  summarySchema,
} from './admin-schemas.ts';

const ADMIN = { tag: 'admin', auth: 'admin' } as const;

export const adminRouteDocs: RouteDoc[] = [
  {
    ...ADMIN,
    method: 'post',
    path: '/api/v1/admin/batch/run',
    summary: 'Queue a symbol batch, a portfolio refresh or an admin-metrics run',
    query: batchRunQuery,
    success: { status: 202, description: 'Queued', schema: batchRunStarted },
    errors: { 409: 'ERR_BATCH_001', 503: 'ERR_JOBS_UNAVAILABLE' },
  },
  {
    ...ADMIN,
    method: 'get',
    path: '/api/v1/admin/batch/run/current',
    summary: 'Queued and running jobs of every type, with progress',
    success: { status: 200, description: 'Live runs', schema: currentRunsSchema },
  },
  {
    ...ADMIN,
    method: 'get',
    path: '/api/v1/admin/batch/history',
    summary: 'Runs of the last N days, newest first',
    query: historyQuery,
    success: { status: 200, description: 'Run history', schema: historySchema },
  },
  {
    ...ADMIN,
    method: 'get',
    path: '/api/v1/admin/batch/history/summary',
    summary: 'Counts by status, success rate and mean duration over the last N days',
    query: summaryQuery,
    success: { status: 200, description: 'Summary', schema: summarySchema },
  },
  {
    ...ADMIN,
    method: 'get',
    path: '/api/v1/admin/batch/history/{id}',
    summary: 'One run with its phases and an error summary',
    success: { status: 200, description: 'The run', schema: batchRunDetailSchema },
    errors: { 400: 'ERR_INVALID_ID', 404: 'ERR_BATCH_RUN_NOT_FOUND' },
  },
  {
    ...ADMIN,
    method: 'get',
    path: '/api/v1/admin/batch/history/{id}/logs',
    summary: 'One run with its full activity log',
    success: { status: 200, description: 'The run and its log', schema: batchRunLogSchema },
    errors: { 400: 'ERR_INVALID_ID', 404: 'ERR_BATCH_RUN_NOT_FOUND' },
  },
  {
    ...ADMIN,
    method: 'get',
    path: '/api/v1/admin/metrics',
    summary: 'Onboarding durations, failure rate and symbol hit rate per New York day',
    query: metricsQuery,
    success: { status: 200, description: 'Daily metrics, oldest first', schema: metricsSchema },
  },
  {
    ...ADMIN,
    method: 'get',
    path: '/api/v1/admin/cache/health',
    summary: 'The in-memory symbol cache: size, memory, hits and misses',
    success: { status: 200, description: 'Cache statistics', schema: cacheHealthSchema },
  },
];

const runNotFound = (id: string) =>
  new ApiError(404, 'ERR_BATCH_RUN_NOT_FOUND', `Batch run ${id} was not found`);

/** /admin/*: batch control and history, metrics, cache health (role admin, enforced by app.ts). */
export function adminRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/admin/batch/run', async (c) => {
    const query = readQuery(c, batchRunQuery);
    if (query.date && query.date > newYorkDateTime(ctx.now()).date) {
      throw new ApiError(422, 'ERR_VALIDATION', `date ${query.date} is in the future`);
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
        type: query.type,
        date: query.date,
        triggeredBy: `admin:${c.get('user').email}`,
      });
      return c.json({ batch_run_id: started.batchRunId, status: started.status }, 202);
    } catch (error) {
      if (error instanceof JobAlreadyActiveError) {
        throw new ApiError(
          409,
          'ERR_BATCH_001',
          `A ${query.type} run${query.date ? ` for ${query.date}` : ''} is already queued or running`,
          { job_type: error.jobType, scope_key: error.scopeKey },
        );
      }
      throw error;
    }
  });

  app.get('/admin/batch/run/current', async (c) => {
    const runs = await activeBatchRuns(c.get('database').db, ctx.now());
    let queueDepth: number | null = null;
    try {
      queueDepth = (await ctx.getJobs()?.queueDepth()) ?? null;
    } catch (error) {
      ctx.logger.warn({ err: error }, 'queue depth unavailable');
    }
    return c.json({ count: runs.length, queue_depth: queueDepth, runs });
  });

  app.get('/admin/batch/history', async (c) => {
    const query = readQuery(c, historyQuery);
    return c.json(
      await batchHistory(
        c.get('database').db,
        { days: query.days, limit: query.limit, status: query.status, jobType: query.job_type },
        ctx.now(),
      ),
    );
  });

  // Registered before `/:id` so "summary" is never read as a run id.
  app.get('/admin/batch/history/summary', async (c) => {
    const query = readQuery(c, summaryQuery);
    return c.json(
      await batchHistorySummary(
        c.get('database').db,
        { days: query.days, jobType: query.job_type },
        ctx.now(),
      ),
    );
  });

  app.get('/admin/batch/history/:id', async (c) => {
    const id = uuidParam(c, 'id');
    const run = await batchRunDetail(c.get('database').db, id);
    if (!run) throw runNotFound(id);
    return c.json(run);
  });

  app.get('/admin/batch/history/:id/logs', async (c) => {
    const id = uuidParam(c, 'id');
    const run = await batchRunLogs(c.get('database').db, id);
    if (!run) throw runNotFound(id);
    return c.json(run);
  });

  app.get('/admin/metrics', async (c) => {
    const query = readQuery(c, metricsQuery);
    return c.json(await adminMetrics(c.get('database').db, query.days, ctx.now()));
  });

  app.get('/admin/cache/health', (c) => c.json(cacheHealth(ctx.cache)));

  return app;
}
