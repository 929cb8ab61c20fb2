import { ProviderError } from '../provider.ts';
import { systemClock, type Clock } from './clock.ts';
import { isTransientError } from './transient-error.ts';

export interface BackoffOptions {
  /** Delay before the first retry; doubles for each further one. */
  baseDelayMs: number;
  /** Ceiling on any single delay. */
  maxDelayMs: number;
  /**
   * Share of each delay that is randomised away, 0…1: 0 gives the exact exponential delays,
   * 1 is "full jitter" (anywhere in 0…delay). Spreads out clients that failed together.
   */
  jitter?: number;
  /** Source of randomness in [0, 1); injectable so tests can pin it. */
  random?: () => number;
}

export interface RetryOptions extends BackoffOptions {
  /** Extra attempts after the first one (so at most `retries + 1` calls). */
  retries: number;
  clock?: Clock;
  /** Which errors deserve another attempt; transient ProviderErrors and transport errors by default. */
  isRetryable?: (error: unknown) => boolean;
  /** Cancels the backoff sleep and stops further attempts. */
  signal?: AbortSignal;
  /** Called before each backoff sleep, e.g. to count retries. */
  onRetry?: (info: { retry: number; delayMs: number; error: unknown }) => void;
}

/** The delay before retry number `retry` (1-based): base·2^(retry-1), capped, then jittered. */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  const exponential = options.baseDelayMs * 2 ** Math.max(0, retry - 1);
  const capped = Math.min(options.maxDelayMs, exponential);
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0));
  if (jitter === 0) return capped;
  const random = (options.random ?? Math.random)();
  return Math.round(capped * (1 - jitter * random));
}

/**
 * Calls `fn` until it succeeds, fails with a non-retryable error, or `retries` extra attempts
 * are used up; the last error is rethrown as is. `fn` receives the attempt number (0 first).
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const clock = options.clock ?? systemClock;
  const isRetryable = options.isRetryable ?? isTransientError;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= options.retries || options.signal?.aborted || !isRetryable(error)) throw error;
      const delayMs = backoffDelay(attempt + 1, options);
      options.onRetry?.({ retry: attempt + 1, delayMs, error });
      await clock.sleep(delayMs, options.signal);
    }
  }
}

export interface TimeoutOptions {
  /** The caller's signal: aborting it aborts the call too (and rejects with its reason). */
  signal?: AbortSignal;
  /** Named in the timeout error. */
  provider?: string;
}

/**
 * Runs `fn` with a signal that aborts after `ms`. The returned promise rejects with a retryable
 * ProviderError 'timeout' the moment the time is up (also the signal's abort reason), even if
 * `fn` ignores its signal; a late result from such an `fn` is then dropped.
 */
export function withTimeout<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  ms: number,
  clock: Clock = systemClock,
  options: TimeoutOptions = {},
): Promise<T> {
  const parent = options.signal;
  if (parent?.aborted) return Promise.reject(parent.reason);
  const controller = new AbortController();
  const timer = new AbortController();
  const provider = options.provider ?? 'unknown';

  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      timer.abort();
      parent?.removeEventListener('abort', onParentAbort);
      settle();
    };
    const onParentAbort = () => {
      controller.abort(parent?.reason);
      finish(() => reject(parent?.reason));
    };
    parent?.addEventListener('abort', onParentAbort, { once: true });

    clock.sleep(ms, timer.signal).then(
      () => {
        const error = new ProviderError(
          'timeout',
          `${provider} did not answer within ${ms} ms`,
          provider,
          {
            retryable: true,
          },
        );
        controller.abort(error);
        finish(() => reject(error));
      },
      () => {
        // The timer was cancelled because the call settled first.
      },
    );

    let call: Promise<T>;
    try {
      call = fn(controller.signal);
    } catch (error) {
      call = Promise.reject(error);
    }
    call.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
