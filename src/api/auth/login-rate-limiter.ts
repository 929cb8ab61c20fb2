/**
 * Failed-login throttle: at most `maxFailures` failures per key (e-mail and client address,
 * counted separately) in a sliding window. Kept in process memory: with several instances an
 * attacker gets `maxFailures` per instance, still far too few to guess a password, and a
 * database table would turn every login into a write.
 */
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 10,
    private readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
    /** Above this many keys, expired ones are swept out (a key is otherwise pruned on use). */
    private readonly sweepAbove = 10_000,
  ) {}

  /** Keys currently remembered (for tests and metrics). */
  get size(): number {
    return this.failures.size;
  }

  /** Seconds until the key may try again, or 0 when it may try now. */
  retryAfterSeconds(keys: readonly string[]): number {
    const now = this.now();
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.maxFailures) {
        wait = Math.max(wait, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
      }
    }
    return wait;
  }

  recordFailure(keys: readonly string[]): void {
    const now = this.now();
    for (const key of keys) this.failures.set(key, [...this.recent(key, now), now]);
    // Failures spread over many e-mails and addresses would otherwise stay in memory for good:
    // a key is pruned only when it is asked about again.
    if (this.failures.size > this.sweepAbove) {
      for (const key of [...this.failures.keys()]) this.recent(key, now);
    }
  }

  recordSuccess(keys: readonly string[]): void {
    for (const key of keys) this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }
}
