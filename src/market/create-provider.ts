import { ConfigError, type AppConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { MarketDataProvider } from './provider.ts';
import { readProviderSettings, readRateLimit } from './provider-settings.ts';
import {
  PROVIDER_TABLE,
  providerEntry,
  type MarketDataProviderName,
  type ProviderSettings,
} from './provider-table.ts';
import type { SampleProvider } from './providers/sample/sample-provider.ts';
import { FallbackProvider, ProviderRegistry } from './registry.ts';
import type { ResilienceOptions } from './resilience/resilience-options.ts';
import { ResilientProvider } from './resilience/resilient-provider.ts';

/** The bundled data loads once per process (~0.2 s) and is shared by every caller. */
export function getSampleProvider(): Promise<SampleProvider> {
  return PROVIDER_TABLE.sample.create() as Promise<SampleProvider>;
}

/** One provider from validated settings; network ones come wrapped in the resilience layer. */
export async function buildProvider(settings: ProviderSettings): Promise<MarketDataProvider> {
  const entry = providerEntry(settings.name);
  const provider = await entry.create(settings);
  if (!entry.network) return provider;
  // The shipped limits come from the table through resolveResilienceOptions; only the
  // operator's rate overrides them here.
  return new ResilientProvider(provider, settings.rateLimit);
}

/**
 * `<NAME>_REQUESTS_PER_SECOND` as resilience overrides ({} when unset); a bad value throws the
 * ConfigError loadConfig would report.
 */
export function rateLimitFromEnv(
  name: MarketDataProviderName,
  env: NodeJS.ProcessEnv,
): Partial<ResilienceOptions> {
  const { rateLimit, problem } = readRateLimit(name, env);
  if (problem) throw new ConfigError([problem]);
  return rateLimit;
}

/** One provider by name with its settings read from `env` (tools and tests). */
export async function createNamedProvider(
  name: MarketDataProviderName,
  env: NodeJS.ProcessEnv = process.env,
): Promise<MarketDataProvider> {
  const { settings, problems } = readProviderSettings(name, env, 'MARKET_DATA_PROVIDER');
  if (problems.length > 0) throw new ConfigError(problems);
  return buildProvider(settings);
}

/**
 * The configured providers: the one named by MARKET_DATA_PROVIDER, followed by any
 * MARKET_DATA_FALLBACKS in order (a symbol the primary cannot serve is asked of the next).
 */
export async function createMarketDataProvider(
  config: AppConfig,
  logger: Logger,
): Promise<MarketDataProvider> {
  const [primary, ...fallbacks] = config.marketData;
  if (!primary) throw new Error('no market-data provider configured');
  if (fallbacks.length === 0) return buildProvider(primary);
  const registry = new ProviderRegistry();
  for (const [i, settings] of config.marketData.entries()) {
    registry.register(await buildProvider(settings), { priority: config.marketData.length - i });
  }
  logger.info(
    { providers: registry.all().map((p) => p.name) },
    'market-data providers with fallback',
  );
  return new FallbackProvider(registry);
}
