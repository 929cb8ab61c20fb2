import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { YahooProvider } from '../../../../../src/market/providers/yahoo/yahoo-provider.ts';
import {
  PROVIDER_FIXTURES_DIR,
  RecordedHttpServer,
  type RecordedResponse,
} from '../../../../helpers/recorded-http-server.ts';

const FROM = '2026-06-01';
const TO = '2026-07-31';
const afterClose = () => new Date('2026-07-31T21:00:00Z');

let server: RecordedHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(now = afterClose) {
  server = await RecordedHttpServer.fromFixtures('yahoo');
  return {
    server,
    provider: new YahooProvider({ baseUrl: server.baseUrl, now, timeoutMs: 2_000 }),
  };
}

type ChartBody = {
  chart: {
    result: {
      timestamp: number[];
      indicators: {
        quote: { close: (number | null)[]; open: (number | null)[] }[];
        adjclose: { adjclose: (number | null)[] }[];
      };
    }[];
  };
};

/** A copy of a recorded chart response, for tests that alter it. */
function recordedChart(symbol: string): { response: RecordedResponse; body: ChartBody } {
  const file = path.join(PROVIDER_FIXTURES_DIR, 'yahoo', 'chart', `${symbol}.json`);
  const { response } = JSON.parse(readFileSync(file, 'utf8')) as { response: RecordedResponse };
  return { response, body: response.bodyJson as ChartBody };
}

