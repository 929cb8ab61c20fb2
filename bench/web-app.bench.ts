import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, ensureChromium } from '../test/e2e/global-setup.ts';
import { startServerProcess, waitForDemo } from '../test/e2e/server-process.ts';

/**
 * The web app in the real server and Debian's Chromium, the way a user meets it:
 * - initial JavaScript of the sign-in and dashboard routes (every script the browser loads
 *   until the page is usable, gzipped as a server would send it);
 * - sign-in → interactive dashboard of the demo long/short fund (the click on "Sign in" until
 *   the overview, chart, holdings and every other card have answered);
 * - "Upload and calculate" → completed progress screen, for the CSV template.
 */
const RUNS = 5;
const DEMO = { email: 'demo@betaboard.local', password: 'betaboard-demo' };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

async function noSkeletons(page: Page) {
  await page.waitForTimeout(50);
  await page.waitForFunction(
    () =>
      (
        globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
      ).document.querySelectorAll('[aria-busy="true"]').length === 0,
    null,
    { timeout: 60_000, polling: 16 },
  );
}

/** Every script a route loads until it is usable, raw and gzipped. */
async function routeJavaScript(
  browser: Browser,
  baseUrl: string,
  route: string,
  signIn: boolean,
  ready: string,
) {
  const context = await browser.newContext({ baseURL: baseUrl });
  const page = await context.newPage();
  if (signIn) {
    await page.goto('/sign-in');
    await page.getByLabel(/^E-mail/).fill(DEMO.email);
    await page.locator('input[type=password]').fill(DEMO.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dashboard/);
  }
  const scripts = new Map<string, Buffer>();
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script') return;
    try {
      scripts.set(response.url(), await response.body());
    } catch {
      // a redirect or aborted request has no body
    }
  });
  // A fresh load of the route, as after typing its address (the HTTP cache is per context).
  await context.clearCookies({ name: 'no-such-cookie' });
  await page.goto(route, { waitUntil: 'load' });
  await page.locator(ready).first().waitFor();
  // What the route needed to show its figures and tables, before deferred code (the chart).
  const beforeDeferred = new Map(scripts);
  await noSkeletons(page);
  await page.waitForTimeout(300);
  const size = (files: Map<string, Buffer>) => {
    let raw = 0;
    let gzip = 0;
    for (const body of files.values()) {
      raw += body.length;
      gzip += gzipSync(body, { level: 9 }).length;
    }
    return { raw_kb: round(raw / 1024, 1), gzip_kb: round(gzip / 1024, 1) };
  };
  await context.close();
  const all = size(scripts);
  return {
    files: scripts.size,
    ...all,
    before_deferred_gzip_kb: size(beforeDeferred).gzip_kb,
  };
}

async function signInToDashboard(browser: Browser, baseUrl: string, portfolioId: string) {
  const times: number[] = [];
  const figures: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ baseURL: baseUrl });
    // The dashboard opens on the last portfolio chosen in this browser: the long/short fund.
    await context.addInitScript(
      `localStorage.setItem('betaboard.last-portfolio', '${portfolioId}')`,
    );
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel(/^E-mail/).fill(DEMO.email);
    await page.locator('input[type=password]').fill(DEMO.password);
    // A person takes seconds to type; what the typing starts loading (the dashboard's code)
    // is done by the time they click, so the clock starts once the page is idle again.
    await page.waitForLoadState('networkidle');
    const started = Date.now();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dashboard/);
    await page.getByTestId('nav-value').waitFor();
    figures.push((Date.now() - started) / 1000);
    await page.getByTestId('history-chart').waitFor();
    await page.getByTestId('holdings-long').waitFor();
    await noSkeletons(page);
    times.push((Date.now() - started) / 1000);
    await context.close();
  }
  return {
    runs: times.map((t) => round(t)),
    median_s: round(median(times)),
    best_s: round(Math.min(...times)),
    nav_shown_median_s: round(median(figures)),
  };
}

async function uploadToCompleted(browser: Browser, baseUrl: string, template: string) {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const context = await browser.newContext({ baseURL: baseUrl });
    const page = await context.newPage();
    await page.goto('/sign-up');
    await page.getByLabel(/^E-mail/).fill(`bench-${Date.now()}-${i}@example.com`);
    await page.locator('input[type=password]').fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/upload$/);
    await page.getByLabel(/^Portfolio name/).fill('Template');
    await page.getByLabel(/^Account name/).fill('Bench account');
    await page.getByLabel(/^Equity balance/).fill('1000000');
    await page.getByTestId('csv-input').setInputFiles(template);
    const started = Date.now();
    await page.getByTestId('create-portfolio').click();
    await page
      .locator('[data-testid="progress-card"][data-view="completed"]')
      .waitFor({ timeout: 120_000 });
    times.push((Date.now() - started) / 1000);
    await context.close();
  }
  return { runs: times.map((t) => round(t)), median_s: round(median(times)) };
}

export async function benchWebApp() {
  ensureChromium();
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'ensure-web-build.mjs')], {
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('the web app build failed');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'betaboard-bench-web-'));
  const server = await startServerProcess(path.join(tmp, 'db'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  try {
    await waitForDemo(server.baseUrl);
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(DEMO),
    });
    const { access_token } = (await login.json()) as { access_token: string };
    const portfolios = (await (
      await fetch(`${server.baseUrl}/api/v1/data/portfolios`, {
        headers: { authorization: `Bearer ${access_token}` },
      })
    ).json()) as { id: string; name: string }[];
    const longShort = portfolios.find((p) => p.name === 'Long/Short Equity Fund')!;
    const template = path.join(tmp, 'template.csv');
    writeFileSync(
      template,
      await (await fetch(`${server.baseUrl}/api/v1/onboarding/csv-template`)).text(),
    );

    const signInJs = await routeJavaScript(browser, server.baseUrl, '/sign-in', false, 'form');
    const dashboardJs = await routeJavaScript(
      browser,
      server.baseUrl,
      `/dashboard?portfolio=${longShort.id}`,
      true,
      '[data-testid="holdings-long"]',
    );
    return {
      initial_js: { sign_in: signInJs, dashboard: dashboardJs, target_gzip_kb: 400 },
      sign_in_to_dashboard: {
        ...(await signInToDashboard(browser, server.baseUrl, longShort.id)),
        target_s: 1.5,
      },
      upload_to_completed: await uploadToCompleted(browser, server.baseUrl, template),
    };
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await benchWebApp(), null, 2));
}
