import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  apiGet,
  connectBrowser,
  DEMO,
  DESKTOP,
  expectNoHorizontalOverflow,
  navigateInApp,
  openPage,
  PHONE,
  screenshot,
  seriousA11yViolations,
  signIn,
  waitForCards,
  waitForQuiet,
  type SessionState,
  type TrackedPage,
} from './browser.ts';

type Viewport = { width: number; height: number };
const WIDTHS: [string, Viewport][] = [
  ['1440', DESKTOP],
  ['390', PHONE],
];
const SCHEMES = ['light', 'dark'] as const;
type User = { email: string; password: string } | null;

interface PageCase {
  name: string;
  /** The route; a function when it names a portfolio, known once the suite has signed in. */
  path: string | (() => string);
  user: User;
  /** Waits for what shows that the page has loaded. */
  ready: string;
}

let longShortId = '';
/** In the order they are visited: each user's pages together, so one session serves them. */
const CASES: PageCase[] = [
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
    path: () => `/dashboard?portfolio=${longShortId}`,
    user: DEMO,
    ready: '[data-testid="holdings-card"]',
  },
  {
    name: 'risk-long-short',
    path: () => `/risk?portfolio=${longShortId}`,
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
    path: () => `/progress/${longShortId}`,
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
];

/**
 * Every page at 1440 and 390 px, light and dark: a screenshot in test-results/screens/, no
 * serious or critical axe-core violation, nothing wider than the window, no CSP violation or
 * script error — at both widths.
 *
 * For speed, one signed-in page per user and theme visits every route: the first is loaded,
 * the others are reached through the app's router as a click would, and each page is shown at
 * one width, then resized to the other (the layout, tables and charts follow the window).
 */
describe('every page, both widths, both themes', () => {
  let browser: Browser;
  /** Signed-in sessions, made once through the sign-in form. */
  const signedIn = new Map<string, SessionState>();

  beforeAll(async () => {
    browser = await connectBrowser();
    for (const user of [DEMO, ADMIN]) {
      const { page, context } = await openPage(browser);
      await signIn(page, user);
      await page.waitForURL(/\/(dashboard|upload)/);
      if (user === DEMO) {
        const portfolios = await apiGet<{ id: string; name: string }[]>(
          context,
          '/api/v1/data/portfolios',
        );
        longShortId = portfolios.find((p) => p.name === 'Long/Short Equity Fund')!.id;
      }
      signedIn.set(user.email, await context.storageState());
      await context.close();
    }
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const scheme of SCHEMES) {
    describe(`${scheme} theme`, () => {
      /** One page per user in this theme: the first route is loaded, the rest navigated to. */
      const sessions = new Map<string, TrackedPage>();
      afterAll(async () => {
        for (const s of sessions.values()) await s.context.close();
      });

      async function show(c: PageCase): Promise<TrackedPage> {
        const key = c.user?.email ?? 'anonymous';
        const route = typeof c.path === 'function' ? c.path() : c.path;
        let session = sessions.get(key);
        if (!session) {
          session = await openPage(browser, {
            viewport: DESKTOP,
            colorScheme: scheme,
            storageState: c.user ? signedIn.get(c.user.email) : undefined,
          });
          sessions.set(key, session);
          await session.page.goto(route);
        } else {
          await navigateInApp(session.page, route);
        }
        await session.page.waitForURL((url) => `${url.pathname}${url.search}` === route);
        await session.page.locator(c.ready).first().waitFor({ timeout: 30_000 });
        await waitForQuiet(session);
        await waitForCards(session.page);
        return session;
      }

      for (const c of CASES) {
        it(`${c.name} at 1440 and 390 px`, async () => {
          const failures: string[] = [];
          const { page, problems } = await show(c);
          // Whichever width the page has now first, then the other: one resize per page.
          const current = page.viewportSize()?.width;
          const widths = current === PHONE.width ? [...WIDTHS].reverse() : WIDTHS;
          for (const [width, viewport] of widths) {
            if (page.viewportSize()?.width !== viewport.width) {
              await page.setViewportSize(viewport);
              await waitForCards(page);
            }
            // Charts animate for 300 ms (when drawn, and when resized).
            await page.waitForTimeout(400);
            await screenshot(page, `${c.name}-${width}-${scheme}`);
            await expectNoHorizontalOverflow(page, `${c.name} at ${width} px (${scheme})`);
            for (const v of await seriousA11yViolations(page)) {
              failures.push(`${c.name} at ${width} px: ${v}`);
            }
          }
          for (const p of problems.splice(0)) failures.push(`${c.name}: ${p}`);
          expect(failures).toEqual([]);
        });
      }
    });
  }
});
