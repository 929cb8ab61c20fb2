import type { IsoDate } from '../domain/dates.ts';
import {
  fail,
  ProviderError,
  type DailyBar,
  type Fundamentals,
  type MarketDataProvider,
  type ProviderCapabilities,
  type ProviderErrorCode,
  type RatePoint,
  type RequestOptions,
  type SymbolProfile,
  type SymbolResult,
} from './provider.ts';
import { toProviderError } from './resilience/transient-error.ts';

export type Capability = keyof ProviderCapabilities;

export interface ProviderRegistration {
  readonly provider: MarketDataProvider;
  /** Higher is asked first; equal priorities keep registration order. */
  readonly priority: number;
}

/** The market-data sources configured for this process, in the order they should be asked. */
export class ProviderRegistry {
  private readonly entries: ProviderRegistration[] = [];

  register(provider: MarketDataProvider, options: { priority?: number } = {}): this {
    if (this.entries.some((e) => e.provider.name === provider.name)) {
      // Names are stored as data_source per row, so two providers must never share one.
      throw new Error(`a market-data provider named ${provider.name} is already registered`);
    }
    this.entries.push({ provider, priority: options.priority ?? 0 });
    return this;
  }

  get(name: string): MarketDataProvider | undefined {
    return this.entries.find((e) => e.provider.name === name)?.provider;
  }

  /** Every registration, highest priority first. */
  registrations(): ProviderRegistration[] {
    // Array.prototype.sort is stable, so ties stay in registration order.
    return [...this.entries].sort((a, b) => b.priority - a.priority);
  }

  /** Every provider, highest priority first. */
  all(): MarketDataProvider[] {
    return this.registrations().map((e) => e.provider);
  }

  /** The providers offering `capability`, highest priority first. */
  forCapability(capability: Capability): MarketDataProvider[] {
    return this.all().filter((p) => p.capabilities[capability]);
  }

  /** The provider asked first for `capability`. */
  primary(capability: Capability = 'dailyCloses'): MarketDataProvider | undefined {
    return this.forCapability(capability)[0];
  }
}

/** The provider that answered each symbol of a FallbackProvider result (its data_source). */
const resultSources = new WeakMap<object, ReadonlyMap<string, string>>();

/**
 * Which provider answered each symbol of a result map returned by a FallbackProvider (the
 * value to store as data_source), or undefined for a map from any other provider, whose
 * source is simply that provider's name. Kept beside the result rather than as a provider's
 * "last sources" because batches call the same provider concurrently.
 */
export function sourcesOf(
  results: ReadonlyMap<string, unknown>,
): ReadonlyMap<string, string> | undefined {
  return resultSources.get(results);
}

/** Answers no other provider could improve on: the symbol itself is bad, not the source. */
const FINAL_CODES: ReadonlySet<ProviderErrorCode> = new Set(['unknown_symbol', 'delisted']);

type ProviderCall<T> = (
  provider: MarketDataProvider,
  symbols: readonly string[],
  options: RequestOptions,
) => Promise<Map<string, SymbolResult<T>>> | undefined;

/**
 * The registry as one provider. Each call goes to the highest-priority provider with the
 * capability; symbols it fails for a reason another source might not share (an outage, an open
 * circuit, no data, a thrown request) go to the next one, and so on; the answers are merged.
 * A symbol reported unknown_symbol or delisted is final and not sent further. `sourcesOf(map)`
 * tells which provider answered each symbol.
 */
export class FallbackProvider implements MarketDataProvider {
  constructor(readonly registry: ProviderRegistry) {}

  /** The providers in the order they are asked, e.g. `yahoo>polygon>sample`. */
  get name(): string {
    return (
      this.registry
        .all()
        .map((p) => p.name)
        .join('>') || 'none'
    );
  }

  get capabilities(): ProviderCapabilities {
    const all = this.registry.all();
    const any = (c: Capability) => all.some((p) => p.capabilities[c]);
    return {
      dailyCloses: any('dailyCloses'),
      profiles: any('profiles'),
      fundamentals: any('fundamentals'),
      optionCloses: any('optionCloses'),
      treasuryBillRates: any('treasuryBillRates'),
    };
  }

  /** The primary's size, so callers' chunks suit it; other providers get re-chunked here. */
  get maxSymbolsPerRequest(): number {
    const primary = this.registry.primary('dailyCloses') ?? this.registry.all()[0];
    return Math.max(1, primary?.maxSymbolsPerRequest ?? 1);
  }

