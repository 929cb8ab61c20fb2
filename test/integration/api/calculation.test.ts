import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PortfolioRepository } from '../../../src/db/repositories/portfolio-repository.ts';
import type { PgBossJobQueue } from '../../../src/jobs/pg-boss-job-queue.ts';
import { getSampleProvider } from '../../../src/market/create-provider.ts';
import { metricsRegistry } from '../../../src/observability/metrics.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';
import { CountingProvider, startTestQueue, stock, waitFor } from '../jobs/job-test-helpers.ts';
import { STRESS_SCENARIOS } from '../../../src/domain/stress/scenarios.ts';

interface StatusBody {
  portfolio_id: string;
  batch_run_id: string | null;
  status: string;
  mode: string | null;
  started_at: string | null;
  elapsed_seconds: number | null;
  overall_progress: {
    current_phase: string | null;
    current_phase_name: string | null;
    phases_completed: number;
    phases_total: number;
    percent_complete: number;
  };
  current_phase_progress: { current: number; total: number; unit: string } | null;
  phases: {
    phase_id: string;
    phase_name: string;
    status: string;
    current: number;
    total: number;
    unit: string;
    duration_seconds: number | null;
  }[];
  activity_log: { timestamp: string; message: string; level: string }[];
  errors: unknown[];
}

const PHASES = [
  ['classify', 'Analyzing Portfolio', 'symbols'],
  ['symbol_processing', 'Processing New Symbols', 'symbols'],
  ['phase_4', 'Calculating P&L', 'positions'],
  ['phase_5', 'Aggregating Factors', 'factors'],
  ['phase_6', 'Running Stress Tests', 'scenarios'],
];

