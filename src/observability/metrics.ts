import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics, served as text on `/metrics`. One registry per process
 * (not prom-client's global one) so tests can create apps freely.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'betaboard_' });

export const httpRequestDurationSeconds = new Histogram({
  name: 'betaboard_http_request_duration_seconds',
  help: 'HTTP request latency by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

export const jobDurationSeconds = new Histogram({
  name: 'betaboard_job_duration_seconds',
  help: 'Background job duration by job type and final status',
  labelNames: ['job_type', 'status'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
  registers: [metricsRegistry],
});

export const jobsFinishedTotal = new Counter({
  name: 'betaboard_jobs_finished_total',
  help: 'Background jobs finished, by job type and final status',
  labelNames: ['job_type', 'status'] as const,
  registers: [metricsRegistry],
});

/** Set by whoever owns the queue (a collect callback reads it at scrape time). */
export const queueDepth = new Gauge({
  name: 'betaboard_queue_depth',
  help: 'Jobs queued or running',
  registers: [metricsRegistry],
});

export const symbolCacheHitRatio = new Gauge({
  name: 'betaboard_symbol_cache_hit_ratio',
  help: 'Hit rate of the in-memory symbol cache since start (0..1)',
  registers: [metricsRegistry],
});
