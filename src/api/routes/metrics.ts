import { metricsRegistry, queueDepth, symbolCacheHitRatio } from '../../observability/metrics.ts';
import { defineRoute, type Route } from '../openapi/define-route.ts';

/** `/metrics` on the root app (not under /api/v1): what a Prometheus scraper reads. */
export const metricsRoutes: Route[] = [
  defineRoute({
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
    handler: async (c, { ctx }) => {
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
    },
  }),
];
