import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserServer } from 'playwright-core';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The real server the browser tests drive, e.g. http://127.0.0.1:41234. */
    e2eBaseUrl: string;
    /** Chromium's Playwright endpoint, shared by every browser test file. */
    e2eBrowserWs: string;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = '/usr/bin/chromium';

/**
 * The flags Chromium needs here: no sandbox as root, and nothing that reaches for the network
 * (this machine has none beyond the package registries).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function log(message: string) {
  console.log(`[e2e setup] ${message}`);
}

/** Debian's Chromium, installed like the PostgreSQL of the integration tests when absent. */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'Chromium is not installed and this user cannot install it: run `sudo apt-get install -y chromium`.',
    );
  }
  log('installing Chromium from Debian (apt-get install -y chromium)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
    stdio: 'inherit',
    env,
  });
}

/** Starts `betaboard serve` on a free port and resolves with its address once it listens. */
function startServer(dbPath: string): Promise<{ child: ChildProcess; baseUrl: string }> {
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
async function waitForDemo(baseUrl: string): Promise<void> {
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

/**
 * Once for all browser tests: the web build (built when stale), the real server on a fresh
 * embedded database with the demo data, and one headless Chromium.
 */
export default async function setup(project: TestProject) {
  const started = Date.now();
  ensureChromium();
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'ensure-web-build.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('the web app build failed');

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'betaboard-e2e-'));
  mkdirSync(path.join(root, 'test-results', 'screens'), { recursive: true });
  let server: ChildProcess | null = null;
  let browser: BrowserServer | null = null;
  try {
    const running = await startServer(path.join(tmp, 'db'));
    server = running.child;
    browser = await chromium.launchServer({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
    });
    await waitForDemo(running.baseUrl);
    project.provide('e2eBaseUrl', running.baseUrl);
    project.provide('e2eBrowserWs', browser.wsEndpoint());
    log(
      `server ${running.baseUrl} and Chromium ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } catch (error) {
    await browser?.close();
    server?.kill('SIGTERM');
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }

  return async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    rmSync(tmp, { recursive: true, force: true });
  };
}
