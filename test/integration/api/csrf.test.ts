import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { openTestDatabase } from '../../helpers/test-database.ts';

/**
 * CSRF protection of cookie-authenticated requests. The middleware only reads headers, so one
 * engine is enough. `app.request()` requests are for http://localhost: that is the own origin.
 */
describe('CSRF protection', () => {
  let database: Database;
  let t: TestApp;
  let cookie: string;
  let token: string;
  const OWN_ORIGIN = 'http://localhost';
  const APP_HEADER = { 'x-requested-with': 'betaboard' };
  const portfolioBody = (account: string) =>
    JSON.stringify({
      name: 'Core',
      account_name: account,
      account_type: 'taxable',
      equity_balance: 100000,
    });
  const codeOf = async (res: Response) =>
    ((await res.json()) as { error: { code: string } }).error.code;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    t = await createTestApp(database);
    token = await t.login('csrf@example.com', { password: 'a long password' });
    const login = await t.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'csrf@example.com', password: 'a long password' }),
    });
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(cookie).toMatch(/^betaboard_session=/);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('refuses a cookie-only POST without the app header (a cross-site form could send it)', async () => {
    const res = await t.request('/api/v1/portfolios', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: OWN_ORIGIN },
      body: portfolioBody('no header'),
    });
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe('ERR_CSRF_HEADER');
  });

  it('refuses a cookie POST from a foreign Origin, even with the header', async () => {
    const res = await t.request('/api/v1/portfolios', {
      method: 'POST',
      headers: {
        cookie,
        ...APP_HEADER,
        'content-type': 'application/json',
        origin: 'https://evil.example',
      },
      body: portfolioBody('foreign'),
    });
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe('ERR_CSRF_ORIGIN');
    const nullOrigin = await t.request('/api/v1/portfolios', {
      method: 'POST',
      headers: { cookie, ...APP_HEADER, 'content-type': 'application/json', origin: 'null' },
      body: portfolioBody('sandboxed'),
    });
    expect(nullOrigin.status).toBe(403);
  });

  it('refuses a cookie POST whose body is text/plain or a form, with 415', async () => {
    const plain = await t.request('/api/v1/portfolios', {
      method: 'POST',
      headers: { cookie, ...APP_HEADER, origin: OWN_ORIGIN, 'content-type': 'text/plain' },
      body: portfolioBody('plain'),
    });
    expect(plain.status).toBe(415);
    expect(await codeOf(plain)).toBe('ERR_UNSUPPORTED_MEDIA_TYPE');
    const form = new FormData();
    form.set('name', 'Core');
    const multipart = await t.request('/api/v1/portfolios', {
      method: 'POST',
      headers: { cookie, ...APP_HEADER, origin: OWN_ORIGIN },
      body: form,
    });
    expect(multipart.status).toBe(415);
    // The upload routes take multipart only.
    const jsonUpload = await t.request('/api/v1/onboarding/validate-csv', {
      method: 'POST',
      headers: { cookie, ...APP_HEADER, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(jsonUpload.status).toBe(415);
  });

  it("passes the app's own requests: header, same origin, JSON or an upload", async () => {
    const created = await t.request('/api/v1/portfolios', {
      method: 'POST',
      headers: { cookie, ...APP_HEADER, 'content-type': 'application/json', origin: OWN_ORIGIN },
      body: portfolioBody('own'),
    });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    // No Origin header (an older browser, a same-origin request without one): the header counts.
    const noOrigin = await t.request('/api/v1/portfolios', {
      method: 'POST',
      headers: { cookie, ...APP_HEADER, 'content-type': 'application/json; charset=utf-8' },
      body: portfolioBody('own 2'),
    });
    expect(noOrigin.status).toBe(201);
    const form = new FormData();
    form.set('csv_file', new File(['symbol\n'], 'p.csv', { type: 'text/csv' }));
    const upload = await t.request('/api/v1/onboarding/validate-csv', {
      method: 'POST',
      headers: { cookie, ...APP_HEADER, origin: OWN_ORIGIN },
      body: form,
    });
    expect(upload.status).toBe(200);
    // Reads never need the header; a bodiless DELETE needs only the header.
    expect((await t.request('/api/v1/auth/me', { headers: { cookie } })).status).toBe(200);
    const refused = await t.request(`/api/v1/portfolios/${id}`, {
      method: 'DELETE',
      headers: { cookie },
    });
    expect(refused.status).toBe(403);
    const deleted = await t.request(`/api/v1/portfolios/${id}`, {
      method: 'DELETE',
      headers: { cookie, ...APP_HEADER, origin: OWN_ORIGIN },
    });
    expect(deleted.status).toBe(200);
  });

  it('leaves bearer clients unchanged: no header, any Origin, any content type', async () => {
    const res = await t.request('/api/v1/portfolios', {
      method: 'POST',
      token,
      headers: { origin: 'https://elsewhere.example' },
      body: portfolioBody('bearer'),
    });
    expect(res.status).toBe(201);
    // A bearer client that also holds a cookie is still judged by its bearer token.
    const both = await t.request('/api/v1/portfolios', {
      method: 'POST',
      token,
      headers: { cookie, 'content-type': 'application/json' },
      body: portfolioBody('bearer 2'),
    });
    expect(both.status).toBe(201);
  });

  it('refuses a login posted from another site but accepts one from a plain API client', async () => {
    const credentials = JSON.stringify({ email: 'csrf@example.com', password: 'a long password' });
    const foreign = await t.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: credentials,
    });
    expect(foreign.status).toBe(403);
    const curl = await t.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: credentials,
    });
    expect(curl.status).toBe(200);
  });
});
