import { describe, expect, it } from 'vitest';
import type { DailyBar, SymbolResult } from '../../../src/market/provider.ts';
import { FallbackProvider, ProviderRegistry, sourcesOf } from '../../../src/market/registry.ts';
import { ResilientProvider } from '../../../src/market/resilience/resilient-provider.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import {
  allOk,
  perSymbol,
  providerError,
  ScriptedProvider,
} from './resilience/scripted-provider.ts';

const FROM = '2024-07-01';
const TO = '2024-07-10';

const summary = (results: Map<string, SymbolResult<DailyBar[]>>) =>
  Object.fromEntries([...results].map(([s, r]) => [s, r.ok ? 'ok' : r.error.code]));

describe('ProviderRegistry', () => {
  it('lists providers by priority (highest first, ties in registration order) and capability', () => {
    const csv = new ScriptedProvider('csv', allOk, 100, { profiles: false });
    const yahoo = new ScriptedProvider('yahoo', allOk, 100, { fundamentals: true });
    const sample = new ScriptedProvider('sample');
    const polygon = new ScriptedProvider('polygon');
    const registry = new ProviderRegistry()
      .register(sample, { priority: 0 })
      .register(csv, { priority: 10 })
      .register(yahoo, { priority: 20 })
      .register(polygon, { priority: 10 });
    expect(registry.all().map((p) => p.name)).toEqual(['yahoo', 'csv', 'polygon', 'sample']);
    expect(registry.forCapability('profiles').map((p) => p.name)).toEqual([
      'yahoo',
      'polygon',
      'sample',
    ]);
    expect(registry.forCapability('fundamentals').map((p) => p.name)).toEqual(['yahoo']);
    expect(registry.forCapability('optionCloses')).toEqual([]);
    expect(registry.primary()).toBe(yahoo);
    expect(registry.get('csv')).toBe(csv);
  });

  it('refuses two providers with the same name (it is the stored data_source)', () => {
    const registry = new ProviderRegistry().register(new ScriptedProvider('yahoo'));
    expect(() => registry.register(new ScriptedProvider('yahoo'))).toThrow(/already registered/);
  });
});

