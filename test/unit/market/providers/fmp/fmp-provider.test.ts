import { afterEach, describe, expect, it } from 'vitest';
import type { SymbolResult } from '../../../../../src/market/provider.ts';
import {
  FmpProvider,
  parseRange,
  summariseEarnings,
} from '../../../../../src/market/providers/fmp/fmp-provider.ts';
import { RecordedHttpServer, type Fault } from '../../../../helpers/recorded-http-server.ts';

const FROM = '2026-06-01';
const TO = '2026-07-31';
const now = () => new Date('2026-07-31T21:00:00Z');

let server: RecordedHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup() {
  server = await RecordedHttpServer.fromFixtures('fmp');
  const provider = new FmpProvider({
    baseUrl: server.baseUrl,
    apiKey: 'test-key',
    now,
    timeoutMs: 2_000,
  });
  return { server, provider };
}

function value<T>(result: SymbolResult<T> | undefined): T {
  if (!result?.ok) throw result?.error ?? new Error('no result');
  return result.value;
}

const json = (status: number, body: unknown): Fault => ({
  kind: 'respond',
  response: { status, headers: { 'content-type': 'application/json' }, bodyJson: body },
});

describe('FmpProvider daily closes', () => {
  it('turns the newest-first list oldest-first and keeps adjClose, not close', async () => {
    const { provider } = await setup();
    const bars = value((await provider.getDailyCloses(['SPY'], FROM, TO)).get('SPY'));
    expect(bars[0]!.date).toBe('2026-06-01');
    expect(bars.at(-1)!.date).toBe('2026-07-31');
    // Before SPY's 2026-06-18 ex-date the raw close was 758.54; adjClose is the bundled value.
    expect(bars[0]!.close).toBe(756.59082);
  });

  it('passes the key and the range as query parameters', async () => {
    const { provider, server } = await setup();
    await provider.getDailyCloses(['AAPL'], FROM, TO);
    const { query } = server.requests[0]!;
    expect(query.get('apikey')).toBe('test-key');
    expect([query.get('from'), query.get('to')]).toEqual([FROM, TO]);
  });

  it('reads `{}` and an empty list as no_data', async () => {
    const { provider, server } = await setup();
    server.inject(
      '/api/v3/historical-price-full/AAPL',
      json(200, { symbol: 'AAPL', historical: [] }),
    );
    const results = await provider.getDailyCloses(['AAPL', 'XYZQQ'], FROM, TO);
    for (const symbol of ['AAPL', 'XYZQQ']) {
      const result = results.get(symbol)!;
      expect(!result.ok && result.error.code).toBe('no_data');
    }
  });

  it('treats an {"Error Message"} body as FMP failing: quota → rate_limited, key → http_error', async () => {
    const { provider, server } = await setup();
    server.inject(
      '/api/v3/historical-price-full/AAPL',
      json(429, {
        'Error Message':
          'Limit Reach . Please upgrade your plan or visit our documentation for more details at https://site.financialmodelingprep.com/developer/docs/pricing ',
      }),
    );
    server.inject(
      '/api/v3/historical-price-full/SPY',
      json(200, { 'Error Message': 'Invalid API KEY. Please retry or visit our documentation.' }),
    );
    const results = await provider.getDailyCloses(['AAPL', 'SPY', 'MSFT'], FROM, TO);
    const aapl = results.get('AAPL')!;
    const spy = results.get('SPY')!;
    expect(!aapl.ok && [aapl.error.code, aapl.error.retryable]).toEqual(['rate_limited', true]);
    expect(!spy.ok && [spy.error.code, spy.error.retryable]).toEqual(['http_error', false]);
    expect(results.get('MSFT')!.ok).toBe(true);
  });

  it('calls a negative adjClose malformed', async () => {
    const { provider, server } = await setup();
    server.inject(
      '/api/v3/historical-price-full/AAPL',
      json(200, { symbol: 'AAPL', historical: [{ date: '2026-07-31', close: 1, adjClose: -1 }] }),
    );
    const result = (await provider.getDailyCloses(['AAPL'], FROM, TO)).get('AAPL')!;
    expect(!result.ok && result.error.code).toBe('malformed_response');
  });
});

describe('FmpProvider profiles and fundamentals', () => {
  it('maps the profile, its beta and 52-week range; a fund gets no sector', async () => {
    const { provider } = await setup();
    const results = await provider.getProfiles(['MSFT', 'SPY']);
    expect(value(results.get('MSFT'))).toMatchObject({
      name: 'Microsoft Corporation',
      sector: 'Information Technology',
      industry: 'Software - Infrastructure',
      exchange: 'NASDAQ',
      country: 'US',
      isEtf: false,
      beta: 1.035,
      betaSource: 'fmp:beta',
    });
    const spy = value(results.get('SPY'));
    expect(spy).toMatchObject({ isEtf: true, sector: null, industry: null });
    expect(spy.week52Low).toBeLessThan(spy.week52High!);
  });

  it('reads a beta of 0 as "not computed"', async () => {
    const { provider, server } = await setup();
    server.inject('/api/v3/profile/AAPL', json(200, [{ symbol: 'AAPL', beta: 0, price: 300 }]));
    expect(value((await provider.getProfiles(['AAPL'])).get('AAPL'))).toMatchObject({
      beta: null,
      betaSource: null,
    });
  });

  it('splits the earnings calendar at today: next scheduled, last reported, trailing sums', async () => {
    const { provider } = await setup();
    expect(value((await provider.getFundamentals(['AAPL'])).get('AAPL'))).toEqual({
      symbol: 'AAPL',
      nextEarningsDate: '2026-10-29',
      lastEarningsDate: '2026-07-30',
      trailingEps: 1.72 + 1.65 + 2.84 + 1.85,
      forwardEps: null,
      revenueTtm: 98.24e9 + 95.36e9 + 143.8e9 + 102.47e9,
    });
  });

  it('leaves trailing figures null until four reports are known', () => {
    const f = summariseEarnings(
      'NEW',
      [
        { date: '2026-08-10', eps: null, epsEstimated: 0.5 },
        { date: '2026-05-10', eps: 0.4, revenue: 1e9 },
      ],
      '2026-07-31',
    );
    expect(f).toMatchObject({
      nextEarningsDate: '2026-08-10',
      lastEarningsDate: '2026-05-10',
      trailingEps: null,
      revenueTtm: null,
    });
  });
});

describe('parseRange', () => {
  it('reads "low-high"', () => {
    expect(parseRange('164.08-260.1')).toEqual([164.08, 260.1]);
    expect(parseRange('')).toEqual([null, null]);
    expect(parseRange(null)).toEqual([null, null]);
  });
});
