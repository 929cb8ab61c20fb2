import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../../src/market/provider.ts';
import { backoffDelay, withRetry } from '../../../../src/market/resilience/retry.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';

const outage = () => new ProviderError('http_error', 'HTTP 500', 'yahoo', { status: 500 });

/** Runs `promise` to completion under the fake clock without an unhandled rejection. */
async function settle<T>(clock: FakeClock, promise: Promise<T>) {
  const settled = promise.then(
    (value) => ({ value, error: undefined }),
    (error: unknown) => ({ value: undefined, error }),
  );
  await clock.runAll();
  return settled;
}

describe('backoffDelay', () => {
  const options = { baseDelayMs: 250, maxDelayMs: 4_000 };

  it('doubles from the base delay and stops at the cap when jitter is off', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((r) => backoffDelay(r, options))).toEqual([
      250, 500, 1_000, 2_000, 4_000, 4_000, 4_000,
    ]);
    expect(backoffDelay(3, { ...options, jitter: 0, random: () => 0.9 })).toBe(1_000);
  });

  it('takes a random share of up to `jitter` off each delay', () => {
    expect(backoffDelay(3, { ...options, jitter: 0.5, random: () => 0 })).toBe(1_000);
    expect(backoffDelay(3, { ...options, jitter: 0.5, random: () => 0.5 })).toBe(750);
    expect(backoffDelay(3, { ...options, jitter: 1, random: () => 0.75 })).toBe(250);
  });
});

describe('withRetry', () => {
  const base = { retries: 3, baseDelayMs: 250, maxDelayMs: 4_000 };

  it('retries transient failures after 250, 500 ms… and returns the first success', async () => {
    const clock = new FakeClock();
    const attempts: number[] = [];
    const delays: number[] = [];
    const promise = withRetry(
      async (attempt) => {
        attempts.push(clock.now());
        if (attempt < 2) throw outage();
        return 'quotes';
      },
      { ...base, clock, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    expect(await settle(clock, promise)).toEqual({ value: 'quotes', error: undefined });
    expect(attempts).toEqual([0, 250, 750]);
    expect(delays).toEqual([250, 500]);
  });

  it('gives up after `retries` extra attempts and rethrows the last error', async () => {
    const clock = new FakeClock();
    const errors = [outage(), outage(), outage(), outage()];
    let calls = 0;
    const promise = withRetry(() => Promise.reject(errors[calls++]), { ...base, clock });
    const { error } = await settle(clock, promise);
    expect(calls).toBe(4);
    expect(error).toBe(errors[3]);
    expect(clock.now()).toBe(250 + 500 + 1_000);
  });

  it('does not retry a non-retryable error', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const unknown = new ProviderError('unknown_symbol', 'no such symbol', 'yahoo');
    const promise = withRetry(() => (calls++, Promise.reject(unknown)), { ...base, clock });
    expect((await settle(clock, promise)).error).toBe(unknown);
    expect(calls).toBe(1);
    expect(clock.now()).toBe(0);
  });

  it('uses the injected randomness for jittered delays', async () => {
    const clock = new FakeClock();
    const delays: number[] = [];
    const promise = withRetry(() => Promise.reject(outage()), {
      ...base,
      retries: 2,
      clock,
      jitter: 1,
      random: () => 0.5,
      onRetry: ({ delayMs }) => delays.push(delayMs),
    });
    await settle(clock, promise);
    expect(delays).toEqual([125, 250]);
  });

  it('lets a custom isRetryable decide', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const promise = withRetry(() => (calls++, Promise.reject(new Error('flaky'))), {
      ...base,
      clock,
      isRetryable: (e) => e instanceof Error && e.message !== 'flaky',
    });
    await settle(clock, promise);
    expect(calls).toBe(1);
  });

  it('stops waiting and retrying once the signal aborts during a backoff', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    let calls = 0;
    const promise = withRetry(() => (calls++, Promise.reject(outage())), {
      ...base,
      clock,
      signal: controller.signal,
    });
    const settled = promise.catch((e: unknown) => e);
    await clock.advance(100);
    controller.abort(new Error('shutdown'));
    await clock.runAll();
    expect(await settled).toMatchObject({ message: 'shutdown' });
    expect(calls).toBe(1);
  });
});
