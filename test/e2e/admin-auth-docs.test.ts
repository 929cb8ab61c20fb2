import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, connectBrowser, DEMO, openPage, signIn, signOut, waitForCards } from './browser.ts';

describe('sign-in, admin and API docs in the browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await connectBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('says "wrong e-mail or password" in words, then signs the demo user in to the dashboard', async () => {
    const { page, context, problems } = await openPage(browser);
    await signIn(page, { email: DEMO.email, password: 'not the password' });
    const error = page.getByTestId('auth-error');
    await error.waitFor();
    expect(await error.innerText()).toBe('Wrong e-mail or password.');
    await signIn(page, DEMO);
    await page.waitForURL(/\/dashboard/);
    await waitForCards(page);
    expect(await page.getByTestId('nav-value').innerText()).toMatch(/^\$[\d,]+$/);
    // The demo user is no admin: no Admin link.
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await signOut(page);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("lets the admin see the demo books' onboarding runs with their phases", async () => {
    const { page, context, problems } = await openPage(browser);
    await signIn(page, ADMIN);
    await page.waitForURL(/\/(dashboard|upload)/);
    await page.getByRole('link', { name: 'Admin' }).first().click();
    await page.waitForURL(/\/admin$/);
    await waitForCards(page);
    const rows = page.getByTestId('batch-run-row');
    await rows.first().waitFor();
    // The demo books' calculations: onboarding runs triggered by the demo seeding.
    const onboarding = rows.filter({ hasText: 'demo_seed' }).first();
    expect(await onboarding.innerText()).toMatch(/^Onboarding/);
    expect(await onboarding.innerText()).toMatch(/completed/i);
    await onboarding.getByRole('button').first().click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('[data-testid="phase-phase_6"]').waitFor();
    expect(await dialog.locator('[data-testid^="phase-"]').count()).toBe(5);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('serves Swagger UI at /api/docs under its Content Security Policy', async () => {
    const { page, context, problems } = await openPage(browser);
    await page.goto('/api/docs');
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: 30_000 });
    expect(await page.locator('.swagger-ui .info .title').innerText()).toMatch(/Betaboard API/);
    expect(problems.filter((p) => /Content Security Policy/i.test(p))).toEqual([]);
    await context.close();
  });
});
