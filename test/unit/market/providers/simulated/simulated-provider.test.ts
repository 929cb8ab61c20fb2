import { describe, expect, it } from 'vitest';
import { tradingSessionsBetween } from '../../../../../src/domain/calendar/index.ts';
import type { DailyBar, SymbolResult } from '../../../../../src/market/provider.ts';
import {
  SIMULATED_BASE_DATE,
  SIMULATED_BETA_SOURCE,
  SimulatedProvider,
} from '../../../../../src/market/providers/simulated/simulated-provider.ts';

function bars(result: SymbolResult<DailyBar[]> | undefined): DailyBar[] {
  if (!result?.ok) throw result?.error ?? new Error('no result');
  return result.value;
}

async function closesOf(provider: SimulatedProvider, symbol: string, from: string, to: string) {
  return bars((await provider.getDailyCloses([symbol], from, to)).get(symbol));
}

const logReturns = (series: DailyBar[]) =>
  series.slice(1).map((b, i) => Math.log(b.close / series[i]!.close));

function slope(y: number[], x: number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let cov = 0;
  let varX = 0;
  x.forEach((xi, i) => {
    cov += (xi - mx) * (y[i]! - my);
    varX += (xi - mx) ** 2;
  });
  return cov / varX;
}

describe('SimulatedProvider', () => {
  it('gives the same closes for a symbol whatever range, instance or end date is asked', async () => {
    const a = new SimulatedProvider();
    const b = new SimulatedProvider({ latestDate: '2025-12-31' });
    const wide = await closesOf(a, 'ACME', '2025-01-01', '2025-12-31');
    const narrow = await closesOf(b, 'ACME', '2025-06-02', '2025-06-06');
    expect(narrow).toEqual(wide.filter((x) => x.date >= '2025-06-02' && x.date <= '2025-06-06'));
    expect(await closesOf(new SimulatedProvider(), 'ACME', '2025-01-01', '2025-12-31')).toEqual(
      wide,
    );
  });

  it('changes every series with the seed', async () => {
    const one = await closesOf(
      new SimulatedProvider({ seed: 1 }),
      'ACME',
      '2026-07-01',
      '2026-07-31',
    );
    const two = await closesOf(
      new SimulatedProvider({ seed: 2 }),
      'ACME',
      '2026-07-01',
      '2026-07-31',
    );
    expect(one.map((b) => b.close)).not.toEqual(two.map((b) => b.close));
  });

  it('has a close on every NYSE session from the base date to latestDate, and nothing else', async () => {
    const provider = new SimulatedProvider({ latestDate: '2016-03-31' });
    const series = await closesOf(provider, 'ACME', '2014-01-01', '2030-01-01');
    expect(series.map((b) => b.date)).toEqual(
      tradingSessionsBetween(SIMULATED_BASE_DATE, '2016-03-31'),
    );
    expect(await provider.latestAvailableDate()).toBe('2016-03-31');
    const after = (await provider.getDailyCloses(['ACME'], '2016-04-01', '2016-04-30')).get(
      'ACME',
    )!;
    expect(!after.ok && after.error.code).toBe('no_data');
  });

  it('ends at the last completed session of `now` when no latestDate is given', async () => {
    // Friday 2026-07-31 at 15:00 in New York: Thursday is the last completed session.
    const provider = new SimulatedProvider({ now: new Date('2026-07-31T19:00:00Z') });
    expect(await provider.latestAvailableDate()).toBe('2026-07-30');
    expect(await new SimulatedProvider().latestAvailableDate()).toBe('2026-07-31');
  });

  it('makes factor ETFs their own factor, so a beta estimated on SPY recovers the true beta', async () => {
    const provider = new SimulatedProvider();
    // The whole history (~2,900 sessions) keeps the estimate's standard error near 0.04.
    const from = SIMULATED_BASE_DATE;
    const to = '2026-07-31';
    const spy = logReturns(await closesOf(provider, 'SPY', from, to));
    for (const symbol of ['AAPL', 'ZZZ.B', 'small cap 7', 'QQQ']) {
      const stock = logReturns(await closesOf(provider, symbol, from, to));
      const truth = provider.loadings(symbol).marketBeta;
      expect(Math.abs(slope(stock, spy) - truth), symbol).toBeLessThan(0.12);
    }
    // VTV = 0.9 · market + its own part, independent of the market.
    const vtv = logReturns(await closesOf(provider, 'VTV', from, to));
    expect(slope(vtv, spy)).toBeCloseTo(0.9, 1);
    expect(provider.loadings('VTV')).toMatchObject({
      marketBeta: 0.9,
      isFactorEtf: true,
      idioVol: 0,
    });
  });

  it('draws idiosyncratic noise as iid normals with the stated volatility', async () => {
    const provider = new SimulatedProvider();
    const from = SIMULATED_BASE_DATE;
    const to = '2026-07-31';
    const etfs = ['SPY', 'TLT', 'MTUM', 'VTV', 'VUG', 'IWM', 'QUAL', 'USMV'];
    const returns = new Map<string, number[]>();
    for (const etf of etfs) returns.set(etf, logReturns(await closesOf(provider, etf, from, to)));
    const spy = returns.get('SPY')!;
    const l = provider.loadings('ACME');
    const stock = logReturns(await closesOf(provider, 'ACME', from, to));
    // Strip the factor parts; what is left is alpha + idioVol · ε.
    const residual = stock.map((r, i) => {
      let rest = r - l.alpha - l.marketBeta * spy[i]!;
      for (const etf of etfs.slice(1)) {
        const own = returns.get(etf)![i]! - provider.loadings(etf).marketBeta * spy[i]!;
        rest -= l.styleLoadings[etf]! * own;
      }
      return rest / l.idioVol;
    });
    const mean = residual.reduce((a, b) => a + b, 0) / residual.length;
    const variance = residual.reduce((a, b) => a + (b - mean) ** 2, 0) / residual.length;
    const lag1 = slope(residual.slice(1), residual.slice(0, -1));
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(Math.sqrt(variance)).toBeCloseTo(1, 1);
    expect(Math.abs(lag1)).toBeLessThan(0.06);
  });

  it('reports the true market beta in profiles', async () => {
    const provider = new SimulatedProvider();
    const results = await provider.getProfiles(['ACME', 'SPY']);
    const acme = results.get('ACME')!;
    if (!acme.ok) throw acme.error;
    expect(acme.value).toMatchObject({
      beta: provider.loadings('ACME').marketBeta,
      betaSource: SIMULATED_BETA_SOURCE,
      isEtf: false,
    });
    expect(acme.value.sector).toEqual(expect.any(String));
    expect(acme.value.nextEarningsDate! > '2026-07-31').toBe(true);
    const spy = results.get('SPY')!;
    expect(spy.ok && spy.value).toMatchObject({ isEtf: true, beta: 1, sector: null });
  });

  it('fails the configured symbols with the configured codes', async () => {
    const provider = new SimulatedProvider({
      failSymbols: { DOWN: 'http_error', SLOW: 'timeout', GONE: 'delisted' },
    });
    const results = await provider.getDailyCloses(
      ['DOWN', 'SLOW', 'GONE', 'FINE'],
      '2026-07-01',
      '2026-07-31',
    );
    const codes = Object.fromEntries(
      [...results].map(([s, r]) => [s, r.ok ? 'ok' : `${r.error.code}:${r.error.retryable}`]),
    );
    expect(codes).toEqual({
      DOWN: 'http_error:true',
      SLOW: 'timeout:true',
      GONE: 'delisted:false',
      FINE: 'ok',
    });
  });

  it('waits latencyMs per call, and stops waiting when the caller aborts', async () => {
    const provider = new SimulatedProvider({ latencyMs: 80 });
    const started = Date.now();
    await provider.getDailyCloses(['ACME'], '2026-07-01', '2026-07-31');
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled')), 10);
    await expect(
      provider.getDailyCloses(['ACME'], '2026-07-01', '2026-07-31', { signal: controller.signal }),
    ).rejects.toThrow('cancelled');
  });

  // Its speed is measured by the symbol-batch benchmark (bench/), not asserted here.
  it('generates 3,000 symbols × 1 year in one call', async () => {
    const provider = new SimulatedProvider();
    const symbols = Array.from({ length: 3_000 }, (_, i) => `SYM${i}`);
    const results = await provider.getDailyCloses(symbols, '2025-08-01', '2026-07-31');
    expect(results.size).toBe(3_000);
    expect(bars(results.get('SYM2999'))).toHaveLength(251);
  });
});
