import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/logger.ts';
import { DEMO_ADMIN, DEMO_USER } from '../../../src/pipeline/demo/demo-portfolios.ts';
import { startServer, type RunningServer } from '../../../src/server.ts';

/** What `npm start` does on a fresh clone: the demo users and five calculated books appear. */
describe('first start of the server on a fresh embedded database', () => {
  let dir: string;
  let running: RunningServer;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'betaboard-first-start-'));
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      BETABOARD_DB_PATH: path.join(dir, 'db'),
    });
    running = await startServer({ ...config, port: 0 }, createLogger('silent'));
    base = `http://127.0.0.1:${running.port}`;
    await running.jobsReady;
  });

  afterAll(async () => {
    await running?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const loginAs = async (user: { email: string; password: string }) => {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  };

  it('seeds the demo user with five books that all calculate to completed', async () => {
    // Seeding runs in the background after the queue starts; the demo user appears first.
    let token: string | null = null;
    for (let i = 0; i < 300 && !token; i++) {
      const res = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: DEMO_USER.email, password: DEMO_USER.password }),
      });
      if (res.status === 200) token = ((await res.json()) as { access_token: string }).access_token;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(token).not.toBeNull();
    const auth = { authorization: `Bearer ${token}` };

    const list = (await (
      await fetch(`${base}/api/v1/data/portfolios`, { headers: auth })
    ).json()) as {
      id: string;
      name: string;
    }[];
    expect(list).toHaveLength(5);

    const statuses = new Map<string, string>();
    for (let i = 0; i < 1200; i++) {
      for (const p of list) {
        const res = await fetch(`${base}/api/v1/onboarding/status/${p.id}`, { headers: auth });
        statuses.set(p.name, ((await res.json()) as { status: string }).status);
      }
      if ([...statuses.values()].every((s) => ['completed', 'partial', 'failed'].includes(s)))
        break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(Object.fromEntries(statuses)).toEqual(
      Object.fromEntries(list.map((p) => [p.name, 'completed'])),
    );

    // The admin account can read the batch history those calculations left.
    const admin = await loginAs(DEMO_ADMIN);
    const history = (await (
      await fetch(`${base}/api/v1/admin/batch/history?job_type=onboarding`, {
        headers: { authorization: `Bearer ${admin}` },
      })
    ).json()) as { total_count: number; runs: { status: string; triggered_by: string }[] };
    expect(history.total_count).toBe(5);
    expect(
      history.runs.every((r) => r.status === 'completed' && r.triggered_by === 'demo_seed'),
    ).toBe(true);
  });
});
