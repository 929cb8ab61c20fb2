import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  betaboardEnv,
  ProcessGroup,
  queryOnce,
  runBetaboard,
  startBetaboard,
  startServe,
  WORKER_READY,
} from '../../helpers/betaboard-process.ts';

/**
 * The production shape as an orchestrator starts it: on a fresh PostgreSQL database, `migrate`,
 * then `serve` (API only) and two `worker` processes at the same moment. Every queue must be
 * worked — once a race on a fresh database left both workers without a single subscription
 * while an admin's symbol batch waited `created` for minutes.
 */
const adminUrl = inject('postgresAdminUrl');
const QUEUES = ['onboarding', 'symbol_batch', 'portfolio_refresh', 'admin_metrics', 'batch_chunk'];
const ADMIN = { email: 'ops@betaboard.test', password: 'operator-password' };
const FINISHED = ['completed', 'partial', 'failed'];

describe.skipIf(!adminUrl)('serve and two workers started together on fresh PostgreSQL', () => {
  const name = `together_${randomUUID().replace(/-/g, '')}`;
  const databaseUrl = adminUrl.replace(/\/postgres$/, `/${name}`);
  const env = betaboardEnv(databaseUrl, {
    BETABOARD_WORKER: 'off',
    MARKET_DATA_PROVIDER: 'sample',
  });
  const processes = new ProcessGroup();

  const betaboard = (...args: string[]) => runBetaboard(args, env, 60_000);

  beforeAll(async () => {
    await queryOnce(adminUrl, `CREATE DATABASE ${name}`);
    await betaboard('migrate');
    await betaboard(
      'user',
      'create',
      '--email',
      ADMIN.email,
      '--password',
      ADMIN.password,
      '--admin',
    );
  }, 60_000);

  afterAll(async () => {
    await processes.stopAll(10_000);
    await queryOnce(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }, 30_000);

  it('every worker works every queue: an admin symbol batch, a refresh, metrics and an onboarding all finish', async () => {
    // Started together, as an orchestrator starts them; only the API is waited for, as an
    // operator would (a worker's own report is checked at the end).
    const [server, ...workers] = [
      processes.add(startServe('serve', env)),
      processes.add(startBetaboard('worker 1', ['worker'], env, WORKER_READY)),
      processes.add(startBetaboard('worker 2', ['worker'], env, WORKER_READY)),
    ];
    const baseUrl = `http://127.0.0.1:${(await server.ready)[1]}`;

    for (let attempt = 0; !(await fetch(`${baseUrl}/health/ready`)).ok; attempt++) {
      expect(attempt, 'the API never became ready').toBeLessThan(150);
      await new Promise((r) => setTimeout(r, 200));
    }
    const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(login.status).toBe(200);
    const { access_token } = (await login.json()) as { access_token: string };
    const auth = { authorization: `Bearer ${access_token}` };
    const post = async (route: string, init: RequestInit = {}) => {
      // The API answers 503 until its own queue has started.
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(`${baseUrl}${route}`, { method: 'POST', headers: auth, ...init });
        if (res.status !== 503 || attempt > 100) return res;
        await new Promise((r) => setTimeout(r, 200));
      }
    };

    const statuses = new Map<string, string>();
    const context = async () => {
      const jobs = await queryOnce<{ name: string; state: string; count: string }>(
        databaseUrl,
        `SELECT name, state, count(*) FROM pgboss.job WHERE name NOT LIKE '__pgboss%'
         GROUP BY name, state ORDER BY name, state`,
      );
      return { jobs, text: `pgboss.job: ${JSON.stringify(jobs)}\n${processes.outputs()}` };
    };
    /** Polls each run's status until all have finished or `seconds` pass. */
    const waitForRuns = async (runs: { label: string; route: string }[], seconds: number) => {
      const deadline = Date.now() + seconds * 1000;
      while (Date.now() < deadline && runs.some((r) => !statuses.has(r.label))) {
        for (const r of runs.filter((run) => !statuses.has(run.label))) {
          const res = await fetch(`${baseUrl}${r.route}`, { headers: auth });
          const { status } = (await res.json()) as { status: string };
          if (FINISHED.includes(status)) statuses.set(r.label, status);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    const triggerBatch = async (type: string) => {
      const res = await post(`/api/v1/admin/batch/run?type=${type}`);
      expect(res.status, `${type}: ${await res.clone().text()}`).toBe(202);
      const { batch_run_id } = (await res.json()) as { batch_run_id: string };
      return { label: type, route: `/api/v1/admin/batch/history/${batch_run_id}` };
    };

    // The operator's case: an admin symbol batch right after the start. It takes seconds; the
    // defect left it `created` for minutes, so the bound is generous.
    await waitForRuns([await triggerBatch('symbol_batch')], 40);
    expect(statuses.get('symbol_batch'), (await context()).text).toBe('completed');

    // Then one job of every other queue, on the prices the batch wrote.
    const runs = [await triggerBatch('portfolio_refresh'), await triggerBatch('admin_metrics')];
    const csv = await (
      await fetch(`${baseUrl}/api/v1/onboarding/csv-template`, { headers: auth })
    ).text();
    const form = new FormData();
    form.set('portfolio_name', 'Together');
    form.set('account_name', 'Together account');
    form.set('account_type', 'taxable');
    form.set('equity_balance', '100000');
    form.set('csv_file', new File([csv], 'template.csv', { type: 'text/csv' }));
    const created = await post('/api/v1/onboarding/create-portfolio', { body: form });
    expect(created.status).toBe(201);
    const { portfolio_id } = (await created.json()) as { portfolio_id: string };
    const calculated = await post(`/api/v1/portfolios/${portfolio_id}/calculate`);
    expect(calculated.status).toBe(202);
    runs.push({ label: 'onboarding', route: `/api/v1/onboarding/status/${portfolio_id}` });
    await waitForRuns(runs, 30);

    const { jobs, text } = await context();
    expect(Object.fromEntries(statuses), text).toEqual({
      symbol_batch: 'completed',
      portfolio_refresh: 'completed',
      admin_metrics: 'completed',
      onboarding: 'completed',
    });
    for (const worker of workers) {
      const line = JSON.parse((await worker.ready)[0]) as { queues?: string[] };
      expect([...(line.queues ?? [])].sort(), text).toEqual([...QUEUES].sort());
    }
    for (const queue of QUEUES) {
      expect(
        jobs.filter((j) => j.name === queue && j.state === 'completed'),
        `${queue} was never taken\n${text}`,
      ).not.toEqual([]);
    }
    expect(
      jobs.filter((j) => j.state === 'created'),
      text,
    ).toEqual([]);
  }, 120_000);
});
