import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENS_DIR = path.join(root, 'test-results', 'screens');
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * What the in-page functions below touch, typed here: these tests are type-checked without the
 * DOM library (they run in Node), while the functions run in the page.
 */
interface InPage {
  document: {
    querySelectorAll(selector: string): { length: number };
    documentElement: { scrollWidth: number; clientWidth: number };
  };
  history: { pushState(state: unknown, unused: string, url: string): void };
  dispatchEvent(event: unknown): boolean;
  PopStateEvent: new (type: string) => unknown;
  scrollTo(x: number, y: number): void;
}
// Each in-page function names the page's own globalThis: its source is sent to the page,
// without this module's closure.

export const DEMO = { email: 'demo@betaboard.local', password: 'betaboard-demo' };
export const ADMIN = { email: 'admin@betaboard.local', password: 'betaboard-admin' };

export function baseUrl(): string {
  return inject('e2eBaseUrl');
}

/** The Chromium the global setup started (one browser for every test file). */
export function connectBrowser(): Promise<Browser> {
  return chromium.connect(inject('e2eBrowserWs'));
}

/** What `context.storageState()` returns: a signed-in session to open more contexts with. */
export type SessionState = Awaited<ReturnType<BrowserContext['storageState']>>;

export interface TrackedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and page errors seen so far, minus expected failed-resource noise. */
  problems: string[];
  /** Requests the page has sent and not yet seen answered. */
  inflight: () => number;
}

/**
 * A new context (its own cookies and storage) and page. Problems are collected so a test can
 * assert that a page broke no Content Security Policy rule and threw nothing.
 */
export async function openPage(
  browser: Browser,
  options: {
    viewport?: { width: number; height: number };
    colorScheme?: 'light' | 'dark';
    /** Cookies and storage of a context that signed in already (`context.storageState()`). */
    storageState?: SessionState;
  } = {},
): Promise<TrackedPage> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    viewport: options.viewport ?? DESKTOP,
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
    storageState: options.storageState,
  });
  if (options.colorScheme === 'dark') {
    // Runs in the page (a string: these tests are type-checked without the DOM library).
    await context.addInitScript("localStorage.setItem('betaboard-color-scheme', 'dark')");
  }
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // A 401 from /auth/me before signing in and 404s a card reports in words are expected.
    if (/Failed to load resource/.test(text)) return;
    problems.push(text);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  let inflight = 0;
  page.on('request', () => inflight++);
  page.on('requestfinished', () => inflight--);
  page.on('requestfailed', () => inflight--);
  return { page, context, problems, inflight: () => inflight };
}

/**
 * Moves to another route of the app without loading the page again, as a click on one of its
 * links does (the router follows the history's popstate event).
 */
export async function navigateInApp(page: Page, route: string) {
  await page.evaluate((to) => {
    const window = globalThis as unknown as InPage;
    window.history.pushState(null, '', to);
    window.dispatchEvent(new window.PopStateEvent('popstate'));
    window.scrollTo(0, 0);
  }, route);
}

/**
 * Waits until the page has had no request in flight for a moment: after a move inside the app,
 * a card may show the previous route's answer until its own arrives, with no skeleton.
 */
export async function waitForQuiet(tracked: TrackedPage, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  let quietSince = 0;
  for (;;) {
    if (tracked.inflight() > 0) quietSince = 0;
    else if (!quietSince) quietSince = Date.now();
    else if (Date.now() - quietSince >= 300) return;
    if (Date.now() > deadline) throw new Error(`${tracked.inflight()} request(s) still running`);
    await tracked.page.waitForTimeout(50);
  }
}

/** Signs in through the form. */
export async function signIn(page: Page, user: { email: string; password: string }) {
  await page.goto('/sign-in');
  await page.getByLabel(/^E-mail/).fill(user.email);
  await page.locator('input[type=password]').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in/);
}

/** Waits until no skeleton is left on the page (every card answered). */
export async function waitForCards(page: Page, timeout = 30_000) {
  // Give a route change a moment to render its skeletons before looking for them.
  await page.waitForTimeout(150);
  // A function, not a string: the page's CSP forbids eval, which a string predicate needs.
  await page.waitForFunction(
    () =>
      (globalThis as unknown as InPage).document.querySelectorAll('[aria-busy="true"]').length ===
      0,
    null,
    { timeout },
  );
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * axe-core in the page (evaluated through the DevTools protocol, which the page's CSP does not
 * govern): the serious and critical violations, in words.
 */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations: unknown = await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)",
  );

  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
}

/**
 * A full-page screenshot in test-results/screens/ (git-ignored), for people to look at; of the
 * window only with `fullPage: false` (a dialog, which a full-page capture shows half covered).
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  await page.screenshot({
    path: path.join(SCREENS_DIR, `${name}.png`),
    fullPage: options.fullPage ?? true,
  });
}

/** Nothing may make the page wider than the window (390 px phones included). */
export async function expectNoHorizontalOverflow(page: Page, label: string) {
  const overflow = await page.evaluate(() => {
    const root = (globalThis as unknown as InPage).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
  expect(overflow, `${label} overflows horizontally by ${overflow}px`).toBeLessThanOrEqual(0);
}

/** GET an API route with the page's session cookie (as the app itself would). */
export async function apiGet<T>(context: BrowserContext, route: string): Promise<T> {
  const res = await context.request.get(route);
  expect(res.status(), route).toBe(200);
  return (await res.json()) as T;
}
