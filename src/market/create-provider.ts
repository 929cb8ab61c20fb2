import path from 'node:path';
import {
  ConfigError,
  MARKET_DATA_PROVIDERS,
  type AppConfig,
  type MarketDataProviderName,
} from '../config.ts';
import type { Logger } from '../logger.ts';
import type { MarketDataProvider } from './provider.ts';
import { CsvProvider } from './providers/csv/csv-provider.ts';
import { FmpProvider } from './providers/fmp/fmp-provider.ts';
import { PolygonProvider } from './providers/polygon/polygon-provider.ts';
import { SampleProvider } from './providers/sample/sample-provider.ts';
import { SimulatedProvider } from './providers/simulated/simulated-provider.ts';
import { YahooProvider } from './providers/yahoo/yahoo-provider.ts';
import { FallbackProvider, ProviderRegistry } from './registry.ts';
import type { ResilienceOptions } from './resilience/resilience-options.ts';
import { ResilientProvider } from './resilience/resilient-provider.ts';

let sampleProvider: Promise<SampleProvider> | null = null;

/** The bundled data loads once per process (~0.2 s) and is shared by every caller. */
export function getSampleProvider(): Promise<SampleProvider> {
  sampleProvider ??= SampleProvider.load();
  return sampleProvider;
}

/**
 * `<NAME>_REQUESTS_PER_SECOND` raises (or lowers) a network provider's rate limit to what the
 * account's plan allows: the shipped defaults suit the cheapest plans, and onboarding a portfolio
 * of new symbols is bound by this rate. The burst becomes two seconds' worth of requests.
 */
export function rateLimitFromEnv(
  name: MarketDataProviderName,
  env: NodeJS.ProcessEnv,
): Partial<ResilienceOptions> {
  const key = `${name.toUpperCase()}_REQUESTS_PER_SECOND`;
  const raw = env[key]?.trim();
  if (!raw) return {};
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1000) {
    throw new ConfigError([
      `${key}=${JSON.stringify(env[key])}: must be a number of requests per second above 0 and at most 1000`,
    ]);
  }
  return { requestsPerSecond: rate, burst: Math.max(1, Math.ceil(rate * 2)) };
}

/** One provider by name; network ones come wrapped in rate limit, timeout, retries and breaker. */
export async function createNamedProvider(
  name: MarketDataProviderName,
  env: NodeJS.ProcessEnv = process.env,
): Promise<MarketDataProvider> {
  switch (name) {
    case 'sample':
      return getSampleProvider();
    case 'simulated':
      return new SimulatedProvider({
        ...(env.SIMULATED_LATEST_DATE ? { latestDate: env.SIMULATED_LATEST_DATE } : {}),
      });
    case 'csv': {
      const dir = path.resolve(env.BETABOARD_CSV_PRICES_DIR ?? './data/prices');
      return CsvProvider.fromDirectory(dir, new Date().toISOString().slice(0, 10));
    }
    case 'yahoo':
      return new ResilientProvider(
        new YahooProvider({ ...(env.YAHOO_BASE_URL ? { baseUrl: env.YAHOO_BASE_URL } : {}) }),
        rateLimitFromEnv(name, env),
      );
    case 'polygon':
      if (!env.POLYGON_API_KEY)
        throw new Error('MARKET_DATA_PROVIDER=polygon needs POLYGON_API_KEY');
      return new ResilientProvider(
        new PolygonProvider({
          apiKey: env.POLYGON_API_KEY,
          ...(env.POLYGON_BASE_URL ? { baseUrl: env.POLYGON_BASE_URL } : {}),
        }),
        rateLimitFromEnv(name, env),
      );
    case 'fmp':
      if (!env.FMP_API_KEY) throw new Error('MARKET_DATA_PROVIDER=fmp needs FMP_API_KEY');
      return new ResilientProvider(
        new FmpProvider({
          apiKey: env.FMP_API_KEY,
          ...(env.FMP_BASE_URL ? { baseUrl: env.FMP_BASE_URL } : {}),
        }),
        rateLimitFromEnv(name, env),
      );
  }
}

/**
 * The provider named by MARKET_DATA_PROVIDER, followed by any MARKET_DATA_FALLBACKS
 * (comma-separated names) in order: a symbol the primary cannot serve is asked of the next.
 */
export async function createMarketDataProvider(
  config: AppConfig,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<MarketDataProvider> {
  const primary = await createNamedProvider(config.marketDataProvider, env);
  const fallbacks = (env.MARKET_DATA_FALLBACKS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== config.marketDataProvider) as MarketDataProviderName[];
  const unknown = fallbacks.filter((f) => !MARKET_DATA_PROVIDERS.includes(f));
  if (unknown.length > 0) {
    throw new ConfigError([
      `MARKET_DATA_FALLBACKS="${env.MARKET_DATA_FALLBACKS}": unknown provider(s) ${unknown.join(', ')}; use ${MARKET_DATA_PROVIDERS.join(', ')}`,
    ]);
  }
  if (fallbacks.length === 0) return primary;
  const registry = new ProviderRegistry();
  registry.register(primary, { priority: fallbacks.length + 1 });
  for (const [i, name] of fallbacks.entries()) {
    registry.register(await createNamedProvider(name, env), { priority: fallbacks.length - i });
  }
  logger.info(
    { providers: registry.all().map((p) => p.name) },
    'market-data providers with fallback',
  );
  return new FallbackProvider(registry);
}
