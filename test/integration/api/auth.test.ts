import { expect, it } from 'vitest';
import { LoginRateLimiter } from '../../../src/api/auth/login-rate-limiter.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';
import { createTestApp } from '../../helpers/test-app.ts';

const json = { 'content-type': 'application/json' };

describeOnEachEngine('auth routes', ({ database }) => {
  it('registers, logs in with a bearer token and a cookie, answers /me, and logs out', async () => {
    const t = await createTestApp(() => database());
    const reg = await t.request('/api/v1/auth/register', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        email: 'Ann@Example.com',
        password: 'long enough pw',
        full_name: 'Ann',
      }),
    });
    expect(reg.status).toBe(201);
    expect(await reg.json()).toMatchObject({
      email: 'Ann@Example.com',
      full_name: 'Ann',
      role: 'user',
    });

    const dup = await t.request('/api/v1/auth/register', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'ann@example.com', password: 'another password' }),
    });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as { error: { code: string } }).error.code).toBe(
      'ERR_AUTH_EMAIL_TAKEN',
    );

    const login = await t.request('/api/v1/auth/login', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'ann@example.com', password: 'long enough pw' }),
    });
    expect(login.status).toBe(200);
    const body = (await login.json()) as {
      access_token: string;
      token_type: string;
      expires_in: number;
    };
    expect(body.token_type).toBe('bearer');
    expect(body.expires_in).toBe(3600);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/betaboard_session=[^;]+;/);
    expect(cookie).toMatch(/HttpOnly/i);

    const me = await t.request('/api/v1/auth/me', { token: body.access_token });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'Ann@Example.com', role: 'user' });

    const viaCookie = await t.request('/api/v1/auth/me', {
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(viaCookie.status).toBe(200);

    expect(
      (await t.request('/api/v1/auth/logout', { method: 'POST', token: body.access_token })).status,
    ).toBe(204);
    const after = await t.request('/api/v1/auth/me', { token: body.access_token });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe(
      'ERR_AUTH_REQUIRED',
    );
  });

  it('rejects bad bodies with codes, never a 500', async () => {
    const t = await createTestApp(() => database());
    const notJson = await t.request('/api/v1/auth/register', {
      method: 'POST',
      headers: json,
      body: '{oops',
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe(
      'ERR_INVALID_JSON',
    );
    const short = await t.request('/api/v1/auth/register', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'x@example.com', password: 'short' }),
    });
    expect(short.status).toBe(422);
    const err = (
      (await short.json()) as { error: { code: string; details: { issues: { field: string }[] } } }
    ).error;
    expect(err.code).toBe('ERR_VALIDATION');
    expect(err.details.issues[0]!.field).toBe('password');
    const noAuth = await t.request('/api/v1/auth/me');
    expect(noAuth.status).toBe(401);
    const badToken = await t.request('/api/v1/auth/me', { token: 'not-a-real-token' });
    expect(badToken.status).toBe(401);
  });

  it('rate-limits failed logins and gives the same answer for unknown e-mail and wrong password', async () => {
    let now = 1_000_000;
    const limiter = new LoginRateLimiter(3, 60_000, () => now);
    const t = await createTestApp(() => database(), { loginLimiter: limiter });
    await t.login('bob@example.com', { password: 'right password' });
    const attempt = (email: string, password: string) =>
      t.request('/api/v1/auth/login', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email, password }),
      });
    const unknown = await attempt('nobody@example.com', 'whatever1');
    const wrong = await attempt('bob@example.com', 'wrong password');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
    await attempt('bob@example.com', 'wrong again');
    await attempt('bob@example.com', 'wrong thrice');
    const limited = await attempt('bob@example.com', 'right password');
    expect(limited.status).toBe(429);
    const body = (await limited.json()) as {
      error: { code: string; details: { retry_after_seconds: number } };
    };
    expect(body.error.code).toBe('ERR_AUTH_RATE_LIMITED');
    expect(body.error.details.retry_after_seconds).toBe(60);
    now += 61_000;
    expect((await attempt('bob@example.com', 'right password')).status).toBe(200);
  });
});
