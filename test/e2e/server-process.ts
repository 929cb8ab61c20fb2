import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts `betaboard serve` on a free port and resolves with its address once it listens. */
export function startServerProcess(
  dbPath: string,
): Promise<{ child: ChildProcess; baseUrl: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'betaboard.mjs'), 'serve'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        BETABOARD_DB_PATH: dbPath,
        BETABOARD_SEED_DEMO: 'true',
        MARKET_DATA_PROVIDER: 'sample',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${buffer}`)), 60_000);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /listening on http:\/\/localhost:(\d+)/.exec(buffer);
      if (match) {
        clearTimeout(timer);
        child.stderr!.off('data', onData);
        // Keep draining the logs so the pipe never fills up and blocks the server.
        child.stderr!.resume();
        resolve({ child, baseUrl: `http://127.0.0.1:${match[1]}` });
      }
    };
    child.stderr!.on('data', onData);
    child.stdout!.resume();
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${buffer}`));
    });
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== null) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The demo books are seeded and calculated in the background after the first start. */
export async function waitForDemo(baseUrl: string): Promise<void> {
  await waitFor(
    '/health/ready',
    async () => ((await fetch(`${baseUrl}/health/ready`)).ok ? true : null),
    60_000,
  );
  const token = await waitFor(
    'the demo user',
    async () => {
      const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'demo@betaboard.local', password: 'betaboard-demo' }),
      });
      return res.ok ? ((await res.json()) as { access_token: string }).access_token : null;
    },
    60_000,
  );
  const auth = { authorization: `Bearer ${token}` };
  await waitFor(
    'the demo portfolios to finish calculating',
    async () => {
      const list = (await (
        await fetch(`${baseUrl}/api/v1/data/portfolios`, { headers: auth })
      ).json()) as {
        id: string;
      }[];
      if (list.length < 5) return null;
      for (const p of list) {
        const s = (await (
          await fetch(`${baseUrl}/api/v1/onboarding/status/${p.id}`, { headers: auth })
        ).json()) as { status: string };
        if (!['completed', 'partial', 'failed'].includes(s.status)) return null;
      }
      return true;
    },
    120_000,
  );
  await fetch(`${baseUrl}/api/v1/auth/logout`, { method: 'POST', headers: auth });
}
