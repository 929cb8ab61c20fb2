import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSITION_CSV_COLUMNS } from '../../src/domain/csv/parse-positions-csv.ts';
import { formatMoney, formatSignedMoney } from '../../web/src/lib/format.ts';
import {
  apiGet,
  connectBrowser,
  expectNoHorizontalOverflow,
  openPage,
  PHONE,
  screenshot,
  seriousA11yViolations,
  signIn,
  waitForCards,
  type TrackedPage,
} from './browser.ts';

const HEADER = POSITION_CSV_COLUMNS.map((c) => c.header).join(',');
/** Three lots entered well inside the sample's prices (2018-06-19 → 2026-07-31). */
const BOOK = [
  HEADER,
  'AAPL,100,150,2026-01-05,PUBLIC,STOCK,,,,,,',
  'MSFT,20,400,2026-02-02,PUBLIC,STOCK,,,,,,',
  'KO,50,60,2026-03-02,PUBLIC,STOCK,,,,,,',
].join('\n');
const CSRF = { 'X-Requested-With': 'betaboard' };
/** How long the page may take to show a change (a busy 2-core machine). */
const SOON = { timeout: 15_000 };

interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: { errors?: { field: string; message: string }[] };
  };
}

/**
 * Managing a book after onboarding in the real app: sell half of a lot (realized P&L and the
 * new quantity), a refused lot with the API's message on its field, a correction, a removal
 * behind a confirmation, the activity trail, the equity summary and its CSV export; the
 * dashboard follows the recalculation each change queues. Real server and Chromium.
 */