describe('FallbackProvider', () => {
  function setup() {
    const primary = new ScriptedProvider(
      'yahoo',
      perSymbol((s) => {
        if (s === 'DOWN' || s === 'DOWN2') return 'http_error';
        if (s === 'NODATA') return 'no_data';
        if (s === 'TYPO') return 'unknown_symbol';
        if (s === 'GONE') return 'delisted';
        return 'ok';
      }, 'yahoo'),
    );
    const secondary = new ScriptedProvider(
      'polygon',
      perSymbol((s) => (s === 'DOWN2' ? 'no_data' : 'ok'), 'polygon'),
    );
    const tertiary = new ScriptedProvider('sample');
    const registry = new ProviderRegistry()
      .register(tertiary, { priority: 1 })
      .register(primary, { priority: 3 })
      .register(secondary, { priority: 2 });
    return { primary, secondary, tertiary, provider: new FallbackProvider(registry) };
  }

  it('asks providers in priority order for what is still failing, and merges the answers', async () => {
    const { primary, secondary, tertiary, provider } = setup();
    const symbols = ['AAPL', 'DOWN', 'TYPO', 'NODATA', 'GONE', 'DOWN2'];
    const results = await provider.getDailyCloses(symbols, FROM, TO);

    expect(primary.closeCalls).toEqual([symbols]);
    // unknown_symbol and delisted are final: the fallback is not asked about them.
    expect(secondary.closeCalls).toEqual([['DOWN', 'NODATA', 'DOWN2']]);
    expect(tertiary.closeCalls).toEqual([['DOWN2']]);
    expect([...results.keys()]).toEqual(symbols);
    expect(summary(results)).toEqual({
      AAPL: 'ok',
      DOWN: 'ok',
      TYPO: 'unknown_symbol',
      NODATA: 'ok',
      GONE: 'delisted',
      DOWN2: 'ok',
    });
    expect(Object.fromEntries(sourcesOf(results) ?? [])).toEqual({
      AAPL: 'yahoo',
      DOWN: 'polygon',
      TYPO: 'yahoo',
      NODATA: 'polygon',
      GONE: 'yahoo',
      DOWN2: 'sample',
    });
  });

  it('keeps the last provider’s failure when nobody has the symbol', async () => {
    const primary = new ScriptedProvider(
      'yahoo',
      perSymbol(() => 'http_error', 'yahoo'),
    );
    const secondary = new ScriptedProvider(
      'polygon',
      perSymbol(() => 'no_data', 'polygon'),
    );
    const registry = new ProviderRegistry()
      .register(primary, { priority: 2 })
      .register(secondary, { priority: 1 });
    const results = await new FallbackProvider(registry).getDailyCloses(['X'], FROM, TO);
    expect(results.get('X')).toMatchObject({
      ok: false,
      error: { code: 'no_data', provider: 'polygon' },
    });
    expect(sourcesOf(results)?.get('X')).toBe('polygon');
  });

  it('falls back for the whole chunk when a provider throws', async () => {
    const primary = new ScriptedProvider('yahoo', async () => {
      throw new TypeError('fetch failed');
    });
    const secondary = new ScriptedProvider('polygon');
    const registry = new ProviderRegistry()
      .register(primary, { priority: 2 })
      .register(secondary, { priority: 1 });
    const results = await new FallbackProvider(registry).getDailyCloses(['A', 'B'], FROM, TO);
    expect(summary(results)).toEqual({ A: 'ok', B: 'ok' });
    expect(secondary.closeCalls).toEqual([['A', 'B']]);
    expect(sourcesOf(results)?.get('A')).toBe('polygon');
  });

  it('skips a primary whose circuit is open without calling it', async () => {
    const clock = new FakeClock();
    const flaky = new ScriptedProvider('yahoo', async () => {
      throw providerError('http_error', 'yahoo', { status: 503 });
    });
    const yahoo = new ResilientProvider(flaky, { retries: 0, failureThreshold: 1, clock });
    const polygon = new ScriptedProvider('polygon');
    const registry = new ProviderRegistry()
      .register(yahoo, { priority: 2 })
      .register(polygon, { priority: 1 });
    const provider = new FallbackProvider(registry);

    await provider.getDailyCloses(['A'], FROM, TO);
    expect(yahoo.circuitState).toBe('open');
    const results = await provider.getDailyCloses(['A', 'B'], FROM, TO);
    expect(flaky.closeCalls).toHaveLength(1);
    expect(summary(results)).toEqual({ A: 'ok', B: 'ok' });
    expect(polygon.closeCalls).toEqual([['A'], ['A', 'B']]);
  });

  it('chunks to each provider’s own maxSymbolsPerRequest', async () => {
    const primary = new ScriptedProvider(
      'yahoo',
      perSymbol(() => 'http_error'),
      10,
    );
    const secondary = new ScriptedProvider('polygon', allOk, 2);
    const registry = new ProviderRegistry()
      .register(primary, { priority: 2 })
      .register(secondary, { priority: 1 });
    const provider = new FallbackProvider(registry);
    expect(provider.maxSymbolsPerRequest).toBe(10);
    await provider.getDailyCloses(['A', 'B', 'C', 'D', 'E'], FROM, TO);
    expect(secondary.closeCalls).toEqual([['A', 'B'], ['C', 'D'], ['E']]);
  });

  it('only asks providers with the capability', async () => {
    const csv = new ScriptedProvider('csv', allOk, 100, { profiles: false });
    const sample = new ScriptedProvider('sample');
    const registry = new ProviderRegistry()
      .register(csv, { priority: 2 })
      .register(sample, { priority: 1 });
    const provider = new FallbackProvider(registry);
    const profiles = await provider.getProfiles(['AAPL']);
    expect(profiles.get('AAPL')?.ok).toBe(true);
    expect(csv.calls).toEqual([]);
    expect(sourcesOf(profiles)?.get('AAPL')).toBe('sample');

    const fundamentals = await provider.getFundamentals(['AAPL']);
    expect(fundamentals.get('AAPL')).toMatchObject({ ok: false, error: { code: 'not_supported' } });
    expect(provider.capabilities).toEqual({
      dailyCloses: true,
      profiles: true,
      fundamentals: false,
      optionCloses: false,
      treasuryBillRates: false,
    });
  });

  it('reports its providers in its name and takes the latest date from the primary', async () => {
    const { primary, secondary, provider } = setup();
    primary.latestDate = '2024-07-09';
    secondary.latestDate = '2024-07-10';
    expect(provider.name).toBe('yahoo>polygon>sample');
    await expect(provider.latestAvailableDate()).resolves.toBe('2024-07-09');
    expect(secondary.calls).toEqual([]);

    // Only when the primary cannot say does the next provider's date stand in.
    primary.latestScript = async () => {
      throw providerError('circuit_open', 'yahoo');
    };
    await expect(provider.latestAvailableDate()).resolves.toBe('2024-07-10');
  });

  it('propagates the caller’s abort instead of falling back', async () => {
    const caller = new AbortController();
    const primary = new ScriptedProvider('yahoo', async () => {
      caller.abort(new Error('cancelled'));
      throw caller.signal.reason;
    });
    const secondary = new ScriptedProvider('polygon');
    const registry = new ProviderRegistry()
      .register(primary, { priority: 2 })
      .register(secondary, { priority: 1 });
    const promise = new FallbackProvider(registry).getDailyCloses(['A'], FROM, TO, {
      signal: caller.signal,
    });
    await expect(promise).rejects.toThrow('cancelled');
    expect(secondary.calls).toEqual([]);
  });

  it('leaves sourcesOf undefined for maps it did not produce', async () => {
    const results = await new ScriptedProvider('yahoo').getDailyCloses(['A'], FROM, TO);
    expect(sourcesOf(results)).toBeUndefined();
  });
});
