import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ROUTE_DOCS } from '../../../src/api/openapi/all-route-docs.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/logger.ts';
import { startServer, type RunningServer } from '../../../src/server.ts';

/**
 * The whole user journey against the real server (real port, real job queue, embedded
 * database, bundled sample data): register, log in, download the template, upload it, calculate,
 * poll the status like the onboarding page does, then read every analytics endpoint.
 */
describe('onboarding end to end over HTTP', () => {
  let dir: string;
  let running: RunningServer;
  let base: string;
  let token: string;

  const call = async (route: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return fetch(`${base}${route}`, { ...init, headers });
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'betaboard-e2e-'));
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      BETABOARD_DB_PATH: path.join(dir, 'db'),
      BETABOARD_SEED_DEMO: 'false',
    });
    running = await startServer({ ...config, port: 0 }, createLogger('silent'));
    base = `http://127.0.0.1:${running.port}`;
    await running.ready;
    expect(await running.jobsReady).not.toBeNull();
  });

  afterAll(async () => {
    await running?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads the template, calculates to completed and serves every analytics endpoint', async () => {
    const json = { 'content-type': 'application/json' };
    const credentials = { email: 'e2e@example.com', password: 'a long password' };
    expect(
      (
        await call('/api/v1/auth/register', {
          method: 'POST',
          headers: json,
          body: JSON.stringify(credentials),
        })
      ).status,
    ).toBe(201);
    const login = await call('/api/v1/auth/login', {
      method: 'POST',
      headers: json,
      body: JSON.stringify(credentials),
    });
    token = ((await login.json()) as { access_token: string }).access_token;

    const template = await call('/api/v1/onboarding/csv-template');
    expect(template.status).toBe(200);
    expect(template.headers.get('content-type')).toMatch(/text\/csv/);
    const csv = await template.text();

    const form = new FormData();
    form.set('portfolio_name', 'Template book');
    form.set('account_name', 'E2E account');
    form.set('account_type', 'taxable');
    form.set('equity_balance', '500000');
    form.set('csv_file', new File([csv], 'template.csv', { type: 'text/csv' }));
    const created = await call('/api/v1/onboarding/create-portfolio', {
      method: 'POST',
      body: form,
    });
    expect(created.status).toBe(201);
    const portfolio = (await created.json()) as {
      portfolio_id: string;
      positions_imported: number;
      next_step: { endpoint: string };
    };
    expect(portfolio.positions_imported).toBe(8);
    expect(portfolio.next_step.endpoint).toBe(
      `/api/v1/portfolios/${portfolio.portfolio_id}/calculate`,
    );

    const started = await call(portfolio.next_step.endpoint, { method: 'POST' });
    expect(started.status).toBe(202);
    const { batch_run_id } = (await started.json()) as { batch_run_id: string };

    // Poll like the onboarding page (every 2 s there; faster here).
    let status: { status: string; phases: { phase_id: string; status: string }[] } | null = null;
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const res = await call(`/api/v1/onboarding/status/${portfolio.portfolio_id}`);
      expect(res.status).toBe(200);
      status = (await res.json()) as typeof status;
      seen.add(status!.status);
      if (['completed', 'partial', 'failed'].includes(status!.status)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status!.status).toBe('completed');
    expect(status!.phases.map((p) => p.phase_id)).toEqual([
      'classify',
      'symbol_processing',
      'phase_4',
      'phase_5',
      'phase_6',
    ]);
    expect(status!.phases.every((p) => p.status === 'completed' || p.status === 'skipped')).toBe(
      true,
    );
    const batch = await call(
      `/api/v1/portfolios/${portfolio.portfolio_id}/batch-status/${batch_run_id}`,
    );
    expect(((await batch.json()) as { status: string }).status).toBe('completed');

    // Every per-portfolio analytics endpoint answers with data.
    const analytics = ALL_ROUTE_DOCS.filter(
      (d) => d.method === 'get' && d.path.startsWith('/api/v1/analytics/portfolio/{id}/'),
    );
    expect(analytics.length).toBe(11);
    for (const doc of analytics) {
      const res = await call(doc.path.replace('{id}', portfolio.portfolio_id));
      expect(res.status, doc.path).toBe(200);
      const body = (await res.json()) as { available: boolean; reason: string | null };
      expect(body.available, `${doc.path}: ${body.reason}`).toBe(true);
    }
    const aggregate = ALL_ROUTE_DOCS.filter((d) =>
      d.path.startsWith('/api/v1/analytics/aggregate/'),
    );
    for (const doc of aggregate) {
      const res = await call(doc.path);
      expect(res.status, doc.path).toBe(200);
      expect(((await res.json()) as { available: boolean }).available, doc.path).toBe(true);
    }

    const overview = (await (
      await call(`/api/v1/analytics/portfolio/${portfolio.portfolio_id}/overview`)
    ).json()) as {
      equity_balance: number;
      net_asset_value: number;
      position_count: { total_positions: number };
    };
    expect(overview.equity_balance).toBe(500000);
    expect(overview.net_asset_value).toBeGreaterThan(0);
    const details = (await (
      await call(`/api/v1/data/positions/details?portfolio_id=${portfolio.portfolio_id}`)
    ).json()) as {
      positions: { symbol: string; current_price: number | null }[];
      summary: { closed_positions_hidden: number };
    };
    // The template's closed position (sold 2024-06-03) is left out unless asked for.
    expect(details.positions).toHaveLength(7);
    expect(details.summary.closed_positions_hidden).toBe(1);
    const history = (await (
      await call(`/api/v1/data/portfolio/${portfolio.portfolio_id}/history`)
    ).json()) as { snapshots: { date: string }[] };
    // Back-cast from the earliest entry (2024-01-02) to the calculation date: hundreds of days.
    expect(history.snapshots.length).toBeGreaterThan(300);
    expect(history.snapshots[0]!.date < history.snapshots.at(-1)!.date).toBe(true);
  });

  it('stops reading a chunked upload (no Content-Length) past the 10 MB limit: 413 ERR_CSV_001', async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x41);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // 64 MB if nobody stopped reading; the server must answer long before.
        if (sent >= 64) controller.close();
        else {
          sent++;
          controller.enqueue(chunk);
        }
      },
    });
    const res = await call('/api/v1/onboarding/validate-csv', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=XYZ' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ERR_CSV_001');
    expect(sent).toBeLessThan(64);
  });
});
