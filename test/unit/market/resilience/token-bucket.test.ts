import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../../src/market/resilience/token-bucket.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';

/** Starts `acquire`s in order and records when (fake time) each one is granted. */
function recordGrants(
  clock: FakeClock,
  bucket: TokenBucket,
  requests: (number | [label: string, n: number])[],
) {
  const granted: string[] = [];
  const done = requests.map((r, i) => {
    const [label, n] = typeof r === 'number' ? [`#${i}`, r] : r;
    return bucket.acquire(n).then(() => granted.push(`${label}@${clock.now()}`));
  });
  return { granted, done: Promise.all(done) };
}

describe('TokenBucket', () => {
  it('grants a burst of `capacity` at once, then one request per 1/rate seconds', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 2, clock });
    const { granted, done } = recordGrants(clock, bucket, [1, 1, 1, 1, 1, 1]);
    await clock.advance(0);
    expect(granted).toEqual(['#0@0', '#1@0', '#2@0']);
    await clock.advance(499);
    expect(granted).toHaveLength(3);
    await clock.advance(1);
    expect(granted).toEqual(['#0@0', '#1@0', '#2@0', '#3@500']);
    await clock.runAll();
    await done;
    expect(granted.slice(3)).toEqual(['#3@500', '#4@1000', '#5@1500']);
  });

  it('refills while idle, but never beyond its capacity', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 1, clock });
    expect(bucket.tryAcquire(2)).toBe(true);
    expect(bucket.available).toBe(0);
    await clock.advance(10_000);
    expect(bucket.available).toBe(2);
    const { granted, done } = recordGrants(clock, bucket, [1, 1, 1]);
    await clock.runAll();
    await done;
    expect(granted).toEqual(['#0@10000', '#1@10000', '#2@11000']);
  });

  it('copes with rates that do not divide a millisecond evenly', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 3, clock });
    const { granted, done } = recordGrants(clock, bucket, [2, 1, 1, 1]);
    await clock.runAll();
    await done;
    // Waits round up to whole milliseconds, and the surplus carries over: no drift.
    expect(granted).toEqual(['#0@0', '#1@334', '#2@667', '#3@1000']);
  });

  it('serves waiters first come, first served: a big request is not overtaken by small ones', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 1, clock });
    const { granted, done } = recordGrants(clock, bucket, [2, ['big', 2], ['small', 1]]);
    // 'big' waits 2 s for 2 tokens; 'small' must queue behind it though a token is back at 1 s.
    await clock.advance(1_000);
    expect(granted).toEqual(['#0@0']);
    expect(bucket.available).toBe(1);
    expect(bucket.tryAcquire()).toBe(false);
    await clock.runAll();
    await done;
    expect(granted).toEqual(['#0@0', 'big@2000', 'small@3000']);
  });

  it('takes `n` tokens for acquire(n)', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 4, refillPerSecond: 2, clock });
    const { granted, done } = recordGrants(clock, bucket, [4, 3]);
    await clock.runAll();
    await done;
    expect(granted).toEqual(['#0@0', '#1@1500']);
  });

  it('drops an aborted waiter without taking tokens and re-plans for the next one', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 1, clock });
    await bucket.acquire(3);
    const controller = new AbortController();
    const big = bucket.acquire(3, controller.signal);
    const small = bucket.acquire(1).then(() => clock.now());
    expect(bucket.waiting).toBe(2);
    await clock.advance(500);
    controller.abort(new Error('caller gave up'));
    await expect(big).rejects.toThrow('caller gave up');
    expect(bucket.waiting).toBe(1);
    await clock.runAll();
    expect(await small).toBe(1_000);
  });

  it('rejects at once when the signal has already aborted', async () => {
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 1, clock: new FakeClock() });
    await expect(bucket.acquire(1, AbortSignal.abort(new Error('no')))).rejects.toThrow('no');
    expect(bucket.available).toBe(1);
  });

  it('refuses requests it could never grant and nonsensical settings', () => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 1, clock: new FakeClock() });
    expect(() => bucket.acquire(3)).toThrow(RangeError);
    expect(() => bucket.acquire(0)).toThrow(RangeError);
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => new TokenBucket({ capacity: 1, refillPerSecond: 0 })).toThrow(RangeError);
  });
});
