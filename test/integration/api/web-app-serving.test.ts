import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

/** The built web app served at `/` next to the API, with the security headers. */
describe('web app serving and security headers', () => {
  let dist: string;
  let t: TestApp;
  const INDEX = '<!doctype html><html><body><div id="root"></div></body></html>';

  beforeAll(async () => {
    dist = mkdtempSync(path.join(os.tmpdir(), 'betaboard-dist-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), INDEX);
    writeFileSync(path.join(dist, 'assets', 'index-AbC123.js'), 'console.log(1)');
    writeFileSync(path.join(dist, 'favicon.svg'), '<svg/>');
    t = await createTestApp(null, { webDistDir: dist });
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('serves index.html at / and for client routes, never cached', async () => {
    for (const route of ['/', '/dashboard', '/progress/123', '/symbols/BRK.B', '/risk?x=1']) {
      const res = await t.request(route);
      expect(res.status, route).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(INDEX);
    }
  });

  it('serves hashed assets with a year-long immutable cache; a missing one is a 404', async () => {
    const js = await t.request('/assets/index-AbC123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/text\/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await t.request('/favicon.svg')).headers.get('cache-control')).toBe(
      'public, max-age=3600',
    );
    expect((await t.request('/assets/index-Old999.js')).status).toBe(404);
    expect((await t.request('/missing.png')).status).toBe(404);
  });

  it('keeps API, health and traversal paths away from the app', async () => {
    const api = await t.request('/api/v1/nothing-here');
    expect(api.status).not.toBe(200);
    expect(api.headers.get('content-type')).toMatch(/json/);
    expect((await t.request('/api/unknown')).headers.get('content-type')).toMatch(/json/);
    const traversal = await t.request('/assets/..%2f..%2f..%2fetc%2fpasswd');
    expect(await traversal.text()).not.toMatch(/root:/);
  });

  it('sends the security headers on app and API responses', async () => {
    for (const route of ['/', '/api/v1/onboarding/csv-template']) {
      const res = await t.request(route);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, route).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    }
  });

  it('gives /api/docs (Swagger UI) a policy it works under', async () => {
    const res = await t.request('/api/docs');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('answers 503 with instructions when the app is not built, and 404 JSON without an app', async () => {
    const unbuilt = await createTestApp(null, { webDistDir: path.join(dist, 'nope') });
    const res = await unbuilt.request('/dashboard');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm start');
    const apiOnly = await createTestApp(null);
    expect((await apiOnly.request('/')).status).toBe(404);
  });
});
