import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../../src/market/provider.ts';
import { withTimeout } from '../../../../src/market/resilience/retry.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';

/** A call that only ends when its signal aborts, like a fetch honouring its signal. */
function hangUntilAborted(seen: AbortSignal[]) {
  return (signal: AbortSignal) => {
    seen.push(signal);
    return new Promise<string>((_resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  };
}

describe('withTimeout', () => {
  it('returns the result of a call that finishes in time and leaves no timer behind', async () => {
    const clock = new FakeClock();
    const promise = withTimeout(
      (signal) => clock.sleep(400).then(() => (signal.aborted ? 'aborted' : 'done')),
      1_000,
      clock,
    );
    await clock.advance(400);
    await expect(promise).resolves.toBe('done');
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects with a retryable ProviderError "timeout" and aborts the call’s signal', async () => {
    const clock = new FakeClock();
    const seen: AbortSignal[] = [];
    const promise = withTimeout(hangUntilAborted(seen), 1_000, clock, { provider: 'yahoo' });
    const settled = promise.catch((e: unknown) => e);
    await clock.advance(999);
    expect(seen[0]?.aborted).toBe(false);
    await clock.advance(1);
    const error = await settled;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'timeout', provider: 'yahoo', retryable: true });
    expect(seen[0]?.aborted).toBe(true);
    expect(seen[0]?.reason).toBe(error);
  });

  it('times out even a call that ignores its signal', async () => {
    const clock = new FakeClock();
    const promise = withTimeout(() => new Promise<string>(() => {}), 500, clock);
    const settled = promise.catch((e: unknown) => e);
    await clock.advance(500);
    expect(await settled).toMatchObject({ code: 'timeout' });
  });

  it('passes the caller’s abort through to the call, with the caller’s reason', async () => {
    const clock = new FakeClock();
    const caller = new AbortController();
    const seen: AbortSignal[] = [];
    const promise = withTimeout(hangUntilAborted(seen), 1_000, clock, { signal: caller.signal });
    const settled = promise.catch((e: unknown) => e);
    await clock.advance(10);
    caller.abort(new Error('user cancelled'));
    expect(await settled).toMatchObject({ message: 'user cancelled' });
    expect(seen[0]?.aborted).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('turns a synchronous throw into a rejection', async () => {
    const clock = new FakeClock();
    const promise = withTimeout(
      () => {
        throw new Error('bad request');
      },
      1_000,
      clock,
    );
    await expect(promise).rejects.toThrow('bad request');
  });
});
