import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { DEMO_USER } from '../../../src/pipeline/demo/demo-portfolios.ts';
import { RealServer } from '../../helpers/real-server.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'betaboard-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function statuses(base: string): Promise<Record<string, string>> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_USER.email, password: DEMO_USER.password }),
  });
  const { access_token } = (await login.json()) as { access_token: string };
  const auth = { authorization: `Bearer ${access_token}` };
  const list = (await (
    await fetch(`${base}/api/v1/data/portfolios`, { headers: auth })
  ).json()) as {
    id: string;
    name: string;
  }[];
  const out: Record<string, string> = {};
  for (const p of list) {
    const res = await fetch(`${base}/api/v1/onboarding/status/${p.id}`, { headers: auth });
    out[p.name] = ((await res.json()) as { status: string }).status;
  }
  return out;
}

/**
 * The reproduction: `kill -9` of the real server right after the first start logs that
 * the demo was written, then a restart. The restart must finish the demo, whatever state the
 * kill left each book in (never calculated, queued with a job the dead process had taken, …).
 */
it('a first start killed right after writing the demo is finished by the restart', async () => {
  const dbPath = path.join(dir, 'db');
  const env = { BETABOARD_SEED_DEMO: 'true' };
  const first = RealServer.start({ dbPath, env });
  await first.waitForLog(/demo users and portfolios created/);
  await first.kill9();

  const second = RealServer.start({ dbPath, env });
  try {
    const base = await second.ready();
    let seen: Record<string, string> = {};
    for (let i = 0; i < 600; i++) {
      seen = await statuses(base).catch(() => ({}));
      const values = Object.values(seen);
      if (values.length === 5 && values.every((s) => s === 'completed' || s === 'failed')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(Object.values(seen)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
      'completed',
    ]);
    // Calculate is accepted again for every book: nothing waits on the dead process's jobs.
  } finally {
    await second.stop();
  }
}, 240_000);
