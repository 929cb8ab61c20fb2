import { beforeAll, expect, it } from 'vitest';
import {
  batchRunDetailSchema,
  batchRunLogSchema,
  cacheHealthSchema,
  currentRunsSchema,
  historySchema,
  metricsSchema,
  summarySchema,
} from '../../../src/services/admin/schemas.ts';
import { BatchRunRepository } from '../../../src/db/repositories/batch-run-repository.ts';
import { DailyMetricsRepository } from '../../../src/db/repositories/daily-metrics-repository.ts';
import { ONBOARDING_METRIC_NAMES } from '../../../src/pipeline/admin-metrics/onboarding-metrics.ts';
import { runAdminMetrics } from '../../../src/pipeline/admin-metrics/run-admin-metrics.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';
import { errorCode, loginAdmin, phase, RecordingJobQueue, seedRun } from './admin-test-helpers.ts';

const json = (res: Response) => res.json() as Promise<Record<string, unknown>>;
const HOUR = 3_600_000;

describeOnEachEngine('admin routes: access and batch control', ({ database }) => {
  let t: TestApp;
  let jobs: RecordingJobQueue;
  let admin: string;

  beforeAll(async () => {
    jobs = new RecordingJobQueue(() => database().db);
    t = await createTestApp(() => database(), { jobs });
    admin = await loginAdmin(t, database().db, 'root@example.com');
  });

  it('403s a signed-in user without the admin role on every admin route, 401s no session', async () => {
    const user = await t.login('plain@example.com');
    const paths = [
      ['GET', '/api/v1/admin/batch/run/current'],
      ['POST', '/api/v1/admin/batch/run?type=symbol_batch'],
      ['GET', '/api/v1/admin/batch/history'],
      ['GET', '/api/v1/admin/batch/history/summary'],
      ['GET', '/api/v1/admin/metrics'],
      ['GET', '/api/v1/admin/cache/health'],
    ];
    for (const [method, path] of paths) {
      const res = await t.request(path!, { method, token: user });
      expect(res.status, path).toBe(403);
      expect(await errorCode(res)).toBe('ERR_FORBIDDEN');
      expect((await t.request(path!, { method })).status, path).toBe(401);
    }
    expect(jobs.calls).toEqual([]);
  });

  it('queues a batch: 202 with the run id, the call recorded with who asked', async () => {
    const res = await t.request('/api/v1/admin/batch/run?type=symbol_batch&date=2025-06-06', {
      method: 'POST',
      token: admin,
    });
    expect(res.status).toBe(202);
    const body = await json(res);
    expect(body).toEqual({ batch_run_id: expect.any(String), status: 'queued' });
    expect(jobs.calls).toEqual([
      { type: 'symbol_batch', date: '2025-06-06', triggeredBy: 'admin:root@example.com' },
    ]);
    const row = await new BatchRunRepository(database().db).get(body.batch_run_id as string);
    expect(row).toMatchObject({ jobType: 'symbol_batch', status: 'queued' });

    const refresh = await t.request('/api/v1/admin/batch/run?type=portfolio_refresh', {
      method: 'POST',
      token: admin,
    });
    expect(refresh.status).toBe(202);
    expect(jobs.calls[1]).toEqual({
      type: 'portfolio_refresh',
      date: undefined,
      triggeredBy: 'admin:root@example.com',
    });

    const metrics = await t.request('/api/v1/admin/batch/run?type=admin_metrics&date=2025-06-06', {
      method: 'POST',
      token: admin,
    });
    expect(metrics.status).toBe(202);
    expect(jobs.calls[2]).toMatchObject({ type: 'admin_metrics', date: '2025-06-06' });
  });

  it('409s ERR_BATCH_001 while the same job is queued or running', async () => {
    const res = await t.request('/api/v1/admin/batch/run?type=symbol_batch&date=2025-06-06', {
      method: 'POST',
      token: admin,
    });
    expect(res.status).toBe(409);
    const body = (await json(res)) as { error: { code: string; details: unknown } };
    expect(body.error.code).toBe('ERR_BATCH_001');
    expect(body.error.details).toEqual({
      job_type: 'symbol_batch',
      scope_key: 'universe|2025-06-06',
    });
  });

  it('validates the query: type required and known, date real and not in the future', async () => {
    for (const query of [
      '',
      'type=onboarding',
      'type=symbol_batch&date=2025-02-30',
      'type=symbol_batch&date=2999-01-04',
    ]) {
      const res = await t.request(`/api/v1/admin/batch/run?${query}`, {
        method: 'POST',
        token: admin,
      });
      expect(res.status, query).toBe(422);
      expect(await errorCode(res)).toBe('ERR_VALIDATION');
    }
  });

  it('503s ERR_JOBS_UNAVAILABLE when this process has no job queue', async () => {
    const noJobs = await createTestApp(() => database());
    const token = await noJobs.login('root@example.com', { password: 'admin password 123' });
    const res = await noJobs.request('/api/v1/admin/batch/run?type=symbol_batch', {
      method: 'POST',
      token,
    });
    expect(res.status).toBe(503);
    expect(await errorCode(res)).toBe('ERR_JOBS_UNAVAILABLE');
  });

  it('reports the in-memory symbol cache', async () => {
    t.ctx.cache.putPrices(
      'AAA',
      '2025-06-02',
      '2025-06-06',
      ['2025-06-02', '2025-06-03', '2025-06-04', '2025-06-05', '2025-06-06'],
      [1, 2, 3, 4, 5],
    );
    t.ctx.cache.putFactors(
      '2025-06-06',
      new Map([
        [
          'AAA',
          [
            { factorName: 'Market Beta (90D)', beta: 1, rSquared: 0.5, observations: 90 },
            { factorName: 'IR Beta', beta: -0.1, rSquared: 0.1, observations: 90 },
          ],
        ],
      ]),
    );
    t.ctx.cache.getFactors('AAA', '2025-06-06');
    t.ctx.cache.getFactors('ZZZ', '2025-06-06');
    t.ctx.cache.getFactors('AAA', '2025-06-06');
    const res = await t.request('/api/v1/admin/cache/health', { token: admin });
    expect(res.status).toBe(200);
    const body = cacheHealthSchema.parse(await res.json());
    expect(body).toMatchObject({
      symbols_cached: 1,
      price_points: 5,
      dates_cached: 1,
      factor_rows: 2,
      approx_memory_bytes: 5 * 64 + 2 * 120,
      hits: 2,
      misses: 1,
      hit_rate: 0.6667,
    });
    expect(body.process_memory.rss_bytes).toBeGreaterThan(0);
  });
});

