import type {
  ThrottleCount,
  ThrottleStore,
} from '../../db/repositories/login-throttle-repository.ts';

export type { ThrottleStore };

/** The in-memory store; above `sweepAbove` keys, expired ones are swept out. */
export class MemoryThrottleStore implements ThrottleStore {
  readonly counts = new Map<string, ThrottleCount>();
  constructor(private readonly sweepAbove = 10_000) {}

  async read(keys: readonly string[]): Promise<Map<string, ThrottleCount>> {
    const out = new Map<string, ThrottleCount>();
    for (const key of keys) {
      const count = this.counts.get(key);
      if (count) out.set(key, count);
    }
    return out;
  }

  async recordFailure(keys: readonly string[], nowMs: number, windowMs: number): Promise<void> {
    for (const key of keys) {
      const count = this.counts.get(key);
      if (!count || count.windowStartedAtMs <= nowMs - windowMs) {
        this.counts.set(key, { failures: 1, windowStartedAtMs: nowMs });
      } else {
        count.failures++;
      }
    }
    if (this.counts.size > this.sweepAbove) {
      for (const [key, count] of this.counts) {
        if (count.windowStartedAtMs <= nowMs - windowMs) this.counts.delete(key);
      }
    }
  }

  async clear(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.counts.delete(key);
  }
}

/**
 * Failed-login limits: at most `maxFailures` failures per key in a window (`address:` keys get
 * `addressMaxFailures`, more, because an office shares one address). The counts live in a
 * store — the database in the server, so they hold across processes and restarts. Which keys a
 * login is judged by, and which a success clears, is the auth service's policy.
 */
export class LoginRateLimiter {
  private readonly memory: MemoryThrottleStore;
  readonly addressMaxFailures: number;

  constructor(
    readonly maxFailures = 10,
    readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
    /** Above this many keys, the in-memory store sweeps out expired ones. */
    sweepAbove = 10_000,
    options: { addressMaxFailures?: number } = {},
  ) {
    this.memory = new MemoryThrottleStore(sweepAbove);
    this.addressMaxFailures = options.addressMaxFailures ?? Math.max(maxFailures, 30);
  }

  /** Keys the in-memory store currently remembers (for tests). */
  get size(): number {
    return this.memory.counts.size;
  }

  private limitOf(key: string): number {
    return key.startsWith('address:') ? this.addressMaxFailures : this.maxFailures;
  }

  /** Seconds until every key may try again, or 0 when all may try now. */
  async retryAfterSeconds(
    keys: readonly string[],
    store: ThrottleStore = this.memory,
  ): Promise<number> {
    const now = this.now();
    let wait = 0;
    for (const [key, count] of await store.read(keys)) {
      const endsAt = count.windowStartedAtMs + this.windowMs;
      if (endsAt <= now) {
        if (store === this.memory) await store.clear([key]);
        continue;
      }
      if (count.failures >= this.limitOf(key)) {
        wait = Math.max(wait, Math.ceil((endsAt - now) / 1000));
      }
    }
    return wait;
  }

  async recordFailure(keys: readonly string[], store: ThrottleStore = this.memory): Promise<void> {
    await store.recordFailure(keys, this.now(), this.windowMs);
  }

  async recordSuccess(keys: readonly string[], store: ThrottleStore = this.memory): Promise<void> {
    await store.clear(keys);
  }
}