  /**
   * The primary's date, since the primary supplies the closes. Only if the primary throws (an
   * outage, an open circuit) does the next provider's date stand in, as it will then answer.
   */
  async latestAvailableDate(options: RequestOptions = {}): Promise<IsoDate | null> {
    const providers = this.registry.forCapability('dailyCloses');
    let lastError: unknown = null;
    for (const provider of providers) {
      try {
        return await provider.latestAvailableDate(options);
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        lastError = error;
      }
    }
    if (lastError === null) return null;
    throw toProviderError(lastError, this.name);
  }

  getDailyCloses(
    symbols: readonly string[],
    from: IsoDate,
    to: IsoDate,
    options: RequestOptions = {},
  ): Promise<Map<string, SymbolResult<DailyBar[]>>> {
    return this.cascade('dailyCloses', symbols, options, (p, chunk, o) =>
      p.getDailyCloses(chunk, from, to, o),
    );
  }

  getProfiles(
    symbols: readonly string[],
    options: RequestOptions = {},
  ): Promise<Map<string, SymbolResult<SymbolProfile>>> {
    return this.cascade('profiles', symbols, options, (p, chunk, o) => p.getProfiles(chunk, o));
  }

  getFundamentals(
    symbols: readonly string[],
    options: RequestOptions = {},
  ): Promise<Map<string, SymbolResult<Fundamentals>>> {
    return this.cascade('fundamentals', symbols, options, (p, chunk, o) =>
      p.getFundamentals?.(chunk, o),
    );
  }

  getOptionCloses(
    contracts: readonly string[],
    from: IsoDate,
    to: IsoDate,
    options: RequestOptions = {},
  ): Promise<Map<string, SymbolResult<DailyBar[]>>> {
    return this.cascade('optionCloses', contracts, options, (p, chunk, o) =>
      p.getOptionCloses?.(chunk, from, to, o),
    );
  }

  /** The first provider with a bill-rate series that answers; the others are asked in turn. */
  async getTreasuryBillRates(
    from: IsoDate,
    to: IsoDate,
    options: RequestOptions = {},
  ): Promise<SymbolResult<RatePoint[]>> {
    const series = 'treasury_bill_3m';
    const results = await this.cascade('treasuryBillRates', [series], options, (p, _chunk, o) =>
      p.getTreasuryBillRates?.(from, to, o).then((r) => new Map([[series, r]])),
    );
    return results.get(series)!;
  }

  private async cascade<T>(
    capability: Capability,
    symbols: readonly string[],
    options: RequestOptions,
    call: ProviderCall<T>,
  ): Promise<Map<string, SymbolResult<T>>> {
    const unique = [...new Set(symbols)];
    const answers = new Map<string, SymbolResult<T>>();
    const sources = new Map<string, string>();
    let pending: string[] = unique;

    for (const provider of this.registry.forCapability(capability)) {
      if (pending.length === 0) break;
      const next: string[] = [];
      const size = Math.max(1, provider.maxSymbolsPerRequest);
      for (let i = 0; i < pending.length; i += size) {
        const chunk = pending.slice(i, i + size);
        const results = await this.ask(provider, capability, chunk, options, call);
        for (const symbol of chunk) {
          const result =
            results instanceof ProviderError
              ? fail<T>(results)
              : (results.get(symbol) ??
                fail<T>(
                  new ProviderError(
                    'malformed_response',
                    `${provider.name} returned no result for ${symbol}`,
                    provider.name,
                  ),
                ));
          answers.set(symbol, result);
          sources.set(symbol, provider.name);
          if (!result.ok && !FINAL_CODES.has(result.error.code)) next.push(symbol);
        }
      }
      pending = next;
    }

    const out = new Map<string, SymbolResult<T>>();
    for (const symbol of unique) {
      const answer =
        answers.get(symbol) ??
        fail<T>(
          new ProviderError(
            'not_supported',
            `no registered market-data provider offers ${capability}`,
            this.name,
          ),
        );
      out.set(symbol, answer);
    }
    resultSources.set(out, sources);
    return out;
  }

  /** One provider's answer for a chunk, or the error standing in for each of its symbols. */
  private async ask<T>(
    provider: MarketDataProvider,
    capability: Capability,
    chunk: readonly string[],
    options: RequestOptions,
    call: ProviderCall<T>,
  ): Promise<Map<string, SymbolResult<T>> | ProviderError> {
    try {
      const pending = call(provider, chunk, options);
      if (pending) return await pending;
      return new ProviderError(
        'not_supported',
        `${provider.name} claims ${capability} but does not implement it`,
        provider.name,
      );
    } catch (error) {
      // The caller giving up ends the whole call; any other throw is this provider's failure.
      if (options.signal?.aborted) throw options.signal.reason;
      return toProviderError(error, provider.name);
    }
  }
}