describeOnEachEngine('admin routes: batch history', ({ database }) => {
  let t: TestApp;
  let admin: string;
  const now = new Date();
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const db = database().db;
    ids.a = await seedRun(db, {
      jobType: 'symbol_batch',
      status: 'completed',
      createdAt: ago(1 * HOUR),
      seconds: 60,
      phases: [
        phase('phase_0', 'completed', { duration_ms: 1000, total: 10, current: 10 }),
        phase('phase_1', 'completed', { duration_ms: 2500, total: 10, current: 10 }),
        phase('phase_2', 'skipped', { duration_ms: 0 }),
        phase('phase_3', 'completed', { duration_ms: 3000, total: 10, current: 10 }),
      ],
    });
    ids.b = await seedRun(db, {
      jobType: 'symbol_batch',
      status: 'partial',
      createdAt: ago(2 * HOUR),
      seconds: 120,
      phases: [phase('phase_1', 'completed', { duration_ms: 100_000 })],
      errors: [
        { symbol: 'XX', phase: 'phase_1', code: 'provider_error', message: 'timeout' },
        { symbol: 'YY', phase: 'phase_1', code: 'provider_error', message: 'timeout' },
        { symbol: 'ZZ', phase: 'phase_3', code: 'stale_price', message: 'no recent close' },
      ],
      log: [
        { timestamp: '2025-06-09T01:00:00.000Z', level: 'info', message: 'Symbol batch started' },
        { timestamp: '2025-06-09T01:02:00.000Z', level: 'warning', message: 'XX: timeout' },
      ],
    });
    ids.c = await seedRun(db, {
      jobType: 'portfolio_refresh',
      status: 'failed',
      createdAt: ago(3 * HOUR),
      seconds: 30,
      phases: [phase('portfolios', 'failed', { duration_ms: 29_500, unit: 'portfolios' })],
      errors: [{ phase: 'batch', code: 'run_failed', message: 'database went away' }],
    });
    ids.d = await seedRun(db, {
      jobType: 'onboarding',
      status: 'completed',
      createdAt: ago(4 * HOUR),
      seconds: 90,
    });
    ids.e = await seedRun(db, {
      jobType: 'symbol_batch',
      status: 'completed',
      createdAt: ago(10 * 24 * HOUR),
      seconds: 45,
    });
    ids.f = await seedRun(db, {
      jobType: 'portfolio_refresh',
      status: 'running',
      createdAt: ago(0.5 * HOUR + 1000),
      startedAt: ago(0.5 * HOUR),
      phases: [phase('portfolios', 'running', { current: 2, total: 8, unit: 'portfolios' })],
    });
    ids.g = await seedRun(db, { jobType: 'symbol_batch', status: 'queued', createdAt: ago(1000) });
    t = await createTestApp(() => database(), {
      jobs: new RecordingJobQueue(() => database().db, 4),
      now: () => now,
    });
    admin = await loginAdmin(t, db, 'ops@example.com');
  });

  it('lists runs newest first with the phase-based job counts and durations', async () => {
    const res = await t.request('/api/v1/admin/batch/history?days=7', { token: admin });
    expect(res.status).toBe(200);
    const body = historySchema.parse(await res.json());
    expect(body.total_count).toBe(6);
    expect(body.runs.map((r) => r.id)).toEqual([ids.g, ids.f, ids.a, ids.b, ids.c, ids.d]);
    const a = body.runs[2]!;
    expect(a).toEqual({
      id: ids.a,
      batch_run_id: ids.a,
      job_type: 'symbol_batch',
      triggered_by: 'test',
      created_at: ago(1 * HOUR).toISOString(),
      started_at: ago(1 * HOUR - 1000).toISOString(),
      completed_at: ago(1 * HOUR - 61_000).toISOString(),
      status: 'completed',
      calculation_date: null,
      portfolio_id: null,
      total_jobs: 4,
      completed_jobs: 4,
      failed_jobs: 0,
      duration_seconds: 60,
      phase_durations: { phase_0: 1, phase_1: 2.5, phase_2: 0, phase_3: 3 },
      error_count: 0,
      has_errors: false,
    });
    expect(body.runs[3]).toMatchObject({ status: 'partial', error_count: 3, has_errors: true });
    expect(body.runs[4]).toMatchObject({
      status: 'failed',
      total_jobs: 1,
      completed_jobs: 0,
      failed_jobs: 1,
      duration_seconds: 30,
      has_errors: true,
    });
    expect(body.runs[1]).toMatchObject({ status: 'running', duration_seconds: null });
    expect(body.runs[0]).toMatchObject({ status: 'queued', started_at: null, total_jobs: 0 });
  });

  it('filters by status, job type and window, and limits without changing total_count', async () => {
    const get = async (query: string) =>
      historySchema.parse(
        await (await t.request(`/api/v1/admin/batch/history?${query}`, { token: admin })).json(),
      );
    const completed = await get('status=completed');
    expect(completed.total_count).toBe(2);
    expect(completed.runs.map((r) => r.id)).toEqual([ids.a, ids.d]);
    const month = await get('days=30&job_type=symbol_batch');
    expect(month.runs.map((r) => r.id)).toEqual([ids.g, ids.a, ids.b, ids.e]);
    const limited = await get('limit=2');
    expect(limited.total_count).toBe(6);
    expect(limited.runs.map((r) => r.id)).toEqual([ids.g, ids.f]);
    for (const bad of ['days=0', 'limit=501', 'status=done', 'days=abc']) {
      const res = await t.request(`/api/v1/admin/batch/history?${bad}`, { token: admin });
      expect(res.status, bad).toBe(422);
    }
  });

  it('summarises: breakdown by status, success rate of finished runs, mean duration', async () => {
    const week = summarySchema.parse(
      await (await t.request('/api/v1/admin/batch/history/summary', { token: admin })).json(),
    );
    expect(week).toMatchObject({
      period_days: 7,
      total_runs: 6,
      status_breakdown: { queued: 1, running: 1, completed: 2, partial: 1, failed: 1 },
      // 2 completed of 4 finished; (60 + 120 + 30 + 90) / 4.
      success_rate_percent: 50,
      avg_duration_seconds: 75,
    });
    expect(week.most_recent?.id).toBe(ids.g);

    const month = summarySchema.parse(
      await (
        await t.request('/api/v1/admin/batch/history/summary?days=30', { token: admin })
      ).json(),
    );
    // 3 of 5 finished; (60 + 120 + 30 + 90 + 45) / 5.
    expect(month).toMatchObject({
      total_runs: 7,
      success_rate_percent: 60,
      avg_duration_seconds: 69,
    });

    const onlyRefresh = summarySchema.parse(
      await (
        await t.request('/api/v1/admin/batch/history/summary?job_type=portfolio_refresh', {
          token: admin,
        })
      ).json(),
    );
    expect(onlyRefresh).toMatchObject({
      total_runs: 2,
      success_rate_percent: 0,
      avg_duration_seconds: 30,
    });
    expect(onlyRefresh.most_recent?.id).toBe(ids.f);

    const none = summarySchema.parse(
      await (
        await t.request('/api/v1/admin/batch/history/summary?job_type=full_backfill', {
          token: admin,
        })
      ).json(),
    );
    expect(none).toMatchObject({
      total_runs: 0,
      success_rate_percent: null,
      avg_duration_seconds: null,
      most_recent: null,
    });
  });

  it('shows one run with its error summary, and its log', async () => {
    const res = await t.request(`/api/v1/admin/batch/history/${ids.b}`, { token: admin });
    expect(res.status).toBe(200);
    const detail = batchRunDetailSchema.parse(await res.json());
    expect(detail.error_summary).toEqual({
      count: 3,
      types: ['provider_error', 'stale_price'],
      details: [
        { symbol: 'XX', phase: 'phase_1', code: 'provider_error', message: 'timeout' },
        { symbol: 'YY', phase: 'phase_1', code: 'provider_error', message: 'timeout' },
        { symbol: 'ZZ', phase: 'phase_3', code: 'stale_price', message: 'no recent close' },
      ],
    });
    expect(detail.duration_seconds).toBe(120);
    expect(detail.phases).toEqual([
      {
        phase_id: 'phase_1',
        phase_name: 'phase_1',
        status: 'completed',
        current: 0,
        total: 0,
        unit: 'symbols',
        duration_seconds: 100,
      },
    ]);

    const logs = batchRunLogSchema.parse(
      await (await t.request(`/api/v1/admin/batch/history/${ids.b}/logs`, { token: admin })).json(),
    );
    expect(logs.activity_log).toEqual([
      { timestamp: '2025-06-09T01:00:00.000Z', level: 'info', message: 'Symbol batch started' },
      { timestamp: '2025-06-09T01:02:00.000Z', level: 'warning', message: 'XX: timeout' },
    ]);
    expect(logs.error_summary.count).toBe(3);

    const clean = batchRunDetailSchema.parse(
      await (await t.request(`/api/v1/admin/batch/history/${ids.a}`, { token: admin })).json(),
    );
    expect(clean.error_summary).toEqual({ count: 0, types: [], details: [] });
  });

  it('404s an unknown run id and 400s one that is not a UUID', async () => {
    const missing = await t.request(
      '/api/v1/admin/batch/history/7b0c5a52-3f7e-4a8e-9a53-0d5c6a1e2f3b',
      { token: admin },
    );
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe('ERR_BATCH_RUN_NOT_FOUND');
    const missingLogs = await t.request(
      '/api/v1/admin/batch/history/7b0c5a52-3f7e-4a8e-9a53-0d5c6a1e2f3b/logs',
      { token: admin },
    );
    expect(missingLogs.status).toBe(404);
    const bad = await t.request('/api/v1/admin/batch/history/not-a-uuid', { token: admin });
    expect(bad.status).toBe(400);
    expect(await errorCode(bad)).toBe('ERR_INVALID_ID');
  });

  it('lists queued and running runs of every type with progress, oldest first', async () => {
    const res = await t.request('/api/v1/admin/batch/run/current', { token: admin });
    expect(res.status).toBe(200);
    const body = currentRunsSchema.parse(await res.json());
    expect(body.count).toBe(2);
    expect(body.queue_depth).toBe(4);
    const [running, queued] = body.runs;
    expect(running).toMatchObject({
      id: ids.f,
      job_type: 'portfolio_refresh',
      status: 'running',
      elapsed_seconds: 1800,
      overall_progress: {
        current_phase: 'portfolios',
        current_phase_name: 'portfolios',
        phases_completed: 0,
        phases_total: 1,
        percent_complete: 25,
      },
      current_phase_progress: { current: 2, total: 8, unit: 'portfolios' },
    });
    expect(queued).toMatchObject({
      id: ids.g,
      status: 'queued',
      elapsed_seconds: null,
      overall_progress: { current_phase: null, phases_total: 0, percent_complete: 0 },
      current_phase_progress: null,
      phases: [],
    });
  });
});

