import { expect, it } from 'vitest';
import { LoginRateLimiter } from '../../../../src/api/auth/login-rate-limiter.ts';

it('blocks a key after its failures in the window and lets it in once they age out', async () => {
  let now = 1_000_000;
  const limiter = new LoginRateLimiter(3, 60_000, () => now);
  for (let i = 0; i < 3; i++) {
    expect(await limiter.retryAfterSeconds(['a@x'])).toBe(0);
    await limiter.recordFailure(['a@x']);
    now += 1_000;
  }
  // The first failure was 3 s ago: it ages out in 57 s.
  expect(await limiter.retryAfterSeconds(['a@x', 'other'])).toBe(57);
  now += 57_000;
  expect(await limiter.retryAfterSeconds(['a@x'])).toBe(0);
  await limiter.recordSuccess(['a@x']);
  expect(limiter.size).toBe(0);
});

it('sweeps expired keys once it remembers too many, so spread-out failures cannot pile up', async () => {
  let now = 0;
  const limiter = new LoginRateLimiter(10, 60_000, () => now, 100);
  for (let i = 0; i < 100; i++) await limiter.recordFailure([`user${i}@x`]);
  expect(limiter.size).toBe(100);
  now += 60_001;
  // The 101st key passes the threshold: the 100 expired ones go, the new one stays.
  await limiter.recordFailure(['late@x']);
  expect(limiter.size).toBe(1);
  expect(await limiter.retryAfterSeconds(['late@x'])).toBe(0);
});
