import { ProviderError } from '../provider.ts';
import { systemClock, type Clock } from './clock.ts';
import { isTransientError } from './transient-error.ts';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Consecutive counted failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before letting trial calls through. */
  openMs: number;
  /** Trial calls allowed at once while half-open. */
  halfOpenMaxCalls?: number;
  /** Names the provider in `circuit_open` errors. */
  name?: string;
  clock?: Clock;
  /**
   * Which errors count against the provider's health. By default transient ones (timeouts, 5xx,
   * 429, transport errors); an unknown_symbol means the provider answered, so it counts as a
   * success.
   */
  isFailure?: (error: unknown) => boolean;
}

export interface ExecuteOptions<T> {
  /** When this signal has aborted, the call's outcome is the caller's doing and is not counted. */
  signal?: AbortSignal;
  /** A resolved call can still be a failure, e.g. every symbol in a batch came back 503. */
  isFailureResult?: (result: T) => boolean;
}

export interface CircuitBreakerStats {
  state: CircuitState;
  consecutiveFailures: number;
  successes: number;
  failures: number;
  /** Calls refused without being made because the circuit was open (or half-open and busy). */
  rejected: number;
  /** Times the circuit has opened. */
  opens: number;
}

/**
 * Stops calling a provider that keeps failing: closed → open after `failureThreshold`
 * consecutive failures; while open every call fails fast with ProviderError 'circuit_open';
 * after `openMs` it is half-open and lets `halfOpenMaxCalls` trial calls through, whose first
 * success closes it again and whose failure reopens it for another `openMs`.
 */
export class CircuitBreaker {
  readonly failureThreshold: number;
  readonly openMs: number;
  readonly halfOpenMaxCalls: number;
  private readonly name: string;
  private readonly clock: Clock;
  private readonly isFailure: (error: unknown) => boolean;

  private current: CircuitState = 'closed';
  private openedAt = 0;
  /** Bumped on every transition, so a call started under an older state cannot flip this one. */
  private generation = 0;
  private trialsInFlight = 0;
  private counters = { consecutiveFailures: 0, successes: 0, failures: 0, rejected: 0, opens: 0 };

  constructor(options: CircuitBreakerOptions) {
    if (!(options.failureThreshold >= 1)) throw new RangeError('failureThreshold must be ≥ 1');
    if (!(options.openMs >= 0)) throw new RangeError('openMs must be ≥ 0');
    this.failureThreshold = options.failureThreshold;
    this.openMs = options.openMs;
    this.halfOpenMaxCalls = Math.max(1, options.halfOpenMaxCalls ?? 1);
    this.name = options.name ?? 'provider';
    this.clock = options.clock ?? systemClock;
    this.isFailure = options.isFailure ?? isTransientError;
  }

  /** The state now (an open circuit whose `openMs` has passed reads as half-open). */
  get state(): CircuitState {
    this.refresh();
    return this.current;
  }

  stats(): CircuitBreakerStats {
    return { state: this.state, ...this.counters };
  }

  /** Runs `fn` if the circuit allows it, recording the outcome; else throws 'circuit_open'. */
  async execute<T>(fn: () => Promise<T>, options: ExecuteOptions<T> = {}): Promise<T> {
    const permit = this.admit();
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      if (options.signal?.aborted) this.release(permit);
      else if (this.isFailure(error)) this.onFailure(permit);
      else this.onSuccess(permit);
      throw error;
    }
    if (options.isFailureResult?.(result)) this.onFailure(permit);
    else this.onSuccess(permit);
    return result;
  }

  private refresh(): void {
    if (this.current === 'open' && this.clock.now() - this.openedAt >= this.openMs) {
      this.transition('half_open');
    }
  }

  private admit(): { generation: number; trial: boolean } {
    this.refresh();
    if (this.current === 'closed') return { generation: this.generation, trial: false };
    if (this.current === 'half_open' && this.trialsInFlight < this.halfOpenMaxCalls) {
      this.trialsInFlight++;
      return { generation: this.generation, trial: true };
    }
    this.counters.rejected++;
    const retryInMs = Math.max(0, this.openedAt + this.openMs - this.clock.now());
    throw new ProviderError(
      'circuit_open',
      this.current === 'open'
        ? `${this.name} circuit is open after ${this.failureThreshold} consecutive failures; next trial in ${retryInMs} ms`
        : `${this.name} circuit is half-open and its trial call is still running`,
      this.name,
      { retryable: false },
    );
  }

  private release(permit: { generation: number; trial: boolean }): void {
    if (permit.trial && permit.generation === this.generation) this.trialsInFlight--;
  }

  private onSuccess(permit: { generation: number; trial: boolean }): void {
    this.counters.successes++;
    if (permit.generation !== this.generation) return;
    this.counters.consecutiveFailures = 0;
    if (this.current === 'half_open') this.transition('closed');
  }

  private onFailure(permit: { generation: number; trial: boolean }): void {
    this.counters.failures++;
    if (permit.generation !== this.generation) return;
    this.counters.consecutiveFailures++;
    if (
      this.current === 'half_open' ||
      this.counters.consecutiveFailures >= this.failureThreshold
    ) {
      this.transition('open');
    }
  }

  private transition(state: CircuitState): void {
    this.current = state;
    this.generation++;
    this.trialsInFlight = 0;
    if (state === 'open') {
      this.openedAt = this.clock.now();
      this.counters.opens++;
    }
    if (state === 'closed') this.counters.consecutiveFailures = 0;
  }
}
