import { afterEach, describe, expect, it } from 'vitest';
import { RecordedHttpServer, type RecordedRoute } from '../../../helpers/recorded-http-server.ts';

let server: RecordedHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ROUTES: RecordedRoute[] = [
  {
    path: '/v1/thing/A B',
    response: {
      status: 200,
      headers: { 'content-type': 'application/json', 'set-cookie': ['a=1; Path=/', 'b=2; Path=/'] },
      bodyJson: { thing: 'A B', values: [1, 2, 3] },
    },
    variants: { empty: { status: 200, bodyJson: {} } },
  },
  { path: '/v1/list', response: { status: 200, bodyText: 'plain' } },
  { path: '/v1/list', query: { kind: 'special' }, response: { status: 200, bodyText: 'special' } },
];

async function get(path: string, init?: RequestInit) {
  const response = await fetch(`${server!.baseUrl}${path}`, init);
  return { status: response.status, text: await response.text(), headers: response.headers };
}

describe('RecordedHttpServer', () => {
  it('serves recorded bodies and headers on decoded paths, the most specific query route first', async () => {
    server = await RecordedHttpServer.start(ROUTES);
    const thing = await get('/v1/thing/A%20B?x=1');
    expect(thing.status).toBe(200);
    expect(JSON.parse(thing.text)).toEqual({ thing: 'A B', values: [1, 2, 3] });
    expect(thing.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect((await get('/v1/list?kind=special')).text).toBe('special');
    expect((await get('/v1/list?kind=other')).text).toBe('plain');
  });

  it('counts requests per path and answers unknown ones with a plain 404', async () => {
    server = await RecordedHttpServer.start(ROUTES);
    await get('/v1/list');
    await get('/v1/list?kind=special');
    const missing = await get('/v2/nothing');
    expect(missing.status).toBe(404);
    expect(missing.text).toMatch(/no recorded response for GET \/v2\/nothing/);
    expect(server.requestCount('/v1/list')).toBe(2);
    expect(server.requestCount()).toBe(3);
    expect(server.unmatched().map((r) => r.path)).toEqual(['/v2/nothing']);
  });

  it('injects status, malformed and variant faults until cleared', async () => {
    server = await RecordedHttpServer.start(ROUTES);
    const path = '/v1/thing/A B';
    server.inject(path, { kind: 'status', status: 503 });
    expect((await get('/v1/thing/A%20B')).status).toBe(503);
    server.inject(path, { kind: 'malformed' });
    const malformed = await get('/v1/thing/A%20B');
    expect(malformed.status).toBe(200);
    expect(() => JSON.parse(malformed.text)).toThrow();
    server.inject(path, { kind: 'variant', name: 'empty' });
    expect((await get('/v1/thing/A%20B')).text).toBe('{}');
    expect(() => server!.inject(path, { kind: 'variant', name: 'nope' })).toThrow(/no route/);
    server.clearFaults();
    expect(JSON.parse((await get('/v1/thing/A%20B')).text)).toMatchObject({ thing: 'A B' });
  });

  it('delays a response, and closes with a delayed request still pending', async () => {
    server = await RecordedHttpServer.start(ROUTES);
    server.inject('/v1/list', { kind: 'delay', ms: 150 });
    const started = Date.now();
    expect((await get('/v1/list')).text).toBe('plain');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    server.inject('/v1/list', { kind: 'delay', ms: 60_000 });
    const pending = get('/v1/list').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 30));
    const closing = Date.now();
    await server.close();
    server = undefined;
    expect(Date.now() - closing).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('loads the provider fixtures with their variants', async () => {
    server = await RecordedHttpServer.fromFixtures('polygon');
    const response = await get('/v3/reference/tickers/SPY');
    expect(JSON.parse(response.text)).toMatchObject({ results: { ticker: 'SPY', type: 'ETF' } });
    expect(() =>
      server!.inject('/v2/aggs/ticker/MSFT/range/1/day/2026-06-01/2026-07-31', {
        kind: 'variant',
        name: 'empty',
      }),
    ).not.toThrow();
  });
});
