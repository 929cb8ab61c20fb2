import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiGet,
  connectBrowser,
  DEMO,
  openPage,
  SCREENS_DIR,
  signIn,
  waitForCards,
  type TrackedPage,
} from './browser.ts';

interface StressAnswer {
  data: {
    scenarios: {
      id: string;
      name: string;
      custom: boolean;
      correlated_pnl: number;
      shocked_factors: string[];
    }[];
  };
}

/** Custom stress scenarios in the Risk page: create one, see it evaluated, open it, delete it. */
describe('custom stress scenarios in the browser', () => {
  let browser: Browser;
  let tracked: TrackedPage;
  let longShortId: string;

  beforeAll(async () => {
    browser = await connectBrowser();
    tracked = await openPage(browser);
    await signIn(tracked.page, DEMO);
    await tracked.page.waitForURL(/\/dashboard/);
    const portfolios = await apiGet<{ id: string; name: string }[]>(
      tracked.context,
      '/api/v1/data/portfolios',
    );
    longShortId = portfolios.find((p) => p.name === 'Long/Short Equity Fund')!.id;
  });

  afterAll(async () => {
    await tracked.context.close();
  });

  it("creates a factor-shock scenario and shows it in the stress table with the API's number", async () => {
    const { page, context } = tracked;
    await page.goto(`/risk?portfolio=${longShortId}`);
    await waitForCards(page);
    const form = page.getByRole('form', { name: 'Create a custom scenario' });
    await form.getByLabel('Name').fill('E2E tech wobble');
    await form.getByLabel('Market (%)').fill('-3');
    await form.getByLabel('Growth (%)').fill('-8');
    await form.getByLabel('Rates (bp)').fill('50');
    await form.getByRole('button', { name: 'Create scenario' }).click();

    const row = page.getByTestId('stress-row').filter({ hasText: 'E2E tech wobble' });
    await row.waitFor();
    const answer = await apiGet<StressAnswer>(
      context,
      `/api/v1/analytics/portfolio/${longShortId}/stress-test`,
    );
    const scenario = answer.data.scenarios.find((s) => s.name === 'E2E tech wobble')!;
    expect(scenario).toMatchObject({
      custom: true,
      shocked_factors: ['Market', 'Growth', 'Rates'],
    });
    const dollars = Math.round(Math.abs(scenario.correlated_pnl)).toLocaleString('en-US');
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toContain(dollars);
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toMatch(/custom/i);

    await row.getByRole('button', { name: 'Breakdown of E2E tech wobble' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Factor moves and P&L').waitFor();
    // The Rates shock of +50 bp is shown as the TLT move it becomes, and as a yield change.
    await expect.poll(() => dialog.innerText(), { timeout: 15_000 }).toContain('+50 bp');
    // The dialog as a user sees it, once its opening transition is over (a full-page capture
    // would shift the fixed overlay).
    await page.waitForTimeout(500);
    await page.screenshot({
      path: path.join(SCREENS_DIR, 'risk-scenario-breakdown-1440-light.png'),
    });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('deletes it: gone from the list and from the stress table', async () => {
    const { page } = tracked;
    await page.getByRole('button', { name: 'Delete E2E tech wobble' }).click();
    await expect
      .poll(() => page.getByTestId('stress-row').filter({ hasText: 'E2E tech wobble' }).count(), {
        timeout: 15_000,
      })
      .toBe(0);
    const remaining = await apiGet<{ scenarios: { name: string }[] }>(
      tracked.context,
      '/api/v1/stress-scenarios',
    );
    expect(remaining.scenarios.map((s) => s.name)).not.toContain('E2E tech wobble');
  });
});
