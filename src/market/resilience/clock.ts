/**
 * Time as a dependency. Everything in the resilience layer (rate limits, backoff, timeouts,
 * circuit cool-downs) reads and waits through a Clock, so tests drive time with a fake clock
 * instead of sleeping for real, and stay fast and deterministic.
 */
export interface Clock {
  /** Milliseconds since the epoch (only differences matter). */
  now(): number;
  /**
   * Resolves after `ms` milliseconds; rejects with `signal.reason` as soon as `signal` aborts,
   * so a cancelled caller never keeps waiting on a backoff or a rate limit.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      if (ms <= 0) {
        resolve();
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
