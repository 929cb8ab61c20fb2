import { describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../../../../src/market/provider.ts';
import { CircuitBreaker } from '../../../../src/market/resilience/circuit-breaker.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';

const outage = () => new ProviderError('http_error', 'HTTP 503', 'yahoo', { status: 503 });
const fails = (error: unknown) => () => Promise.reject(error);
const succeeds = () => Promise.resolve('ok');

function setup(
  options: { failureThreshold?: number; openMs?: number; halfOpenMaxCalls?: number } = {},
) {
  const clock = new FakeClock();
  const breaker = new CircuitBreaker({
    failureThreshold: 3,
    openMs: 30_000,
    name: 'yahoo',
    clock,
    ...options,
  });
  const failTimes = async (n: number) => {
    for (let i = 0; i < n; i++) await expect(breaker.execute(fails(outage()))).rejects.toThrow();
  };
  return { clock, breaker, failTimes };
}

describe('CircuitBreaker', () => {
  it('opens after `failureThreshold` consecutive failures, then fails fast without calling', async () => {
    const { breaker, failTimes } = setup();
    await failTimes(2);
    expect(breaker.state).toBe('closed');
    await failTimes(1);
    expect(breaker.state).toBe('open');

    const fn = vi.fn(succeeds);
    const refused = await breaker.execute(fn).catch((e: unknown) => e);
    expect(fn).not.toHaveBeenCalled();
    expect(refused).toBeInstanceOf(ProviderError);
    expect(refused).toMatchObject({ code: 'circuit_open', provider: 'yahoo', retryable: false });
    expect(breaker.stats()).toEqual({
      state: 'open',
      consecutiveFailures: 3,
      successes: 0,
      failures: 3,
      rejected: 1,
      opens: 1,
    });
  });

  it('needs the failures to be consecutive: a success resets the count', async () => {
    const { breaker, failTimes } = setup();
    await failTimes(2);
    await breaker.execute(succeeds);
    await failTimes(2);
    expect(breaker.state).toBe('closed');
    expect(breaker.stats().consecutiveFailures).toBe(2);
  });

  it('does not count failures that say nothing about the provider (unknown_symbol, non-retryable)', async () => {
    const { breaker } = setup({ failureThreshold: 1 });
    const unknown = new ProviderError('unknown_symbol', 'no such symbol', 'yahoo');
    await expect(breaker.execute(fails(unknown))).rejects.toBe(unknown);
    const malformed = new ProviderError('malformed_response', 'bad body', 'yahoo');
    await expect(breaker.execute(fails(malformed))).rejects.toBe(malformed);
    expect(breaker.state).toBe('closed');
    // A transport error (not a ProviderError) does count.
    await expect(breaker.execute(fails(new TypeError('fetch failed')))).rejects.toThrow();
    expect(breaker.state).toBe('open');
  });

  it('does not count a call the caller aborted', async () => {
    const { breaker } = setup({ failureThreshold: 1 });
    const signal = AbortSignal.abort();
    await expect(breaker.execute(fails(outage()), { signal })).rejects.toThrow();
    expect(breaker.stats()).toMatchObject({ state: 'closed', failures: 0 });
  });

  it('can judge a resolved result a failure', async () => {
    const { breaker } = setup({ failureThreshold: 1 });
    await breaker.execute(() => Promise.resolve('all 503'), {
      isFailureResult: (r) => r === 'all 503',
    });
    expect(breaker.state).toBe('open');
  });

  it('turns half-open after `openMs` and closes on a successful trial call', async () => {
    const { clock, breaker, failTimes } = setup();
    await failTimes(3);
    await clock.advance(29_999);
    expect(breaker.state).toBe('open');
    await clock.advance(1);
    expect(breaker.state).toBe('half_open');
    await expect(breaker.execute(succeeds)).resolves.toBe('ok');
    expect(breaker.stats()).toMatchObject({ state: 'closed', consecutiveFailures: 0, opens: 1 });
  });

  it('reopens for another `openMs` when the half-open trial fails', async () => {
    const { clock, breaker, failTimes } = setup();
    await failTimes(3);
    await clock.advance(30_000);
    await failTimes(1);
    expect(breaker.stats()).toMatchObject({ state: 'open', opens: 2 });
    await clock.advance(29_999);
    expect(breaker.state).toBe('open');
    await expect(breaker.execute(succeeds)).rejects.toMatchObject({ code: 'circuit_open' });
    await clock.advance(1);
    expect(breaker.state).toBe('half_open');
  });

  it('lets only `halfOpenMaxCalls` trial calls through at once', async () => {
    const { clock, breaker, failTimes } = setup({ halfOpenMaxCalls: 1 });
    await failTimes(3);
    await clock.advance(30_000);
    let finishTrial: (value: string) => void = () => {};
    const trial = breaker.execute(() => new Promise<string>((resolve) => (finishTrial = resolve)));
    await expect(breaker.execute(succeeds)).rejects.toMatchObject({ code: 'circuit_open' });
    finishTrial('ok');
    await expect(trial).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
    await expect(breaker.execute(succeeds)).resolves.toBe('ok');
  });

  it('ignores the late outcome of a call started before the circuit changed state', async () => {
    const { breaker, failTimes } = setup();
    let finishSlow: (value: string) => void = () => {};
    const slow = breaker.execute(() => new Promise<string>((resolve) => (finishSlow = resolve)));
    await failTimes(3);
    finishSlow('late');
    await slow;
    // The success predates the outage, so it must not close the open circuit.
    expect(breaker.state).toBe('open');
  });
});