describe('managing positions in the browser', () => {
  let browser: Browser;
  let tracked: TrackedPage;
  let page: Page;
  let portfolioId: string;
  const email = `manage-${Date.now()}@example.com`;
  const password = 'a long enough password';

  const panel = () => page.getByTestId('manage-positions');
  const banner = () => page.getByTestId('recalculation-banner');

  /** The banner appears for the change's calculation and goes once it has ended. */
  async function waitForRecalculation() {
    await expect
      .poll(async () => (await banner().count()) === 0, { timeout: 120_000, interval: 250 })
      .toBe(true);
    const status = await apiGet<{ status: string }>(
      tracked.context,
      `/api/v1/onboarding/status/${portfolioId}`,
    );
    expect(status.status).toMatch(/^(completed|partial)$/);
  }

  beforeAll(async () => {
    browser = await connectBrowser();
    tracked = await openPage(browser);
    page = tracked.page;
  });
  afterAll(async () => {
    await tracked?.context.close();
    await browser?.close();
  });

  it('onboards a book and lists its lots as entered', async () => {
    const request = tracked.context.request;
    const registered = await request.post('/api/v1/auth/register', {
      data: { email, password, full_name: 'Morgan Manager' },
    });
    expect(registered.status()).toBe(201);
    await signIn(page, { email, password });
    await page.waitForURL(/\/upload$/);
    const created = await request.post('/api/v1/onboarding/create-portfolio', {
      headers: CSRF,
      multipart: {
        portfolio_name: 'Managed book',
        account_name: 'E2E Managed',
        account_type: 'taxable',
        equity_balance: '100000',
        csv_file: { name: 'book.csv', mimeType: 'text/csv', buffer: Buffer.from(BOOK) },
      },
    });
    expect(created.status()).toBe(201);
    portfolioId = ((await created.json()) as { portfolio_id: string }).portfolio_id;
    const started = await request.post(`/api/v1/portfolios/${portfolioId}/calculate`, {
      headers: CSRF,
    });
    expect(started.status()).toBe(202);
    await expect
      .poll(
        async () =>
          (
            await apiGet<{ status: string }>(
              tracked.context,
              `/api/v1/onboarding/status/${portfolioId}`,
            )
          ).status,
        { timeout: 120_000, interval: 500 },
      )
      .toMatch(/^(completed|partial)$/);
    await page.goto(`/dashboard?portfolio=${portfolioId}`);
    await panel().waitFor();
    await waitForCards(page);
    const table = page.getByTestId('lots-table');
    expect(await table.locator('tbody tr').count()).toBe(3);
    await expect
      .poll(() => page.getByRole('button', { name: 'Sell 100 AAPL of Jan 5, 2026' }).count(), SOON)
      .toBe(1);
    await panel().scrollIntoViewIfNeeded();
    await screenshot(page, 'manage-positions-lots-1440');
  });

  it('sells half of a lot: realized P&L and the new quantity, then the dashboard recalculates', async () => {
    await page.getByRole('button', { name: 'Sell 100 AAPL of Jan 5, 2026' }).click();
    const form = page.getByTestId('sell-form');
    await form.waitFor();
    await form.getByRole('button', { name: 'Half' }).click();
    expect(await form.getByLabel('Quantity to sell').inputValue()).toBe('50');
    await form.getByLabel('Exit price').fill('200');
    await form.getByLabel('Exit date').fill('2026-07-15');
    await screenshot(page, 'manage-positions-sell-1440', { fullPage: false });
    // Watched from the click on: a fast calculation may start and end within a second.
    const bannerShown = banner().waitFor({ timeout: 60_000 });
    const refreshed = page
      .locator('.mantine-Notification-root', { hasText: 'Analytics updated' })
      .waitFor({ timeout: 120_000 });
    await form.getByTestId('confirm-sell').click();

    // (200 − 150) × 50 sold.
    const realized = formatSignedMoney(2500);
    const notice = page.locator('.mantine-Notification-root', { hasText: 'Sold 50 AAPL' });
    await notice.waitFor();
    expect(await notice.innerText()).toContain(`Realized P&L ${realized}; 50 still held.`);
    await bannerShown;
    await screenshot(page, 'manage-positions-recalculating-1440');

    // The rest stays open; the sold half is a lot of its own with its exit and P&L.
    await page.getByRole('button', { name: 'Sell 50 AAPL of Jan 5, 2026' }).waitFor();
    const soldRow = page
      .getByTestId('lots-table')
      .locator('tbody tr', { hasText: 'Jul 15, 2026 · $200.00' });
    expect(await soldRow.count()).toBe(1);
    expect(await soldRow.innerText()).toContain(realized);
    expect(await soldRow.getByRole('button', { name: /^Sell/ }).count()).toBe(0);

    await refreshed;
    await waitForRecalculation();
    const overview = await apiGet<{ pnl: { realized_pnl: number | null } }>(
      tracked.context,
      `/api/v1/analytics/portfolio/${portfolioId}/overview`,
    );
    expect(overview.pnl.realized_pnl).toBeCloseTo(2500, 2);
    await waitForCards(page);
    await panel().scrollIntoViewIfNeeded();
    await screenshot(page, 'manage-positions-after-sale-1440');
  });

  it('shows the API’s message on the field of a refused lot, then adds it', async () => {
    const bad = { symbol: 'NVDA', quantity: '10', entry_price: '-5', entry_date: '2026-04-01' };
    const refused = await tracked.context.request.post(
      `/api/v1/portfolios/${portfolioId}/positions`,
      { headers: CSRF, data: [bad] },
    );
    expect(refused.status()).toBe(400);
    const apiError = ((await refused.json()) as ErrorBody).error.details!.errors!.find(
      (e) => e.field === 'entry_price',
    )!;

    await page.getByTestId('add-lot').click();
    const form = page.getByTestId('lot-form');
    await form.waitFor();
    await form.getByLabel('Symbol').fill(bad.symbol);
    await form.getByLabel('Quantity').fill(bad.quantity);
    await form.getByLabel('Entry price').fill(bad.entry_price);
    await form.getByLabel('Entry date').fill(bad.entry_date);
    await form.getByTestId('save-lot').click();
    const price = form.getByLabel('Entry price');
    await expect.poll(() => price.getAttribute('aria-invalid'), SOON).toBe('true');
    const describedBy = (await price.getAttribute('aria-describedby'))!;
    const messages = await Promise.all(
      describedBy
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => page.locator(`[id="${id}"]`).innerText()),
    );
    expect(messages).toContain(apiError.message);
    expect(await form.getByLabel('Quantity').getAttribute('aria-invalid')).not.toBe('true');
    await screenshot(page, 'manage-positions-add-error-1440', { fullPage: false });

    await price.fill('120');
    await form.getByTestId('save-lot').click();
    await form.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Correct 10 NVDA of Apr 1, 2026' }).waitFor();
  });

  it('corrects a lot: quantity and notes', async () => {
    await page.getByRole('button', { name: 'Correct 20 MSFT of Feb 2, 2026' }).click();
    const form = page.getByTestId('lot-form');
    await form.waitFor();
    expect(await form.getByLabel('Symbol').count()).toBe(0);
    await form.getByLabel('Quantity').fill('25');
    await form.getByLabel('Notes').fill('core holding');
    await form.getByTestId('save-lot').click();
    await form.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Correct 25 MSFT of Feb 2, 2026' }).waitFor();
    const row = page.getByTestId('lots-table').locator('tbody tr', { hasText: 'MSFT' });
    expect(await row.innerText()).toContain('core holding');
  });

  it('removes a lot only after the confirmation', async () => {
    await page.getByRole('button', { name: 'Remove 50 KO of Mar 2, 2026' }).click();
    const dialog = page.getByTestId('remove-dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Remove 50 KO bought Mar 2, 2026 at $60.00?');
    await screenshot(page, 'manage-positions-remove-1440', { fullPage: false });
    // Cancel keeps it.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: 'Remove 50 KO of Mar 2, 2026' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Remove 50 KO of Mar 2, 2026' }).click();
    await page.getByTestId('confirm-remove').click();
    await expect
      .poll(() => page.getByRole('button', { name: 'Remove 50 KO of Mar 2, 2026' }).count(), SOON)
      .toBe(0);
  });

  it('imports a CSV after a dry-run check: a lot already held is refused, a new one added', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'betaboard-e2e-import-'));
    const held = path.join(dir, 'held.csv');
    writeFileSync(held, [HEADER, 'MSFT,5,410,2026-02-02,PUBLIC,STOCK,,,,,,'].join('\n'));
    const fresh = path.join(dir, 'fresh.csv');
    writeFileSync(fresh, [HEADER, 'PEP,10,170,2026-05-01,PUBLIC,STOCK,,,,,,'].join('\n'));

    await panel().getByRole('button', { name: 'Import CSV' }).click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('csv-input').setInputFiles(held);
    await dialog.getByTestId('check-import').click();
    const errors = dialog.getByTestId('csv-errors');
    await errors.waitFor();
    expect(await errors.innerText()).toContain('ERR_POS_023');
    expect(await dialog.getByTestId('import-lots').count()).toBe(0);

    await dialog.getByTestId('csv-input').setInputFiles(fresh);
    await dialog.getByTestId('check-import').click();
    await dialog.getByTestId('csv-preview').waitFor();
    expect(await dialog.getByTestId('csv-preview').locator('tbody tr').count()).toBe(1);
    await screenshot(page, 'manage-positions-import-1440', { fullPage: false });
    await dialog.getByTestId('import-lots').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Correct 10 PEP of May 1, 2026' }).waitFor();
  });

  it('lists every change in the Activity tab, before → after', async () => {
    await panel().getByRole('tab', { name: 'Activity' }).click();
    const list = page.getByTestId('activity-list');
    await list.waitFor();
    const text = await list.innerText();
    for (const line of [
      'Sold 50 AAPL at $200.00 on Jul 15, 2026',
      'Open quantity: 100 → 50',
      'Added 10 NVDA at $120.00 on Apr 1, 2026',
      'Corrected MSFT',
      'Quantity: 20 → 25',
      'Notes: none → “core holding”',
      'Removed 50 KO at $60.00 on Mar 2, 2026',
      'Imported 10 PEP at $170.00 on May 1, 2026',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toContain(email);
    await panel().scrollIntoViewIfNeeded();
    await screenshot(page, 'manage-positions-activity-1440');
    await panel().getByRole('tab', { name: 'Lots' }).click();
  });

  it('sums the equity changes and exports them as CSV', async () => {
    await waitForRecalculation();
    const card = page.getByTestId('equity-changes');
    let added = 0;
    for (const [kind, amount, date] of [
      ['Contribution', '50000', '2026-07-01'],
      ['Withdrawal', '12,500', '2026-07-20'],
    ] as const) {
      await card.getByText(kind, { exact: true }).click();
      await card.getByLabel('Amount').fill(amount);
      await card.getByLabel('Date').fill(date);
      await card.getByRole('button', { name: 'Add', exact: true }).click();
      added += 1;
      await expect.poll(() => card.locator('tbody tr').count(), SOON).toBe(added);
    }
    await expect
      .poll(() => card.getByTestId('equity-net-flow').innerText(), SOON)
      .toContain(formatSignedMoney(37500));
    expect(await card.getByTestId('equity-contributions').innerText()).toContain(
      formatMoney(50000),
    );
    expect(await card.getByTestId('equity-withdrawals').innerText()).toContain(formatMoney(12500));

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByTestId('export-equity').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^equity-changes-.*\.csv$/);
    const saved = path.join(
      mkdtempSync(path.join(os.tmpdir(), 'betaboard-e2e-equity-')),
      'equity.csv',
    );
    await download.saveAs(saved);
    const csv = readFileSync(saved, 'utf8').trimEnd().split(/\r?\n/);
    expect(csv[0]).toBe('date,type,amount,notes,recorded_at');
    expect(csv).toHaveLength(3);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'manage-positions-equity-1440');
    await waitForRecalculation();
  });

  it('fits a phone, passes axe, and threw nothing', async () => {
    await waitForRecalculation();
    await waitForCards(page);
    // Notices close by themselves after a few seconds; axe reads the page without them.
    await expect
      .poll(() => page.locator('.mantine-Notification-root').count(), { timeout: 15_000 })
      .toBe(0);
    for (const v of await seriousA11yViolations(page)) tracked.problems.push(v);
    const phone = await openPage(browser, { viewport: PHONE });
    try {
      await signIn(phone.page, { email, password });
      await phone.page.waitForURL(/\/dashboard/);
      await phone.page.goto(`/dashboard?portfolio=${portfolioId}`);
      await phone.page.getByTestId('manage-positions').waitFor();
      await waitForCards(phone.page);
      await expectNoHorizontalOverflow(phone.page, 'dashboard with the manage panel at 390 px');
      await screenshot(phone.page, 'manage-positions-390');
      expect(phone.problems).toEqual([]);
    } finally {
      await phone.context.close();
    }
    expect(tracked.problems).toEqual([]);
  });
});
