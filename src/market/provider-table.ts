import path from 'node:path';
import type { MarketDataProvider } from './provider.ts';

/**
 * Every market-data provider Betaboard can run, in one table: its name, the environment
 * variables it reads, the rate limits it ships with and how it is built. Configuration
 * (`loadConfig` validates the variables of the chosen providers at start), construction
 * (`createMarketDataProvider`) and the resilience layer (`resolveResilienceOptions`) all read
 * it, so adding a provider is one entry here plus its folder under `providers/`
 * (docs/EXTENDING.md has the whole checklist).
 */

/** One environment variable a provider reads; `key` names it in ProviderSettings.values. */
export interface ProviderVariable {
  readonly env: string;
  readonly key: string;
  /** Start-up fails, naming the variable, when a configured provider lacks it. */
  readonly required?: boolean;
}

/**
 * The limits a network provider ships with, below what each service tolerates because a ban
 * or a 429 storm costs more than a slower run. `<NAME>_REQUESTS_PER_SECOND` overrides the rate.
 */
export interface ShippedLimits {
  readonly requestsPerSecond: number;
  readonly burst: number;
  readonly timeoutMs?: number;
  readonly maxDelayMs?: number;
}

/** What loadConfig hands to construction: one provider's validated settings. */
export interface ProviderSettings {
  readonly name: MarketDataProviderName;
  /** The provider's variables by `key`; absent when not set. */
  readonly values: Readonly<Record<string, string>>;
  /** From `<NAME>_REQUESTS_PER_SECOND`: a rate and a two-second burst; {} when unset. */
  readonly rateLimit: { requestsPerSecond?: number; burst?: number };
}

export interface ProviderEntry {
  readonly description: string;
  readonly variables: readonly ProviderVariable[];
  /**
   * Set for providers reached over the network: they are wrapped in rate limit, timeout,
   * retries and circuit breaker (`ResilientProvider`) with these limits.
   */
  readonly network?: ShippedLimits;
  /** Providers load lazily, so reading the configuration does not load every client library. */
  readonly create: (settings: ProviderSettings) => Promise<MarketDataProvider>;
}

const baseUrl = (prefix: string): ProviderVariable => ({
  env: `${prefix}_BASE_URL`,
  key: 'baseUrl',
});
const optional = (values: Readonly<Record<string, string>>, key: string) =>
  values[key] ? { [key]: values[key] } : {};

let sampleProvider: Promise<MarketDataProvider> | null = null;

export const PROVIDER_TABLE = {
  sample: {
    description: 'the bundled real adjusted closes, names and bill rates',
    variables: [],
    // The bundled data loads once per process (~0.2 s) and is shared by every caller.
    create: () => {
      sampleProvider ??= import('./providers/sample/sample-provider.ts').then((m) =>
        m.SampleProvider.load(),
      );
      return sampleProvider;
    },
  },
  simulated: {
    description: 'deterministic multi-factor prices for any symbol (load tests)',
    variables: [{ env: 'SIMULATED_LATEST_DATE', key: 'latestDate' }],
    create: async ({ values }) => {
      const { SimulatedProvider } = await import('./providers/simulated/simulated-provider.ts');
      return new SimulatedProvider(optional(values, 'latestDate'));
    },
  },
  csv: {
    description: 'your own symbol,date,close files',
    variables: [{ env: 'BETABOARD_CSV_PRICES_DIR', key: 'dir' }],
    create: async ({ values }) => {
      const { CsvProvider } = await import('./providers/csv/csv-provider.ts');
      const dir = path.resolve(values.dir ?? './data/prices');
      return CsvProvider.fromDirectory(dir, new Date().toISOString().slice(0, 10));
    },
  },
  yahoo: {
    description: 'Yahoo Finance through yahoo-finance2',
    variables: [baseUrl('YAHOO')],
    // Unofficial endpoints with no published limit: stay polite.
    network: { requestsPerSecond: 2, burst: 4 },
    create: async ({ values }) => {
      const { YahooProvider } = await import('./providers/yahoo/yahoo-provider.ts');
      return new YahooProvider(optional(values, 'baseUrl'));
    },
  },
  polygon: {
    description: 'Polygon aggregates, back-adjusted for dividends',
    variables: [{ env: 'POLYGON_API_KEY', key: 'apiKey', required: true }, baseUrl('POLYGON')],
    // The free tier allows 5 calls a minute; a rate-limited call is retried after a long pause.
    network: { requestsPerSecond: 5 / 60, burst: 5, timeoutMs: 15_000, maxDelayMs: 15_000 },
    create: async ({ values }) => {
      const { PolygonProvider } = await import('./providers/polygon/polygon-provider.ts');
      return new PolygonProvider({ apiKey: values.apiKey!, ...optional(values, 'baseUrl') });
    },
  },
  fmp: {
    description: 'Financial Modeling Prep',
    variables: [{ env: 'FMP_API_KEY', key: 'apiKey', required: true }, baseUrl('FMP')],
    network: { requestsPerSecond: 4, burst: 8 },
    create: async ({ values }) => {
      const { FmpProvider } = await import('./providers/fmp/fmp-provider.ts');
      return new FmpProvider({ apiKey: values.apiKey!, ...optional(values, 'baseUrl') });
    },
  },
} as const satisfies Record<string, ProviderEntry>;

export type MarketDataProviderName = keyof typeof PROVIDER_TABLE;

export const MARKET_DATA_PROVIDERS = Object.keys(PROVIDER_TABLE) as [
  MarketDataProviderName,
  ...MarketDataProviderName[],
];

export function providerEntry(name: MarketDataProviderName): ProviderEntry {
  return PROVIDER_TABLE[name];
}

export function isProviderName(name: string): name is MarketDataProviderName {
  return Object.hasOwn(PROVIDER_TABLE, name);
}

/** The shipped limits of a network provider by its name, {} for any other. */
export function shippedLimitsOf(name: string): ShippedLimits | Record<string, never> {
  return (isProviderName(name) && providerEntry(name).network) || {};
}
