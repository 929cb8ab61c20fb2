import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DailyBar, SymbolResult } from '../../../../../src/market/provider.ts';
import {
  backAdjust,
  PolygonProvider,
} from '../../../../../src/market/providers/polygon/polygon-provider.ts';
import {
  PROVIDER_FIXTURES_DIR,
  RecordedHttpServer,
} from '../../../../helpers/recorded-http-server.ts';

const FROM = '2026-06-01';
const TO = '2026-07-31';
const now = () => new Date('2026-07-31T21:00:00Z');
const AGGS_SPY = `/v2/aggs/ticker/SPY/range/1/day/${FROM}/${TO}`;

let server: RecordedHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(options: { adjustForDividends?: boolean } = {}) {
  server = await RecordedHttpServer.fromFixtures('polygon');
  const provider = new PolygonProvider({
    baseUrl: server.baseUrl,
    apiKey: 'test-key',
    now,
    timeoutMs: 2_000,
    ...options,
  });
  return { server, provider };
}

function value<T>(result: SymbolResult<T> | undefined): T {
  if (!result?.ok) throw result?.error ?? new Error('no result');
  return result.value;
}

/** Yahoo's adjclose for SPY over the same range: the real split- and dividend-adjusted closes. */
function yahooAdjclose(): number[] {
  const file = path.join(PROVIDER_FIXTURES_DIR, 'yahoo', 'chart', 'SPY.json');
  const recorded = JSON.parse(readFileSync(file, 'utf8')) as {
    response: {
      bodyJson: { chart: { result: { indicators: { adjclose: { adjclose: number[] }[] } }[] } };
    };
  };
  return recorded.response.bodyJson.chart.result[0]!.indicators.adjclose[0]!.adjclose;
}

describe('PolygonProvider daily closes', () => {
  it('dates bars by the New York session of their millisecond timestamps, whatever the local zone', async () => {
    server = await RecordedHttpServer.start([
      {
        path: '/v2/aggs/ticker/AAPL/range/1/day/2026-03-06/2026-03-09',
        response: {
          status: 200,
          headers: { 'content-type': 'application/json' },
          bodyJson: {
            ticker: 'AAPL',
            adjusted: true,
            status: 'OK',
            // Midnight in New York: 05:00 UTC before the 2026-03-08 DST change, 04:00 after.
            results: [
              { t: Date.UTC(2026, 2, 6, 5), c: 250.1, o: 249, h: 251, l: 248, v: 1 },
              { t: Date.UTC(2026, 2, 9, 4), c: 252.3, o: 250, h: 253, l: 249, v: 1 },
            ],
          },
        },
      },
    ]);
    const provider = new PolygonProvider({
      baseUrl: server.baseUrl,
      adjustForDividends: false,
    });
    const zone = process.env.TZ;
    // West of New York, the local date of New York midnight is the day before.
    process.env.TZ = 'Pacific/Honolulu';
    try {
      const bars = value(
        (await provider.getDailyCloses(['AAPL'], '2026-03-06', '2026-03-09')).get('AAPL'),
      );
      expect(bars.map((b) => b.date)).toEqual(['2026-03-06', '2026-03-09']);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('back-adjusts the split-adjusted aggregates for cash dividends, matching Yahoo adjclose', async () => {
    const { provider, server } = await setup();
    const bars = value((await provider.getDailyCloses(['SPY'], FROM, TO)).get('SPY'));
    const adjclose = yahooAdjclose();
    expect(bars).toHaveLength(adjclose.length);
    bars.forEach((bar, i) => expect(bar.close / adjclose[i]!).toBeCloseTo(1, 6));
    const dividends = server.requests.find((r) => r.path === '/v3/reference/dividends')!;
    expect(dividends.query.get('ticker')).toBe('SPY');
    expect(dividends.query.get('ex_dividend_date.gt')).toBe(FROM);
  });

  it('can skip the dividend request, leaving split-adjusted closes', async () => {
    const { provider, server } = await setup({ adjustForDividends: false });
    const bars = value((await provider.getDailyCloses(['SPY'], FROM, TO)).get('SPY'));
    expect(bars[0]!.close).toBe(758.54);
    expect(server.requestCount('/v3/reference/dividends')).toBe(0);
  });

  it('sends the key as a bearer token, never in the URL', async () => {
    const { provider, server } = await setup();
    await provider.getDailyCloses(['AAPL'], FROM, TO);
    const request = server.requests.find((r) => r.path.startsWith('/v2/aggs/'))!;
    expect(request.headers.authorization).toBe('Bearer test-key');
    expect([...request.query.keys()]).not.toContain('apiKey');
    expect(request.query.get('adjusted')).toBe('true');
  });

  it('maps 401 to a non-retryable http_error naming the key, and 429 to rate_limited', async () => {
    const { provider, server } = await setup();
    server.inject(AGGS_SPY, {
      kind: 'status',
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: '{"status":"ERROR","request_id":"x","error":"Unknown API Key"}',
    });
    const denied = (await provider.getDailyCloses(['SPY'], FROM, TO)).get('SPY')!;
    expect(!denied.ok && [denied.error.code, denied.error.retryable]).toEqual([
      'http_error',
      false,
    ]);
    expect(!denied.ok && denied.error.message).toMatch(/Unknown API Key.*API key/);

    server.inject(AGGS_SPY, {
      kind: 'status',
      status: 429,
      headers: { 'content-type': 'application/json' },
      body: '{"status":"ERROR","request_id":"x","error":"You\'ve exceeded the maximum requests per minute"}',
    });
    const limited = (await provider.getDailyCloses(['SPY'], FROM, TO)).get('SPY')!;
    expect(!limited.ok && limited.error.code).toBe('rate_limited');
  });

  it('fails the symbol when its dividends cannot be fetched (its closes would be wrong)', async () => {
    const { provider, server } = await setup();
    server.inject('/v3/reference/dividends', { kind: 'status', status: 503 });
    const result = (await provider.getDailyCloses(['SPY'], FROM, TO)).get('SPY')!;
    expect(!result.ok && [result.error.code, result.error.retryable]).toEqual(['http_error', true]);
  });
});

describe('backAdjust', () => {
  const bars: DailyBar[] = [
    { date: '2026-01-05', close: 100 },
    { date: '2026-01-06', close: 102 },
    { date: '2026-01-07', close: 99 },
  ];

  it('multiplies every bar before an ex-date by 1 − dividend / the close before it', () => {
    const result = backAdjust('polygon', 'X', bars, [{ exDate: '2026-01-07', cash: 1.02 }]);
    if (!result.ok) throw result.error;
    expect(result.value.map((b) => b.close)).toEqual([99, 100.98, 99]);
  });

  it('refuses a dividend as large as the price', () => {
    const result = backAdjust('polygon', 'X', bars, [{ exDate: '2026-01-06', cash: 100 }]);
    expect(!result.ok && result.error.code).toBe('malformed_response');
  });
});

describe('PolygonProvider profiles', () => {
  it('maps ticker details; Polygon has no beta or sector', async () => {
    const { provider } = await setup();
    const results = await provider.getProfiles(['AAPL', 'SPY']);
    expect(value(results.get('AAPL'))).toMatchObject({
      name: 'Apple Inc.',
      sector: null,
      industry: 'ELECTRONIC COMPUTERS',
      exchange: 'XNAS',
      country: 'US',
      isEtf: false,
      beta: null,
      betaSource: null,
    });
    expect(value(results.get('SPY'))).toMatchObject({ isEtf: true, exchange: 'ARCX' });
  });
});
