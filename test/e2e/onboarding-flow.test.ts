import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topFactorBetas } from '../../web/src/lib/factors.ts';
import { formatBeta, formatMoney, formatSignedMoney } from '../../web/src/lib/format.ts';
import { worstScenario } from '../../web/src/lib/stress.ts';
import {
  apiGet,
  connectBrowser,
  openPage,
  signOut,
  waitForCards,
  type TrackedPage,
} from './browser.ts';

/**
 * A new user's whole first session in the real app: sign up, upload the template from the
 * template download, follow the progress to the end, add a second portfolio (after a rejected
 * CSV and a duplicate account name), compare the dashboard with the API, switch portfolios,
 * sign out. Real server, real database, real Chromium; nothing is mocked.
 */
describe('onboarding in the browser', () => {
  let browser: Browser;
  let tracked: TrackedPage;
  let page: Page;
  let tmp: string;
  const email = `e2e-${Date.now()}@example.com`;
  let templateFile: string;
  let firstId: string;
  let secondId: string;

  beforeAll(async () => {
    browser = await connectBrowser();
    tracked = await openPage(browser);
    page = tracked.page;
    tmp = mkdtempSync(path.join(os.tmpdir(), 'betaboard-e2e-files-'));
  });
  afterAll(async () => {
    await tracked?.context.close();
    await browser?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function waitForFinishedProgress(): Promise<string> {
    await page.waitForURL(/\/progress\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    const card = page.getByTestId('progress-card');
    await expect
      .poll(async () => card.getAttribute('data-view'), { timeout: 90_000, interval: 250 })
      .toMatch(/^(completed|partial)$/);
    return id;
  }

  it('signs up and lands on Upload (a new user has no portfolio)', async () => {
    await page.goto('/sign-up');
    await page.getByLabel('Full name').fill('Erin Example');
    await page.getByLabel(/^E-mail/).fill(email);
    await page.locator('input[type=password]').fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/upload$/);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Upload a portfolio' }).count())
      .toBe(1);
  });

  it('downloads the template, checks it (dry run) and previews every row', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-template').click(),
    ]);
    templateFile = path.join(tmp, 'template.csv');
    await download.saveAs(templateFile);
    await page.getByTestId('csv-input').setInputFiles(templateFile);
    await page.getByTestId('check-file').click();
    const total = page.getByTestId('csv-preview-total');
    await total.waitFor();
    expect(await total.innerText()).toMatch(/^8 positions \(7 open\)/);
    expect(await page.getByTestId('csv-preview').locator('tbody tr').count()).toBe(8);
  });

  it('uploads the template and follows the progress to the end', async () => {
    await page.getByLabel(/^Portfolio name/).fill('Template book');
    await page.getByLabel(/^Account name/).fill('E2E Brokerage');
    await page.getByLabel(/^Equity balance/).fill('$1,000,000');
    await page.getByTestId('create-portfolio').click();
    firstId = await waitForFinishedProgress();
    expect(await page.getByTestId('progress-headline').innerText()).toMatch(
      /^(Ready|Completed with warnings)$/,
    );
    // Every phase ended, in the API's order.
    const phases = page.locator('[data-testid^="phase-"]');
    expect(await phases.count()).toBe(5);
    for (const status of await phases.evaluateAll((els) =>
      els.map((e) => e.getAttribute('data-status')),
    )) {
      expect(['completed', 'skipped']).toContain(status);
    }
    expect(await page.getByTestId('session-item').count()).toBe(1);
  });

  it('shows a rejected CSV row by row and keeps what was typed', async () => {
    await page.getByTestId('add-another').click();
    await page.waitForURL(/\/upload$/);
    await page.getByLabel(/^Portfolio name/).fill('Second book');
    await page.getByLabel(/^Account name/).fill('E2E Brokerage');
    await page.getByLabel(/^Equity balance/).fill('250000');
    const broken = path.join(tmp, 'broken.csv');
    writeFileSync(
      broken,
      'Symbol,Quantity,Entry Price Per Share,Entry Date\n' +
        'AAPL,abc,185.25,2024-03-15\n' +
        'MSFT,10,375.50,2099-01-01\n' +
        'NVDA,5,120,2024-02-01\n',
    );
    await page.getByTestId('csv-input').setInputFiles(broken);
    await page.getByTestId('create-portfolio').click();
    const errors = page.getByTestId('csv-errors');
    await errors.waitFor();
    expect(await errors.innerText()).toContain('CSV validation failed — 2 errors');
    const lines = await page.getByTestId('csv-error-list').locator('li').allInnerTexts();
    expect(lines[0]).toMatch(/^Line 2 · Quantity · ERR_POS_005 — Quantity "abc" is not a number/);
    expect(lines[1]).toMatch(
      /^Line 3 · Entry Date · ERR_POS_014 — Entry Date 2099-01-01 is in the future/,
    );
    expect(await page.getByLabel(/^Portfolio name/).inputValue()).toBe('Second book');
    expect(await page.getByLabel(/^Account name/).inputValue()).toBe('E2E Brokerage');
    expect(await page.getByLabel(/^Equity balance/).inputValue()).toBe('250000');
  });

  it('shows a duplicate account name on the Account name field, then adds the second book', async () => {
    await page.getByTestId('csv-input').setInputFiles(templateFile);
    await page.getByTestId('create-portfolio').click();
    const accountField = page.getByLabel(/^Account name/);
    await expect
      .poll(async () => accountField.getAttribute('aria-invalid'), { timeout: 15_000 })
      .toBe('true');
    const described = await accountField.getAttribute('aria-describedby');
    const message = await page
      .locator(`[id="${described?.split(' ').find((id) => id.endsWith('-error'))}"]`)
      .innerText();
    expect(message).toMatch(/E2E Brokerage/);

    await accountField.fill('E2E Roth');
    await page.getByTestId('create-portfolio').click();
    secondId = await waitForFinishedProgress();
    expect(secondId).not.toBe(firstId);
    const items = page.getByTestId('session-item');
    await expect.poll(() => items.count()).toBe(2);
    await expect
      .poll(async () => (await items.allInnerTexts()).join('\n'), { timeout: 15_000 })
      .toMatch(/Template book[\s\S]*8 positions[\s\S]*Ready[\s\S]*Second book[\s\S]*Ready/i);
  });

  it("continues to the dashboard, whose NAV, top betas and worst stress loss are the API's", async () => {
    await page.getByTestId('continue-dashboard').click();
    await page.waitForURL(new RegExp(`/dashboard\\?portfolio=${firstId}`));
    await waitForCards(page);
    const overview = await apiGet<{ net_asset_value: number }>(
      tracked.context,
      `/api/v1/analytics/portfolio/${firstId}/overview`,
    );
    expect(await page.getByTestId('nav-value').innerText()).toBe(
      formatMoney(overview.net_asset_value),
    );

    const factors = await apiGet<{ factors: { name: string; beta: number | null }[] }>(
      tracked.context,
      `/api/v1/analytics/portfolio/${firstId}/factor-exposures`,
    );
    const expected = topFactorBetas(factors.factors).map((f) => `${f.name} ${formatBeta(f.beta)}`);
    expect(expected).toHaveLength(3);
    const names = await page.getByTestId('top-factor-name').allInnerTexts();
    const betas = await page.getByTestId('top-factor-beta').allInnerTexts();
    expect(names.map((n, i) => `${n} ${betas[i]}`)).toEqual(expected);

    const stress = await apiGet<{
      data: { scenarios: { name: string; impact: { dollar_impact: number } }[] };
    }>(tracked.context, `/api/v1/analytics/portfolio/${firstId}/stress-test`);
    const worst = worstScenario(stress.data.scenarios)!;
    expect(await page.getByTestId('worst-stress-name').innerText()).toBe(worst.name);
    expect(await page.getByTestId('worst-stress-loss').innerText()).toBe(
      formatSignedMoney(worst.impact.dollar_impact),
    );
  });

  it('switches to All accounts and to the other portfolio', async () => {
    const pick = async (label: string) => {
      await page.getByTestId('portfolio-switcher').click();
      await page.getByRole('option', { name: new RegExp(`^${label}`) }).click();
      await waitForCards(page);
    };
    await pick('All accounts');
    await page.waitForURL(/portfolio=all/);
    const aggregate = await apiGet<{ net_asset_value: number; portfolio_count: number }>(
      tracked.context,
      '/api/v1/analytics/aggregate/overview',
    );
    expect(aggregate.portfolio_count).toBe(2);
    await expect
      .poll(() => page.getByTestId('nav-value').innerText())
      .toBe(formatMoney(aggregate.net_asset_value));
    expect(await page.getByTestId('included-portfolios').locator('tbody tr').count()).toBe(2);

    await pick('Second book');
    await page.waitForURL(new RegExp(`portfolio=${secondId}`));
    const second = await apiGet<{ net_asset_value: number }>(
      tracked.context,
      `/api/v1/analytics/portfolio/${secondId}/overview`,
    );
    await expect
      .poll(() => page.getByTestId('nav-value').innerText())
      .toBe(formatMoney(second.net_asset_value));
  });

  it("shows the loading state, not the previous book's correlations, while another scope loads", async () => {
    await page.goto(`/risk?portfolio=${firstId}`);
    await waitForCards(page);
    const card = page.getByTestId('correlation-card');
    const before = await card.getByTestId('avg-correlation').innerText();
    // Hold the aggregate matrix until the card has been looked at.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/v1/analytics/aggregate/correlation-matrix*', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByTestId('portfolio-switcher').click();
    await page.getByRole('option', { name: /^All accounts/ }).click();
    await page.waitForURL(/portfolio=all/);
    await expect.poll(() => card.locator('[aria-busy="true"]').count()).toBe(1);
    expect(await card.getByTestId('avg-correlation').count()).toBe(0);
    release();
    await waitForCards(page);
    const aggregate = await apiGet<{ data: { average_correlation: number | null } }>(
      tracked.context,
      '/api/v1/analytics/aggregate/correlation-matrix?lookback_days=90',
    );
    await expect
      .poll(async () => (await card.getByTestId('avg-correlation').innerText()).split('\n').pop())
      .toBe(formatBeta(aggregate.data.average_correlation));
    expect(before).toMatch(/^AVERAGE CORRELATION\s+-?\d\.\d\d$/i);
    await page.unroute('**/api/v1/analytics/aggregate/correlation-matrix*');
  });

  it('signs out: the session is gone and pages ask to sign in again', async () => {
    await signOut(page);
    await page.goto('/dashboard');
    await page.waitForURL(/\/sign-in\?next=%2Fdashboard/);
    const me = await tracked.context.request.get('/api/v1/auth/me');
    expect(me.status()).toBe(401);
    expect(tracked.problems).toEqual([]);
  });
});
