import { shippedLimitsOf } from '../provider-table.ts';
import type { Clock } from './clock.ts';

/** How one provider is protected. Every field has a default; see `resolveResilienceOptions`. */
export interface ResilienceOptions {
  /** Steady request rate allowed to the provider. */
  requestsPerSecond: number;
  /** Requests allowed back to back after an idle spell (the token bucket's capacity). */
  burst: number;
  /** Per request, rate-limit wait excluded. */
  timeoutMs: number;
  /** Extra attempts per request after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** 0…1, see `backoffDelay`. */
  jitter: number;
  failureThreshold: number;
  openMs: number;
  halfOpenMaxCalls: number;
  /**
   * How long a successful `latestAvailableDate` answer is reused. It moves once a day, and every
   * onboarding asks it: one request per onboarding would add a provider round trip to each.
   */
  latestDateTtlMs: number;
}

export interface ResilienceDependencies {
  clock?: Clock;
  /** Randomness for backoff jitter, in [0, 1). */
  random?: () => number;
}

export const DEFAULT_RESILIENCE_OPTIONS: Readonly<ResilienceOptions> = Object.freeze({
  requestsPerSecond: 5,
  burst: 5,
  timeoutMs: 10_000,
  retries: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  jitter: 0.5,
  failureThreshold: 5,
  openMs: 30_000,
  halfOpenMaxCalls: 1,
  latestDateTtlMs: 60_000,
});

/** Defaults, then the provider's shipped limits (provider-table.ts), then explicit overrides. */
export function resolveResilienceOptions(
  providerName: string,
  overrides: Partial<ResilienceOptions> = {},
): ResilienceOptions {
  const defined = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  ) as Partial<ResilienceOptions>;
  return {
    ...DEFAULT_RESILIENCE_OPTIONS,
    ...shippedLimitsOf(providerName),
    ...defined,
  };
}
