import { Hono } from 'hono';
import { metricsRegistry, queueDepth, symbolCacheHitRatio } from '../../observability/metrics.ts';
import type { AppContext } from '../app-context.ts';
import type { RouteDoc } from '../openapi/route-doc.ts';

export const metricsRouteDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/metrics',
    tag: 'health',
    summary: 'Prometheus metrics: request latencies, job durations, queue depth, cache hit rate',
    auth: 'none',
    success: {
      status: 200,
      description: 'Prometheus text exposition format',
      contentType: 'text/plain; version=0.0.4',
    },
  },
];

/** `/metrics` on the root app (not under /api/v1): what a Prometheus scraper reads. */
export function metricsRoutes(ctx: AppContext): Hono {
  const app = new Hono();

  app.get('/metrics', async (c) => {
    // Gauges that describe "now" are read at scrape time rather than pushed on every change.
    try {
      const jobs = ctx.getJobs();
      queueDepth.set(jobs ? await jobs.queueDepth() : 0);
    } catch (error) {
      ctx.logger.warn({ err: error }, 'queue depth unavailable for /metrics');
    }
    symbolCacheHitRatio.set(ctx.cache.stats().hit_rate ?? 0);
    return c.body(await metricsRegistry.metrics(), 200, {
      'content-type': metricsRegistry.contentType,
    });
  });

  return app;
}