describeOnEachEngine('admin metrics', ({ database }) => {
  // 14:00 in New York on 2025-06-11.
  const now = new Date('2025-06-11T18:00:00Z');
  let t: TestApp;
  let admin: string;

  const onboarding = (
    createdAt: string,
    status: 'completed' | 'partial' | 'failed' | 'running',
    seconds: number | undefined,
    classified: number,
    unknown: number | 'skipped' | 'not_reached',
  ) =>
    seedRun(database().db, {
      jobType: 'onboarding',
      status,
      createdAt: new Date(createdAt),
      seconds,
      phases: [
        phase('classify', unknown === 'not_reached' ? 'failed' : 'completed', {
          total: classified,
        }),
        unknown === 'skipped'
          ? phase('symbol_processing', 'skipped', { duration_ms: 0 })
          : unknown === 'not_reached'
            ? phase('symbol_processing', 'pending')
            : phase('symbol_processing', status === 'failed' ? 'failed' : 'completed', {
                total: unknown,
              }),
        phase('phase_4', status === 'completed' || status === 'partial' ? 'completed' : 'pending'),
      ],
    });

  beforeAll(async () => {
    // 2025-06-09 (New York): 23:00 EDT is 03:00 UTC the next day.
    await onboarding('2025-06-10T03:00:00Z', 'completed', 12, 2, 'skipped');
    // 2025-06-10 (New York).
    await onboarding('2025-06-10T13:00:00Z', 'completed', 10, 5, 'skipped');
    await onboarding('2025-06-10T14:00:00Z', 'completed', 40, 3, 'skipped');
    await onboarding('2025-06-11T03:30:00Z', 'partial', 20, 4, 'skipped'); // 23:30 EDT on the 10th
    await onboarding('2025-06-10T15:00:00Z', 'completed', 30, 6, 2);
    await onboarding('2025-06-10T16:00:00Z', 'completed', 50, 4, 4);
    await onboarding('2025-06-10T17:00:00Z', 'failed', 5, 2, 1);
    await onboarding('2025-06-10T18:00:00Z', 'failed', 1, 0, 'not_reached');
    await onboarding('2025-06-10T19:00:00Z', 'running', undefined, 3, 'skipped');
    // Other job types never count.
    await seedRun(database().db, {
      jobType: 'symbol_batch',
      status: 'failed',
      createdAt: new Date('2025-06-10T20:00:00Z'),
      seconds: 3,
    });
    // 2025-06-11 (today in New York).
    await onboarding('2025-06-11T14:00:00Z', 'completed', 100, 10, 5);
    t = await createTestApp(() => database(), { now: () => now });
    admin = await loginAdmin(t, database().db, 'metrics@example.com');
  });

  it('runAdminMetrics computes the day from batch_runs and upserts daily_metrics', async () => {
    const result = await runAdminMetrics(database().db, '2025-06-10', { triggeredBy: 'test' });
    expect(result.status).toBe('completed');
    expect(result.metrics).toEqual({
      date: '2025-06-10',
      runs: 7,
      failed: 2,
      failureRate: 2 / 7,
      medianSeconds: { all_known: 20, with_unknown: 40 },
      successfulRuns: { all_known: 3, with_unknown: 2 },
      symbolsClassified: 24,
      symbolsKnown: 17,
      cacheHitRate: 17 / 24,
    });

    const repo = new DailyMetricsRepository(database().db);
    const rows = await repo.list('2025-06-10', '2025-06-10', ONBOARDING_METRIC_NAMES);
    const view = rows.map((r) => [r.metric, r.dimensions, r.value, r.sampleCount]);
    expect(view).toEqual([
      ['onboarding_duration_median_seconds', { symbols: 'all_known' }, 20, 3],
      ['onboarding_duration_median_seconds', { symbols: 'with_unknown' }, 40, 2],
      ['onboarding_failure_rate', {}, 2 / 7, 7],
      ['onboarding_failures', {}, 2, 7],
      ['onboarding_runs', {}, 7, 7],
      ['onboarding_symbol_cache_hit_rate', {}, 17 / 24, 24],
    ]);

    // Idempotent: a second run for the date replaces, never duplicates.
    await runAdminMetrics(database().db, '2025-06-10');
    expect(await repo.list('2025-06-10', '2025-06-10', ONBOARDING_METRIC_NAMES)).toHaveLength(6);

    const run = await new BatchRunRepository(database().db).get(result.batchRunId);
    expect(run).toMatchObject({
      jobType: 'admin_metrics',
      status: 'completed',
      calculationDate: '2025-06-10',
      triggeredBy: 'test',
    });
  });

  it('a day with nothing to count is stored as zeros, without rates or medians', async () => {
    const result = await runAdminMetrics(database().db, '2025-06-01');
    expect(result.metrics).toMatchObject({ runs: 0, failureRate: null, cacheHitRate: null });
    const rows = await new DailyMetricsRepository(database().db).list(
      '2025-06-01',
      '2025-06-01',
      ONBOARDING_METRIC_NAMES,
    );
    expect(rows.map((r) => [r.metric, r.value])).toEqual([
      ['onboarding_failures', 0],
      ['onboarding_runs', 0],
    ]);
  });

  it('/admin/metrics reads stored days and computes the others (today included) live', async () => {
    // Stored figures win for a computed day: a run added after the job ran is not seen.
    await onboarding('2025-06-10T21:00:00Z', 'failed', 2, 1, 1);
    const res = await t.request('/api/v1/admin/metrics?days=3', { token: admin });
    expect(res.status).toBe(200);
    const body = metricsSchema.parse(await res.json());
    expect(body.period_days).toBe(3);
    expect(body.days).toEqual([
      {
        date: '2025-06-09',
        source: 'live',
        onboarding_runs: 1,
        onboarding_failed: 0,
        failure_rate_percent: 0,
        median_duration_seconds_all_known: 12,
        median_duration_seconds_with_unknown: null,
        runs_all_known: 1,
        runs_with_unknown: 0,
        symbols_classified: 2,
        cache_hit_rate_percent: 100,
      },
      {
        date: '2025-06-10',
        source: 'stored',
        onboarding_runs: 7,
        onboarding_failed: 2,
        failure_rate_percent: 28.57,
        median_duration_seconds_all_known: 20,
        median_duration_seconds_with_unknown: 40,
        runs_all_known: 3,
        runs_with_unknown: 2,
        symbols_classified: 24,
        cache_hit_rate_percent: 70.83,
      },
      {
        date: '2025-06-11',
        source: 'live',
        onboarding_runs: 1,
        onboarding_failed: 0,
        failure_rate_percent: 0,
        median_duration_seconds_all_known: null,
        median_duration_seconds_with_unknown: 100,
        runs_all_known: 0,
        runs_with_unknown: 1,
        symbols_classified: 10,
        cache_hit_rate_percent: 50,
      },
    ]);

    const week = metricsSchema.parse(
      await (await t.request('/api/v1/admin/metrics', { token: admin })).json(),
    );
    expect(week.days.map((d) => d.date)).toEqual([
      '2025-06-05',
      '2025-06-06',
      '2025-06-07',
      '2025-06-08',
      '2025-06-09',
      '2025-06-10',
      '2025-06-11',
    ]);
    expect(week.days[0]).toMatchObject({
      source: 'live',
      onboarding_runs: 0,
      failure_rate_percent: null,
    });
    expect((await t.request('/api/v1/admin/metrics?days=91', { token: admin })).status).toBe(422);
  });
});
