import type { IsoDate } from '../../domain/dates.ts';
import {
  fail,
  ProviderError,
  type DailyBar,
  type MarketDataProvider,
  type ProviderCapabilities,
  type RequestOptions,
  type SymbolProfile,
  type SymbolResult,
} from '../provider.ts';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.ts';
import { systemClock, type Clock } from './clock.ts';
import {
  resolveResilienceOptions,
  type ResilienceDependencies,
  type ResilienceOptions,
} from './resilience-options.ts';
import { withRetry, withTimeout } from './retry.ts';
import { TokenBucket } from './token-bucket.ts';
import { isTransientError, toProviderError } from './transient-error.ts';

export interface ResilientProviderStats {
  provider: string;
  /** Requests actually sent to the wrapped provider (one rate-limit token each). */
  requests: number;
  /** Re-sent requests, whole or for the symbols that failed transiently. */
  retries: number;
  /** Sent requests that threw or timed out (caller cancellations excluded). */
  failures: number;
  timeouts: number;
  /** Calls refused without a request because the circuit was open. */
  rejected: number;
  circuit: CircuitState;
  circuitOpens: number;
}

type BatchCall<T> = (
  symbols: readonly string[],
  options: RequestOptions,
) => Promise<Map<string, SymbolResult<T>>>;

/** Thrown inside the retry loop while some symbols still await a transient-failure retry. */
class SymbolsStillPending extends Error {}

/**
 * Any provider, made safe to call from a batch: one rate-limit token per request, a timeout per
 * request, retries with exponential backoff for transient failures (a whole request throwing,
 * or single symbols answered `{ ok: false }` with a retryable error, re-asked alone while the
 * successes are kept), a circuit breaker in front of every request, and symbol lists chunked
 * to the provider's `maxSymbolsPerRequest`.
 *
 * The breaker guards each request, inside the retry loop: once it opens, the next attempt fails
 * fast with the non-retryable 'circuit_open' and the retries stop instead of piling on.
 *
 * Batch methods never throw for provider trouble: a chunk that finally fails gives each of its
 * symbols a failed result carrying the error, so the rest of the batch (and a fallback provider)
 * carry on. They throw only when the caller's signal aborts.
 */
export class ResilientProvider implements MarketDataProvider {
  readonly name: string;
  readonly capabilities: ProviderCapabilities;
  readonly maxSymbolsPerRequest: number;
  readonly options: Readonly<ResilienceOptions>;
  readonly getFundamentals?: MarketDataProvider['getFundamentals'];
  readonly getOptionCloses?: MarketDataProvider['getOptionCloses'];
  readonly getTreasuryBillRates?: MarketDataProvider['getTreasuryBillRates'];

  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly bucket: TokenBucket;
  private readonly breaker: CircuitBreaker;
  private readonly counters = { requests: 0, retries: 0, failures: 0, timeouts: 0 };
  private latestDate: { value: IsoDate | null; at: number } | null = null;

  constructor(
    readonly inner: MarketDataProvider,
    options: Partial<ResilienceOptions> & ResilienceDependencies = {},
  ) {
    const { clock, random, ...overrides } = options;
    this.name = inner.name;
    this.capabilities = inner.capabilities;
    this.maxSymbolsPerRequest = Math.max(1, inner.maxSymbolsPerRequest);
    this.options = resolveResilienceOptions(inner.name, overrides);
    this.clock = clock ?? systemClock;
    this.random = random ?? Math.random;
    this.bucket = new TokenBucket({
      capacity: this.options.burst,
      refillPerSecond: this.options.requestsPerSecond,
      clock: this.clock,
    });
    this.breaker = new CircuitBreaker({
      failureThreshold: this.options.failureThreshold,
      openMs: this.options.openMs,
      halfOpenMaxCalls: this.options.halfOpenMaxCalls,
      name: this.name,
      clock: this.clock,
    });
    // Optional methods exist only when the wrapped provider has them, as callers test for them.
    const getFundamentals = inner.getFundamentals?.bind(inner);
    if (getFundamentals) {
      this.getFundamentals = (symbols, opts = {}) => this.batch(symbols, opts, getFundamentals);
    }
    const getOptionCloses = inner.getOptionCloses?.bind(inner);
    if (getOptionCloses) {
      this.getOptionCloses = (contracts, from, to, opts = {}) =>
        this.batch(contracts, opts, (chunk, o) => getOptionCloses(chunk, from, to, o));
    }
    const getTreasuryBillRates = inner.getTreasuryBillRates?.bind(inner);
    if (getTreasuryBillRates) {
      this.getTreasuryBillRates = async (from, to, opts = {}) => {
        try {
          return await withRetry(
            () => this.send((s) => getTreasuryBillRates(from, to, { signal: s }), opts.signal),
            this.retryOptions(opts.signal, isTransientError),
          );
        } catch (error) {
          if (opts.signal?.aborted) throw opts.signal.reason;
          return fail(toProviderError(error, this.name));
        }
      };
    }
  }

  get circuitState(): CircuitState {
    return this.breaker.state;
  }

  stats(): ResilientProviderStats {
    const circuit = this.breaker.stats();
    return {
      provider: this.name,
      ...this.counters,
      rejected: circuit.rejected,
      circuit: circuit.state,
      circuitOpens: circuit.opens,
    };
  }