describeOnEachEngine('calculate and follow a portfolio through the API', ({ database }) => {
  let queue: PgBossJobQueue;
  let t: TestApp;
  let token: string;
  let portfolioId: string;
  let provider: CountingProvider;

  const status = async (id = portfolioId) => {
    const res = await t.request(`/api/v1/onboarding/status/${id}`, { token });
    expect(res.status).toBe(200);
    return (await res.json()) as StatusBody;
  };
  const finished = (s: StatusBody) => ['completed', 'partial', 'failed'].includes(s.status);

  beforeAll(async () => {
    provider = new CountingProvider(await getSampleProvider());
    queue = await startTestQueue(database(), provider);
    t = await createTestApp(() => database(), { jobs: queue });
    token = await t.login('calc@example.com');
    const me = (await (await t.request('/api/v1/auth/me', { token })).json()) as { id: string };
    const portfolio = await new PortfolioRepository(database().db).createWithPositions({
      userId: me.id,
      name: 'Calc book',
      accountName: 'CALC-1',
      accountType: 'taxable',
      equityBalance: '250000',
      positions: [
        stock('AAPL', 200, 190, '2026-03-02'),
        stock('JNJ', 150, 150, '2026-04-01'),
        stock('XOM', -100, 110, '2026-05-01'),
      ],
    });
    portfolioId = portfolio.id;
  });
  afterAll(async () => {
    await queue?.stop();
  });

  it('answers not_found with the full shape before the first calculation; no log to download', async () => {
    const body = await status();
    expect(body).toMatchObject({
      portfolio_id: portfolioId,
      batch_run_id: null,
      status: 'not_found',
      mode: null,
      started_at: null,
      elapsed_seconds: null,
      overall_progress: {
        current_phase: null,
        current_phase_name: null,
        phases_completed: 0,
        phases_total: 5,
        percent_complete: 0,
      },
      current_phase_progress: null,
      activity_log: [],
      errors: [],
    });
    expect(body.phases.map((p) => [p.phase_id, p.phase_name, p.unit, p.status])).toEqual(
      PHASES.map(([id, name, unit]) => [id, name, unit, 'pending']),
    );
    const logs = await t.request(`/api/v1/onboarding/status/${portfolioId}/logs`, { token });
    expect(logs.status).toBe(404);
    expect(((await logs.json()) as { error: { code: string } }).error.code).toBe(
      'ERR_CALCULATION_NOT_FOUND',
    );
  });

  it('POST calculate answers 202, a second one 409 while it runs, and the status ends completed', async () => {
    // Prices arrive only when the test says so: the run stays live while the 409 is checked.
    provider.pause();
    const res = await t.request(`/api/v1/portfolios/${portfolioId}/calculate`, {
      method: 'POST',
      token,
    });
    expect(res.status).toBe(202);
    const started = (await res.json()) as Record<string, string>;
    expect(started).toMatchObject({
      portfolio_id: portfolioId,
      status: 'started',
    });
    expect(started.batch_run_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(started.message).toContain('Calc book');

    const again = await t.request(`/api/v1/portfolios/${portfolioId}/calculate?mode=full`, {
      method: 'POST',
      token,
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('ERR_BATCH_001');

    const early = await status();
    expect(early.batch_run_id).toBe(started.batch_run_id);
    expect(['queued', 'running']).toContain(early.status);
    // Blocked on its first price request, right after classifying the three symbols.
    const live = await waitFor(
      status,
      (s) => s.status === 'running' && s.phases[0]!.status === 'completed',
      100,
    );
    expect(live.overall_progress).toEqual({
      current_phase: 'symbol_processing',
      current_phase_name: 'Processing New Symbols',
      phases_completed: 1,
      phases_total: 5,
      percent_complete: 20,
    });
    expect(live.current_phase_progress).toBeNull();
    expect(live.started_at).not.toBeNull();
    provider.resume();

    const body = await waitFor(status, finished, 200);
    expect(body.status).toBe('completed');
    expect(body.mode).toBe('fast');
    expect(body.batch_run_id).toBe(started.batch_run_id);
    expect(body.started_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(body.elapsed_seconds).toBeGreaterThan(0);
    expect(body.overall_progress).toEqual({
      current_phase: null,
      current_phase_name: null,
      phases_completed: 5,
      phases_total: 5,
      percent_complete: 100,
    });
    expect(body.current_phase_progress).toBeNull();
    expect(body.phases.map((p) => [p.phase_id, p.phase_name, p.unit, p.status])).toEqual(
      PHASES.map(([id, name, unit]) => [id, name, unit, 'completed']),
    );
    const byId = Object.fromEntries(body.phases.map((p) => [p.phase_id, p]));
    expect([byId.classify!.current, byId.classify!.total]).toEqual([3, 3]);
    expect(byId.symbol_processing!.total).toBe(3);
    expect(byId.phase_4!.total).toBe(3);
    expect(byId.phase_5!.total).toBe(13);
    expect(byId.phase_6!.total).toBe(STRESS_SCENARIOS.length);
    for (const p of body.phases) expect(p.duration_seconds).toBeGreaterThanOrEqual(0);
    expect(body.errors).toEqual([]);
    const messages = body.activity_log.map((e) => e.message);
    expect(messages[0]).toBe('Calculating "Calc book" for 2026-07-31 (fast mode): 3 position(s)');
    expect(messages).toContain('0 known symbol(s), 3 new: AAPL, JNJ, XOM');
    expect(messages.at(-1)).toBe('Calculation completed');
    for (const e of body.activity_log) {
      expect(e.timestamp).toMatch(/Z$/);
      expect(['info', 'warning', 'error']).toContain(e.level);
    }

    const metrics = await metricsRegistry.metrics();
    expect(metrics).toMatch(
      /betaboard_jobs_finished_total\{job_type="onboarding",status="completed"\} [1-9]/,
    );
  });

  it('batch-status reports the run; another portfolio or an unknown run is a 404', async () => {
    const { batch_run_id: runId } = await status();
    const res = await t.request(`/api/v1/portfolios/${portfolioId}/batch-status/${runId}`, {
      token,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 'completed',
      batch_run_id: runId,
      portfolio_id: portfolioId,
      triggered_by: 'user:calc@example.com',
    });
    expect(body.elapsed_seconds).toBeGreaterThan(0);
    expect(Object.keys(body).sort()).toEqual([
      'batch_run_id',
      'elapsed_seconds',
      'portfolio_id',
      'started_at',
      'status',
      'triggered_by',
    ]);

    const me = (await (await t.request('/api/v1/auth/me', { token })).json()) as { id: string };
    const other = await new PortfolioRepository(database().db).createWithPositions({
      userId: me.id,
      name: 'Other book',
      accountName: 'CALC-2',
      accountType: 'ira',
      equityBalance: '1000',
      positions: [stock('KO', 10, 60, '2026-06-01')],
    });
    const wrong = await t.request(`/api/v1/portfolios/${other.id}/batch-status/${runId}`, {
      token,
    });
    expect(wrong.status).toBe(404);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe(
      'ERR_BATCH_RUN_NOT_FOUND',
    );
    const missing = await t.request(
      `/api/v1/portfolios/${portfolioId}/batch-status/${randomUUID()}`,
      { token },
    );
    expect(missing.status).toBe(404);
    const bad = await t.request(`/api/v1/portfolios/${portfolioId}/batch-status/nope`, { token });
    expect(bad.status).toBe(400);
  });

  it('downloads the activity log as text and as JSON attachments', async () => {
    const body = await status();
    const txt = await t.request(`/api/v1/onboarding/status/${portfolioId}/logs?format=txt`, {
      token,
    });
    expect(txt.status).toBe(200);
    expect(txt.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(txt.headers.get('content-disposition')).toBe(
      `attachment; filename="onboarding-${portfolioId}-${body.batch_run_id}.txt"`,
    );
    const lines = (await txt.text()).trimEnd().split('\n');
    expect(lines[0]).toBe(
      `# Onboarding calculation ${body.batch_run_id} for portfolio ${portfolioId}`,
    );
    expect(lines.length).toBe(2 + body.activity_log.length);
    expect(lines.at(-1)).toMatch(/Z INFO {4}Calculation completed$/);

    const json = await t.request(`/api/v1/onboarding/status/${portfolioId}/logs?format=json`, {
      token,
    });
    expect(json.headers.get('content-disposition')).toBe(
      `attachment; filename="onboarding-${portfolioId}-${body.batch_run_id}.json"`,
    );
    const parsed = (await json.json()) as { status: string; activity_log: unknown[] };
    expect(parsed.status).toBe('completed');
    expect(parsed.activity_log).toEqual(body.activity_log);

    const badFormat = await t.request(`/api/v1/onboarding/status/${portfolioId}/logs?format=pdf`, {
      token,
    });
    expect(badFormat.status).toBe(422);
  });

  it('a second calculation (full mode) finds every symbol known and skips symbol processing', async () => {
    const res = await t.request(`/api/v1/portfolios/${portfolioId}/calculate?mode=full`, {
      method: 'POST',
      token,
    });
    expect(res.status).toBe(202);
    const { batch_run_id: runId } = (await res.json()) as { batch_run_id: string };
    const body = await waitFor(status, (s) => s.batch_run_id === runId && finished(s), 200);
    expect(body.status).toBe('completed');
    expect(body.mode).toBe('full');
    expect(body.phases.map((p) => p.status)).toEqual([
      'completed',
      'skipped',
      'completed',
      'completed',
      'completed',
    ]);
    expect(body.overall_progress.percent_complete).toBe(100);
    expect(body.activity_log.map((e) => e.message)).toContain(
      'Processing New Symbols: skipped — every symbol is already known',
    );
  });

  it('rejects a bad mode, another user, and answers 503 without a job queue', async () => {
    const badMode = await t.request(`/api/v1/portfolios/${portfolioId}/calculate?mode=slow`, {
      method: 'POST',
      token,
    });
    expect(badMode.status).toBe(422);

    const stranger = await t.login('stranger@example.com');
    for (const [method, path] of [
      ['POST', `/api/v1/portfolios/${portfolioId}/calculate`],
      ['GET', `/api/v1/onboarding/status/${portfolioId}`],
      ['GET', `/api/v1/onboarding/status/${portfolioId}/logs`],
    ] as const) {
      const res = await t.request(path, { method, token: stranger });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'ERR_PORTFOLIO_NOT_FOUND',
      );
    }

    const noQueue = await createTestApp(() => database());
    const noQueueToken = await noQueue.login('calc@example.com');
    const res = await noQueue.request(`/api/v1/portfolios/${portfolioId}/calculate`, {
      method: 'POST',
      token: noQueueToken,
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'ERR_JOBS_UNAVAILABLE',
    );
  });
});
