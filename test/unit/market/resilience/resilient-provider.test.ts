import { describe, expect, it } from 'vitest';
import { ok, type DailyBar, type SymbolResult } from '../../../../src/market/provider.ts';
import {
  DEFAULT_RESILIENCE_OPTIONS,
  resolveResilienceOptions,
  type ResilienceOptions,
} from '../../../../src/market/resilience/resilience-options.ts';
import { ResilientProvider } from '../../../../src/market/resilience/resilient-provider.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';
import {
  allOk,
  barsFor,
  perSymbol,
  providerError,
  ScriptedProvider,
  type CloseScript,
} from './scripted-provider.ts';

const FROM = '2024-07-01';
const TO = '2024-07-10';

/** Fast, deterministic settings: no jitter, generous rate limit, unless a test says otherwise. */
function setup(script: CloseScript, options: Partial<ResilienceOptions> = {}, maxPerRequest = 100) {
  const clock = new FakeClock();
  const inner = new ScriptedProvider('yahoo', script, maxPerRequest);
  const provider = new ResilientProvider(inner, {
    requestsPerSecond: 1_000,
    burst: 1_000,
    jitter: 0,
    clock,
    ...options,
  });
  /** Runs a call to completion under the fake clock. */
  const run = async <T>(promise: Promise<T>): Promise<T> => {
    const settled = promise.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    await clock.runAll();
    const outcome = await settled;
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  };
  const closes = (symbols: string[]) => run(provider.getDailyCloses(symbols, FROM, TO));
  return { clock, inner, provider, run, closes };
}

const summary = (results: Map<string, SymbolResult<DailyBar[]>>) =>
  Object.fromEntries([...results].map(([s, r]) => [s, r.ok ? 'ok' : r.error.code]));

