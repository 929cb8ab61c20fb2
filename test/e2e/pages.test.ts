import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  apiGet,
  connectBrowser,
  DEMO,
  DESKTOP,
  expectNoHorizontalOverflow,
  openPage,
  PHONE,
  screenshot,
  seriousA11yViolations,
  signIn,
  waitForCards,
} from './browser.ts';

type Viewport = { width: number; height: number };
const VIEWPORTS: [string, Viewport][] = [
  ['1440', DESKTOP],
  ['390', PHONE],
];
const SCHEMES = ['light', 'dark'] as const;

interface PageCase {
  name: string;
  path: string;
  user: { email: string; password: string } | null;
  /** Waits for what shows that the page has loaded. */
  ready: string;
}

/**
 * Every page at 1440 and 390 px, light and dark: a screenshot in test-results/screens/, no
 * serious or critical axe-core violation, nothing wider than the window, no CSP violation or
 * script error.
 */
describe('every page, both widths, both themes', () => {
  let browser: Browser;
  let longShortId: string;
  const cases: PageCase[] = [];

  beforeAll(async () => {
    browser = await connectBrowser();
    const { page, context } = await openPage(browser);
    await signIn(page, DEMO);
    await page.waitForURL(/\/dashboard/);
    const portfolios = await apiGet<{ id: string; name: string }[]>(
      context,
      '/api/v1/data/portfolios',
    );
    longShortId = portfolios.find((p) => p.name === 'Long/Short Equity Fund')!.id;
    await context.close();
    cases.push(
      { name: 'sign-in', path: '/sign-in', user: null, ready: 'form' },
      { name: 'sign-up', path: '/sign-up', user: null, ready: 'form' },
      {
        name: 'dashboard-all',
        path: '/dashboard?portfolio=all',
        user: DEMO,
        ready: '[data-testid="hero-card"]',
      },
      {
        name: 'dashboard-long-short',
        path: `/dashboard?portfolio=${longShortId}`,
        user: DEMO,
        ready: '[data-testid="holdings-card"]',
      },
      {
        name: 'risk-long-short',
        path: `/risk?portfolio=${longShortId}`,
        user: DEMO,
        ready: '[data-testid="stress-card"]',
      },
      {
        name: 'risk-all',
        path: '/risk?portfolio=all',
        user: DEMO,
        ready: '[data-testid="factor-exposures"]',
      },
      { name: 'upload', path: '/upload', user: DEMO, ready: 'form' },
      {
        name: 'progress',
        path: `/progress/${longShortId}`,
        user: DEMO,
        ready: '[data-testid="progress-card"][data-view="completed"]',
      },
      {
        name: 'symbol',
        path: '/symbols/NVDA',
        user: DEMO,
        ready: '[data-testid="symbol-factors"]',
      },
      { name: 'admin', path: '/admin', user: ADMIN, ready: '[data-testid="batch-runs"]' },
    );
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const scheme of SCHEMES) {
    for (const [width, viewport] of VIEWPORTS) {
      it(`${scheme}, ${width} px`, async () => {
        const failures: string[] = [];
        // One signed-in context per user for this viewport and theme.
        const sessions = new Map<string, Awaited<ReturnType<typeof openPage>>>();
        try {
          for (const c of cases) {
            const key = c.user?.email ?? 'anonymous';
            let session = sessions.get(key);
            if (!session) {
              session = await openPage(browser, { viewport, colorScheme: scheme });
              if (c.user) {
                await signIn(session.page, c.user);
                await session.page.waitForURL(/\/(dashboard|upload)/);
              }
              sessions.set(key, session);
            }
            const { page, problems } = session;
            await page.goto(c.path);
            await page.locator(c.ready).first().waitFor({ timeout: 30_000 });
            await waitForCards(page);
            // Charts animate for 300 ms.
            await page.waitForTimeout(400);
            await screenshot(page, `${c.name}-${width}-${scheme}`);
            await expectNoHorizontalOverflow(page, `${c.name} at ${width} px (${scheme})`);
            for (const v of await seriousA11yViolations(page)) failures.push(`${c.name}: ${v}`);
            for (const p of problems.splice(0)) failures.push(`${c.name}: ${p}`);
          }
        } finally {
          for (const s of sessions.values()) await s.context.close();
        }
        expect(failures).toEqual([]);
      });
    }
  }
});
