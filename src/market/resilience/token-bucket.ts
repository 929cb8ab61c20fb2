import { systemClock, type Clock } from './clock.ts';

export interface TokenBucketOptions {
  /** Most tokens held at once: the burst a fresh or idle bucket allows. */
  capacity: number;
  /** Steady rate tokens come back at. */
  refillPerSecond: number;
  clock?: Clock;
  /** Tokens at start; a full bucket unless told otherwise. */
  initialTokens?: number;
}

interface Waiter {
  n: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** Float refills (e.g. 1/3 token per ms) must not leave a waiter short by a rounding error. */
const EPSILON = 1e-9;

/**
 * A rate limiter: `acquire` resolves once the tokens are taken. Waiters are served strictly in
 * arrival order, so a request for several tokens is never starved by a stream of single-token
 * requests slipping past it, and a late caller never jumps a queue even when a token is free.
 */
export class TokenBucket {
  readonly capacity: number;
  readonly refillPerSecond: number;
  private readonly clock: Clock;
  private tokens: number;
  private lastRefill: number;
  private readonly queue: Waiter[] = [];
  private pumping = false;
  /** Interrupts the pump's sleep when the waiter it sleeps for gives up. */
  private wake: AbortController | null = null;

  constructor(options: TokenBucketOptions) {
    if (!(options.capacity >= 1)) throw new RangeError('TokenBucket capacity must be ≥ 1');
    if (!(options.refillPerSecond > 0) || !Number.isFinite(options.refillPerSecond)) {
      throw new RangeError('TokenBucket refillPerSecond must be a positive finite number');
    }
    this.capacity = options.capacity;
    this.refillPerSecond = options.refillPerSecond;
    this.clock = options.clock ?? systemClock;
    this.tokens = Math.min(options.initialTokens ?? options.capacity, options.capacity);
    this.lastRefill = this.clock.now();
  }

  /** Tokens available right now (fractional while refilling). */
  get available(): number {
    this.refill();
    return this.tokens;
  }

  /** Callers queued for tokens. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Takes `n` tokens if that is possible right now without jumping the queue. */
  tryAcquire(n = 1): boolean {
    this.check(n);
    this.refill();
    if (this.queue.length > 0 || this.tokens < n - EPSILON) return false;
    this.tokens -= n;
    return true;
  }

  /**
   * Resolves when `n` tokens have been taken for the caller. Rejects with `signal.reason` if the
   * signal aborts first; the waiter then leaves the queue and takes nothing.
   */
  acquire(n = 1, signal?: AbortSignal): Promise<void> {
    this.check(n);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.tryAcquire(n)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { n, resolve, reject, signal, onAbort: () => this.cancel(waiter) };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
      void this.pump();
    });
  }

  private check(n: number): void {
    if (!(n > 0) || n > this.capacity) {
      // More than the capacity could never be granted: fail loudly instead of waiting forever.
      throw new RangeError(`cannot acquire ${n} token(s) from a bucket of ${this.capacity}`);
    }
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = now - this.lastRefill;
    if (elapsed > 0) {
      this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.refillPerSecond) / 1000);
    }
    this.lastRefill = now;
  }

  private cancel(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter);
    if (index < 0) return;
    this.queue.splice(index, 1);
    waiter.reject(waiter.signal?.reason);
    // The pump sleeps for the head's deficit; a new head may need less, so re-plan now.
    if (index === 0) this.wake?.abort();
  }

  /** One loop serves the queue head by head, sleeping exactly until the head can be paid. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let head = this.queue[0]; head; head = this.queue[0]) {
        this.refill();
        if (this.tokens >= head.n - EPSILON) {
          this.tokens -= head.n;
          this.queue.shift();
          head.signal?.removeEventListener('abort', head.onAbort);
          head.resolve();
          continue;
        }
        // Rounding up to whole milliseconds can only slow the pace, never exceed the rate.
        const deficit = head.n - this.tokens;
        const waitMs = Math.max(1, Math.ceil((deficit / this.refillPerSecond) * 1000));
        const wake = new AbortController();
        this.wake = wake;
        try {
          await this.clock.sleep(waitMs, wake.signal);
        } catch {
          // Woken early because the head left the queue: loop and plan for the new head.
        } finally {
          this.wake = null;
        }
      }
    } finally {
      this.pumping = false;
    }
  }
}