  async latestAvailableDate(options: RequestOptions = {}): Promise<IsoDate | null> {
    const { signal } = options;
    const cached = this.latestDate;
    if (cached && this.clock.now() - cached.at < this.options.latestDateTtlMs) return cached.value;
    try {
      const value = await withRetry(
        () => this.send((s) => this.inner.latestAvailableDate({ signal: s }), signal),
        this.retryOptions(signal, isTransientError),
      );
      // Only answers are kept: a failure is asked again next time.
      this.latestDate = { value, at: this.clock.now() };
      return value;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw toProviderError(error, this.name);
    }
  }

  getDailyCloses(
    symbols: readonly string[],
    from: IsoDate,
    to: IsoDate,
    options: RequestOptions = {},
  ): Promise<Map<string, SymbolResult<DailyBar[]>>> {
    return this.batch(symbols, options, (chunk, o) =>
      this.inner.getDailyCloses(chunk, from, to, o),
    );
  }

  getProfiles(
    symbols: readonly string[],
    options: RequestOptions = {},
  ): Promise<Map<string, SymbolResult<SymbolProfile>>> {
    return this.batch(symbols, options, (chunk, o) => this.inner.getProfiles(chunk, o));
  }

  /** Splits the (de-duplicated) symbols into chunks and answers every one, in input order. */
  private async batch<T>(
    symbols: readonly string[],
    options: RequestOptions,
    call: BatchCall<T>,
  ): Promise<Map<string, SymbolResult<T>>> {
    const unique = [...new Set(symbols)];
    const answers = new Map<string, SymbolResult<T>>();
    // Sequential on purpose: callers already run batches concurrently, and the bucket paces us.
    for (let i = 0; i < unique.length; i += this.maxSymbolsPerRequest) {
      const chunk = unique.slice(i, i + this.maxSymbolsPerRequest);
      for (const [symbol, result] of await this.fetchChunk(chunk, options.signal, call)) {
        answers.set(symbol, result);
      }
    }
    return new Map(unique.map((s) => [s, answers.get(s)!]));
  }

  /**
   * One chunk with retries: after each answer the successes and permanent failures are final,
   * and only the symbols that failed transiently are asked again, after the backoff delay.
   */
  private async fetchChunk<T>(
    chunk: readonly string[],
    signal: AbortSignal | undefined,
    call: BatchCall<T>,
  ): Promise<Map<string, SymbolResult<T>>> {
    const final = new Map<string, SymbolResult<T>>();
    const lastFailure = new Map<string, SymbolResult<T>>();
    let pending: readonly string[] = chunk;

    const attempt = async () => {
      const asked = pending;
      const results = await this.send(
        (s) => call(asked, { signal: s }),
        signal,
        (r) =>
          // Every symbol failing transiently is an outage as much as a thrown 503 is.
          asked.every((symbol) => {
            const result = r.get(symbol);
            return result !== undefined && !result.ok && result.error.retryable;
          }),
      );
      const retry: string[] = [];
      for (const symbol of asked) {
        const result = results.get(symbol) ?? this.missing<T>(symbol);
        if (!result.ok && result.error.retryable) {
          retry.push(symbol);
          lastFailure.set(symbol, result);
        } else {
          final.set(symbol, result);
        }
      }
      pending = retry;
      if (retry.length > 0) throw new SymbolsStillPending();
    };

    try {
      await withRetry(
        attempt,
        this.retryOptions(signal, (e) => e instanceof SymbolsStillPending || isTransientError(e)),
      );
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const chunkError =
        error instanceof SymbolsStillPending ? null : toProviderError(error, this.name);
      for (const symbol of pending) {
        final.set(symbol, chunkError ? fail(chunkError) : lastFailure.get(symbol)!);
      }
    }
    return final;
  }

  /** One request: through the breaker, then the rate limit, then the timeout. */
  private send<T>(
    fn: (signal: AbortSignal) => Promise<T>,
    signal: AbortSignal | undefined,
    isFailureResult?: (result: T) => boolean,
  ): Promise<T> {
    // The breaker comes first so an open circuit fails fast instead of queueing for a token.
    return this.breaker.execute(
      async () => {
        await this.bucket.acquire(1, signal);
        this.counters.requests++;
        try {
          return await withTimeout(fn, this.options.timeoutMs, this.clock, {
            signal,
            provider: this.name,
          });
        } catch (error) {
          if (!signal?.aborted) {
            this.counters.failures++;
            if (error instanceof ProviderError && error.code === 'timeout')
              this.counters.timeouts++;
          }
          throw error;
        }
      },
      isFailureResult ? { signal, isFailureResult } : { signal },
    );
  }

  private retryOptions(signal: AbortSignal | undefined, isRetryable: (error: unknown) => boolean) {
    return {
      retries: this.options.retries,
      baseDelayMs: this.options.baseDelayMs,
      maxDelayMs: this.options.maxDelayMs,
      jitter: this.options.jitter,
      random: this.random,
      clock: this.clock,
      isRetryable,
      signal,
      onRetry: () => {
        this.counters.retries++;
      },
    };
  }

  private missing<T>(symbol: string): SymbolResult<T> {
    return fail(
      new ProviderError(
        'malformed_response',
        `${this.name} returned no result for ${symbol}`,
        this.name,
      ),
    );
  }
}