describe('YahooProvider daily closes', () => {
  it('stores adjclose, not close, and scales open/high/low by the same factor', async () => {
    const { provider } = await setup();
    const { body } = recordedChart('SPY');
    const quote = body.chart.result[0]!.indicators.quote[0]!;
    const adjclose = body.chart.result[0]!.indicators.adjclose[0]!.adjclose;
    // SPY went ex-dividend on 2026-06-18: before it, close and adjclose differ.
    expect(quote.close[0]).not.toBe(adjclose[0]);

    const result = (await provider.getDailyCloses(['SPY'], FROM, TO)).get('SPY')!;
    if (!result.ok) throw result.error;
    const first = result.value[0]!;
    expect(first.date).toBe('2026-06-01');
    expect(first.close).toBe(adjclose[0]);
    expect(first.open! / first.close).toBeCloseTo(quote.open[0]! / quote.close[0]!, 12);
    // After the ex-date the two agree.
    expect(result.value.at(-1)!.close).toBe(quote.close.at(-1));
  });

  it('dates each bar by the New York session of its 09:30 timestamp', async () => {
    const { provider } = await setup();
    const result = (await provider.getDailyCloses(['AAPL'], '2026-07-02', '2026-07-07')).get(
      'AAPL',
    )!;
    if (!result.ok) throw result.error;
    // 2026-07-03 is the observed Independence Day holiday.
    expect(result.value.map((b) => b.date)).toEqual(['2026-07-02', '2026-07-06', '2026-07-07']);
  });

  it('refuses a series with a close but no adjclose (it would store unadjusted prices)', async () => {
    const { provider, server } = await setup();
    const { response, body } = recordedChart('AAPL');
    body.chart.result[0]!.indicators.adjclose[0]!.adjclose[5] = null;
    server.inject('/v8/finance/chart/AAPL', { kind: 'respond', response });
    const result = (await provider.getDailyCloses(['AAPL'], FROM, TO)).get('AAPL')!;
    expect(!result.ok && result.error.code).toBe('malformed_response');
  });

  it("skips Yahoo's all-null padding rows and keeps the later of two rows for one session", async () => {
    const { provider, server } = await setup();
    const { response, body } = recordedChart('AAPL');
    const series = body.chart.result[0]!;
    const q = series.indicators.quote[0]! as unknown as Record<string, (number | null)[]>;
    const adj = series.indicators.adjclose[0]!.adjclose;
    // Row 3 becomes all nulls; a live row for the last session is appended at 15:59 New York.
    for (const key of Object.keys(q)) q[key]![3] = null;
    adj[3] = null;
    series.timestamp.push(series.timestamp.at(-1)! + 6.5 * 3600 - 60);
    for (const key of Object.keys(q)) q[key]!.push(q[key]!.at(-1)!);
    q.close!.splice(-1, 1, 311.5);
    adj.push(311.5);
    server.inject('/v8/finance/chart/AAPL', { kind: 'respond', response });
    const result = (await provider.getDailyCloses(['AAPL'], FROM, TO)).get('AAPL')!;
    if (!result.ok) throw result.error;
    expect(result.value).toHaveLength(42);
    expect(result.value.at(-1)).toMatchObject({ date: '2026-07-31', close: 311.5 });
  });

  it("maps a 404 to unknown_symbol with Yahoo's own description", async () => {
    const { provider } = await setup();
    const result = (await provider.getDailyCloses(['XYZQQ'], FROM, TO)).get('XYZQQ')!;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('unknown_symbol');
    expect(result.error.message).toMatch(/symbol may be delisted/);
  });

  it('maps 429 to a retryable rate_limited', async () => {
    const { provider, server } = await setup();
    server.inject('/v8/finance/chart/AAPL', {
      kind: 'status',
      status: 429,
      body: 'Too Many Requests',
      headers: { 'content-type': 'text/plain' },
    });
    const result = (await provider.getDailyCloses(['AAPL'], FROM, TO)).get('AAPL')!;
    expect(!result.ok && [result.error.code, result.error.retryable]).toEqual([
      'rate_limited',
      true,
    ]);
  });

  it('rejects when the caller aborts instead of failing symbols', async () => {
    const { provider, server } = await setup();
    server.inject('/v8/finance/chart/AAPL', { kind: 'delay', ms: 2_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled')), 50);
    await expect(
      provider.getDailyCloses(['AAPL'], FROM, TO, { signal: controller.signal }),
    ).rejects.toThrow('cancelled');
  });

  it('does not count a session still trading as the latest available date', async () => {
    const { provider } = await setup(() => new Date('2026-07-31T15:00:00Z'));
    expect(await provider.latestAvailableDate()).toBe('2026-07-30');
  });
});

describe('YahooProvider profiles and fundamentals', () => {
  it('maps quoteSummary onto the profile, sectors as GICS', async () => {
    const { provider } = await setup();
    const results = await provider.getProfiles(['AAPL', 'SPY']);
    const aapl = results.get('AAPL')!;
    if (!aapl.ok) throw aapl.error;
    expect(aapl.value).toMatchObject({
      name: 'Apple Inc.',
      sector: 'Information Technology',
      industry: 'Consumer Electronics',
      exchange: 'NasdaqGS',
      country: 'US',
      isEtf: false,
      beta: 1.109,
      betaSource: 'yahoo:beta',
      nextEarningsDate: '2026-10-29',
    });
    expect(aapl.value.peRatio).toBeGreaterThan(30);
    const spy = results.get('SPY')!;
    if (!spy.ok) throw spy.error;
    expect(spy.value).toMatchObject({
      isEtf: true,
      sector: null,
      beta: 1,
      betaSource: 'yahoo:beta3Year',
      dividendYield: 0.0108,
      nextEarningsDate: null,
    });
  });

  it('does the cookie/crumb handshake once per provider', async () => {
    const { provider, server } = await setup();
    await provider.getProfiles(['AAPL']);
    await provider.getProfiles(['MSFT']);
    await provider.getFundamentals(['AAPL']);
    expect(server.requestCount('/v1/test/getcrumb')).toBe(1);
    expect(server.requestCount('/quote/AAPL')).toBe(1);
    const summary = server.requests.find((r) => r.path.startsWith('/v10/'))!;
    expect(summary.query.get('crumb')).toBe('kq7RmX2pT9v');
  });

  it('reads earnings and EPS into fundamentals; a fund has none', async () => {
    const { provider } = await setup();
    const results = await provider.getFundamentals(['MSFT', 'SPY']);
    expect(results.get('MSFT')).toEqual({
      ok: true,
      value: {
        symbol: 'MSFT',
        nextEarningsDate: '2026-10-28',
        lastEarningsDate: null,
        trailingEps: 13.58,
        forwardEps: 15.21,
        revenueTtm: 305_500_000_000,
      },
    });
    const spy = results.get('SPY')!;
    expect(!spy.ok && spy.error.code).toBe('no_data');
  });

  it('calls a response that fails schema validation malformed', async () => {
    const { provider, server } = await setup();
    server.inject('/v10/finance/quoteSummary/AAPL', {
      kind: 'respond',
      response: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        bodyJson: { quoteSummary: { result: [{ price: { symbol: 42 } }], error: null } },
      },
    });
    const result = (await provider.getProfiles(['AAPL'])).get('AAPL')!;
    expect(!result.ok && result.error.code).toBe('malformed_response');
  });
});
