import type { Clock } from '../../src/market/resilience/clock.ts';

interface Timer {
  due: number;
  seq: number;
  resolve: () => void;
  detach: () => void;
}

/** Lets every promise continuation queued so far run (microtasks drain before setImmediate). */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A Clock whose time moves only when a test says so. `advance` fires due sleeps in time order
 * and lets the woken code run (and schedule new sleeps) before moving on, so code that loops
 * "sleep, check, sleep" behaves exactly as it would in real time, minus the waiting.
 */
export class FakeClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private seq = 0;

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal?.reason);
      };
      const timer: Timer = {
        due: this.current + ms,
        seq: this.seq++,
        resolve,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      this.timers.push(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Sleeps not yet fired. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Due time of the earliest pending sleep, or null when nothing is waiting. */
  nextTimerAt(): number | null {
    return this.next()?.due ?? null;
  }

  /** Moves time forward by `ms`, firing (in order) every sleep that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await flushMicrotasks();
    for (let timer = this.next(); timer && timer.due <= target; timer = this.next()) {
      this.current = Math.max(this.current, timer.due);
      this.fire(timer);
      await flushMicrotasks();
    }
    this.current = target;
    await flushMicrotasks();
  }

  /** Fires sleeps one after another until none is left (guarded against endless loops). */
  async runAll(maxTimers = 10_000): Promise<void> {
    await flushMicrotasks();
    for (let fired = 0; ; fired++) {
      const timer = this.next();
      if (!timer) return;
      if (fired >= maxTimers) throw new Error(`FakeClock.runAll: more than ${maxTimers} timers`);
      this.current = Math.max(this.current, timer.due);
      this.fire(timer);
      await flushMicrotasks();
    }
  }

  private next(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) {
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }

  private fire(timer: Timer): void {
    this.timers = this.timers.filter((t) => t !== timer);
    timer.detach();
    timer.resolve();
  }
}
