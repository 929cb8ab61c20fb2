import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import { startServerProcess, waitForDemo } from './server-process.ts';
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
    const running = await startServerProcess(path.join(tmp, 'db'));
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
