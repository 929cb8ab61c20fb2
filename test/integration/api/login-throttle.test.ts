import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { LoginRateLimiter } from '../../../src/api/auth/login-rate-limiter.ts';
import { queryRows } from '../../../src/db/database.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';

const json = { 'content-type': 'application/json' };

/** A browser: keeps the device cookie the server sets on login, sends it back. */
function browser(t: TestApp) {
  let device: string | null = null;
  return {
    async login(email: string, password: string) {
      const res = await t.request('/api/v1/auth/login', {
        method: 'POST',
        headers: { ...json, ...(device ? { cookie: `betaboard_device=${device}` } : {}) },
        body: JSON.stringify({ email, password }),
      });
      const set = /betaboard_device=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
      if (set) device = set[1]!;
      return res;
    },
  };
}

describeOnEachEngine('login throttling under a lockout attack', ({ database }) => {
  it('never refuses the owner on a known browser, nor a colleague behind the same address', async () => {
    const t = await createTestApp(() => database());
    await t.login('owner@example.com', { password: 'owner password' });
    await t.login('colleague@example.com', { password: 'colleague password' });
    await t.login('mallory@example.com', { password: 'mallory password' });
    const ownerBrowser = browser(t);
    const colleagueBrowser = browser(t);
    const malloryBrowser = browser(t);
    expect((await ownerBrowser.login('owner@example.com', 'owner password')).status).toBe(200);
    expect(
      (await colleagueBrowser.login('colleague@example.com', 'colleague password')).status,
    ).toBe(200);
    expect((await malloryBrowser.login('mallory@example.com', 'mallory password')).status).toBe(
      200,
    );

    // The attacker, from the same address (every app.request() is "local"), no cookie.
    const attacker = browser(t);
    const guesses: number[] = [];
    for (let i = 0; i < 12; i++) {
      guesses.push((await attacker.login('owner@example.com', `guess ${i}`)).status);
    }
    expect(guesses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(guesses.slice(10)).toEqual([429, 429]);
    const refused = await attacker.login('owner@example.com', 'owner password');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    // A password spray over many accounts: the address runs out of guesses.
    const spray: number[] = [];
    for (let i = 0; i < 40; i++) {
      spray.push((await attacker.login(`user${i}@example.com`, 'Summer2026!')).status);
    }
    expect(spray.filter((s) => s === 401)).toHaveLength(20);
    expect(spray.filter((s) => s === 429)).toHaveLength(20);
    // Logging into one's own account does not reset the address's count.
    expect((await malloryBrowser.login('mallory@example.com', 'mallory password')).status).toBe(
      200,
    );
    expect((await attacker.login('user99@example.com', 'Summer2026!')).status).toBe(429);

    // The owner's known browser and the colleague's get in with the right password.
    expect((await ownerBrowser.login('owner@example.com', 'owner password')).status).toBe(200);
    expect(
      (await colleagueBrowser.login('colleague@example.com', 'colleague password')).status,
    ).toBe(200);
    // A known browser with the wrong password is told so, not locked by the others' failures.
    expect((await ownerBrowser.login('owner@example.com', 'typo')).status).toBe(401);

    // The counts are in the database: another process (a new limiter) refuses the attacker too.
    const other = await createTestApp(() => database(), { loginLimiter: new LoginRateLimiter() });
    const elsewhere = await other.request('/api/v1/auth/login', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'user1@example.com', password: 'x' }),
    });
    expect(elsewhere.status).toBe(429);
    const rows = await queryRows<{ key: string }>(
      database().db,
      sql`SELECT key FROM login_throttle WHERE key = 'address:local'`,
    );
    expect(rows).toHaveLength(1);
  });
});