describe('ResilientProvider', () => {
  it('retries a call that fails with a transient 500 twice, then returns its answer', async () => {
    const { clock, inner, provider, closes } = setup(async (symbols, call) => {
      if (call < 2) throw providerError('http_error', 'yahoo', { status: 500 });
      return allOk(symbols, call, undefined);
    });
    const results = await closes(['AAPL', 'MSFT']);
    expect(results.get('AAPL')).toEqual(ok(barsFor('AAPL')));
    expect(summary(results)).toEqual({ AAPL: 'ok', MSFT: 'ok' });
    expect(inner.closeCalls).toHaveLength(3);
    // Backoff 250 ms then 500 ms (jitter off).
    expect(clock.now()).toBe(750);
    expect(provider.stats()).toEqual({
      provider: 'yahoo',
      requests: 3,
      retries: 2,
      failures: 2,
      timeouts: 0,
      rejected: 0,
      circuit: 'closed',
      circuitOpens: 0,
    });
  });

  it('re-requests only the symbols that failed transiently and keeps the successes', async () => {
    const { inner, provider, closes } = setup(
      perSymbol((symbol, call) => {
        if (symbol === 'MSFT' && call < 2) return 'rate_limited';
        if (symbol === 'NVDA' && call < 1) return 'timeout';
        return 'ok';
      }),
    );
    const results = await closes(['AAPL', 'MSFT', 'NVDA']);
    expect(summary(results)).toEqual({ AAPL: 'ok', MSFT: 'ok', NVDA: 'ok' });
    expect([...results.keys()]).toEqual(['AAPL', 'MSFT', 'NVDA']);
    expect(inner.closeCalls).toEqual([['AAPL', 'MSFT', 'NVDA'], ['MSFT', 'NVDA'], ['MSFT']]);
    expect(provider.stats()).toMatchObject({ requests: 3, retries: 2, failures: 0 });
  });

  it('passes non-retryable per-symbol failures through untouched and does not retry them', async () => {
    const unknown = providerError('unknown_symbol');
    const noData = providerError('no_data');
    const { inner, provider, closes } = setup(async (symbols) => {
      const out = new Map<string, SymbolResult<DailyBar[]>>();
      for (const s of symbols) {
        if (s === 'ZZZZ') out.set(s, { ok: false, error: unknown });
        else if (s === 'IPO') out.set(s, { ok: false, error: noData });
        else out.set(s, ok(barsFor(s)));
      }
      return out;
    });
    const results = await closes(['AAPL', 'ZZZZ', 'IPO']);
    expect(inner.closeCalls).toHaveLength(1);
    expect(results.get('ZZZZ')).toEqual({ ok: false, error: unknown });
    expect((results.get('ZZZZ') as { error: unknown }).error).toBe(unknown);
    expect((results.get('IPO') as { error: unknown }).error).toBe(noData);
    expect(provider.stats().retries).toBe(0);
  });

  it('returns the last transient failure for a symbol still failing after every retry', async () => {
    const { inner, clock, closes } = setup(
      perSymbol((symbol) => (symbol === 'MSFT' ? 'http_error' : 'ok')),
      { retries: 2 },
    );
    const results = await closes(['AAPL', 'MSFT']);
    expect(summary(results)).toEqual({ AAPL: 'ok', MSFT: 'http_error' });
    expect(inner.closeCalls).toEqual([['AAPL', 'MSFT'], ['MSFT'], ['MSFT']]);
    expect(clock.now()).toBe(250 + 500);
  });

  it('answers every symbol of a chunk with the error when the chunk keeps failing', async () => {
    const { inner, provider, closes } = setup(
      async () => {
        throw new TypeError('fetch failed: ECONNRESET');
      },
      { retries: 1 },
    );
    const results = await closes(['AAPL', 'MSFT']);
    const aapl = results.get('AAPL');
    expect(aapl?.ok).toBe(false);
    expect(aapl).toMatchObject({
      error: { code: 'http_error', provider: 'yahoo', retryable: true },
    });
    expect((aapl as { error: Error }).error.cause).toBeInstanceOf(TypeError);
    expect(summary(results)).toEqual({ AAPL: 'http_error', MSFT: 'http_error' });
    expect(inner.closeCalls).toHaveLength(2);
    expect(provider.stats()).toMatchObject({ requests: 2, retries: 1, failures: 2 });
  });

  it('chunks symbol lists to the inner provider’s maxSymbolsPerRequest, answering in order', async () => {
    const { inner, closes } = setup(allOk, {}, 2);
    const results = await closes(['A', 'B', 'C', 'A', 'D', 'E']);
    expect(inner.closeCalls).toEqual([['A', 'B'], ['C', 'D'], ['E']]);
    expect([...results.keys()]).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(summary(results)).toEqual({ A: 'ok', B: 'ok', C: 'ok', D: 'ok', E: 'ok' });
  });

  it('spends one rate-limit token per request', async () => {
    const { clock, inner, provider, run } = setup(allOk, { requestsPerSecond: 2, burst: 1 }, 1);
    const sentAt: number[] = [];
    inner.closes = async (symbols, call, signal) => {
      sentAt.push(clock.now());
      return allOk(symbols, call, signal);
    };
    await run(provider.getDailyCloses(['A', 'B', 'C'], FROM, TO));
    expect(sentAt).toEqual([0, 500, 1_000]);
  });

  it('times a hung request out, aborts it and retries it', async () => {
    const { clock, inner, provider, closes } = setup(
      (_symbols, _call, signal) =>
        new Promise((_resolve, reject) =>
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true }),
        ),
      { timeoutMs: 1_000, retries: 1 },
    );
    const results = await closes(['AAPL']);
    expect(summary(results)).toEqual({ AAPL: 'timeout' });
    expect(inner.calls.every((c) => c.signal?.aborted)).toBe(true);
    expect(clock.now()).toBe(1_000 + 250 + 1_000);
    expect(provider.stats()).toMatchObject({ requests: 2, retries: 1, timeouts: 2, failures: 2 });
  });

  it('opens the circuit after repeated failures, fails fast, then half-opens after openMs', async () => {
    let down = true;
    const { clock, inner, provider, closes } = setup(
      async (symbols, call, signal) => {
        if (down) throw providerError('http_error', 'yahoo', { status: 503 });
        return allOk(symbols, call, signal);
      },
      { retries: 0, failureThreshold: 3, openMs: 30_000 },
    );
    for (let i = 0; i < 3; i++) await closes(['AAPL']);
    expect(provider.circuitState).toBe('open');
    expect(inner.closeCalls).toHaveLength(3);

    const refused = await closes(['AAPL', 'MSFT']);
    expect(summary(refused)).toEqual({ AAPL: 'circuit_open', MSFT: 'circuit_open' });
    expect(inner.closeCalls).toHaveLength(3);
    expect(provider.stats()).toMatchObject({ rejected: 1, circuit: 'open', circuitOpens: 1 });

    await clock.advance(30_000);
    expect(provider.circuitState).toBe('half_open');
    down = false;
    expect(summary(await closes(['AAPL']))).toEqual({ AAPL: 'ok' });
    expect(provider.circuitState).toBe('closed');
  });

  it('stops retrying as soon as the circuit opens mid-retries', async () => {
    const { inner, closes } = setup(
      async () => {
        throw providerError('http_error');
      },
      { retries: 5, failureThreshold: 2 },
    );
    const results = await closes(['AAPL']);
    expect(summary(results)).toEqual({ AAPL: 'circuit_open' });
    expect(inner.closeCalls).toHaveLength(2);
  });

  it('counts a response in which every symbol failed transiently against the circuit', async () => {
    const { provider, closes } = setup(
      perSymbol(() => 'rate_limited'),
      {
        retries: 0,
        failureThreshold: 2,
      },
    );
    await closes(['A', 'B']);
    await closes(['A', 'B']);
    expect(provider.circuitState).toBe('open');
  });

  it('retries latestAvailableDate and throws a ProviderError once retries are spent', async () => {
    const { inner, provider, run } = setup(allOk, { retries: 2, latestDateTtlMs: 0 });
    inner.latestScript = async (call) => {
      if (call < 1) throw providerError('timeout');
      return '2024-07-10';
    };
    await expect(run(provider.latestAvailableDate())).resolves.toBe('2024-07-10');

    inner.latestScript = async () => {
      throw new Error('socket hang up');
    };
    await expect(run(provider.latestAvailableDate())).rejects.toMatchObject({
      name: 'ProviderError',
      code: 'http_error',
      provider: 'yahoo',
    });
    expect(provider.stats()).toMatchObject({ requests: 5, retries: 3 });
  });

  it('reuses a latestAvailableDate answer for a minute, and never a failure', async () => {
    const { clock, inner, provider, run } = setup(allOk, { retries: 0 });
    const answers = ['2024-07-10', '2024-07-11'];
    let failNext = true;
    inner.latestScript = async (call) => {
      if (failNext) {
        failNext = false;
        throw providerError('timeout');
      }
      return answers[call - 1]!;
    };
    await expect(run(provider.latestAvailableDate())).rejects.toMatchObject({ code: 'timeout' });
    // The failure was not kept: the next call asks again.
    await expect(run(provider.latestAvailableDate())).resolves.toBe('2024-07-10');
    await clock.advance(59_999);
    await expect(run(provider.latestAvailableDate())).resolves.toBe('2024-07-10');
    const asked = () => inner.calls.filter((c) => c.method === 'latestAvailableDate').length;
    expect(asked()).toBe(2);
    await clock.advance(1);
    await expect(run(provider.latestAvailableDate())).resolves.toBe('2024-07-11');
    expect(asked()).toBe(3);
  });

  it('rejects with the caller’s reason when the caller aborts, without counting a failure', async () => {
    const { clock, provider } = setup(async () => {
      throw providerError('http_error');
    });
    const caller = new AbortController();
    const promise = provider.getDailyCloses(['AAPL'], FROM, TO, { signal: caller.signal });
    const settled = promise.catch((e: unknown) => e);
    await clock.advance(100);
    caller.abort(new Error('batch cancelled'));
    await clock.runAll();
    expect(await settled).toMatchObject({ message: 'batch cancelled' });
    expect(provider.stats()).toMatchObject({ requests: 1, retries: 1, circuit: 'closed' });
  });

  it('mirrors the inner provider: name, capabilities, chunk size, optional methods', () => {
    const { provider } = setup(allOk, {}, 50);
    expect(provider.name).toBe('yahoo');
    expect(provider.maxSymbolsPerRequest).toBe(50);
    expect(provider.capabilities.fundamentals).toBe(false);
    expect(provider.getFundamentals).toBeUndefined();
    expect(provider.getOptionCloses).toBeUndefined();
  });
});

describe('resolveResilienceOptions', () => {
  it('layers defaults, the provider’s own defaults and explicit overrides', () => {
    expect(resolveResilienceOptions('sample')).toEqual(DEFAULT_RESILIENCE_OPTIONS);
    expect(resolveResilienceOptions('polygon')).toMatchObject({
      requestsPerSecond: 5 / 60,
      burst: 5,
      retries: 3,
    });
    expect(resolveResilienceOptions('yahoo', { burst: 1, retries: undefined })).toMatchObject({
      requestsPerSecond: 2,
      burst: 1,
      retries: 3,
      timeoutMs: 10_000,
    });
  });
});
