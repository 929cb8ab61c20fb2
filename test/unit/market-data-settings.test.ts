import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { PROVIDER_TABLE } from '../../src/market/provider-table.ts';
import { resolveResilienceOptions } from '../../src/market/resilience/resilience-options.ts';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('market-data settings are validated at start', () => {
  it('defaults to the sample provider alone, with no variables', () => {
    expect(loadConfig({}).marketData).toEqual([{ name: 'sample', values: {}, rateLimit: {} }]);
  });

  it('reads the chosen provider and its fallbacks, in order, with their keys and rates', () => {
    const config = loadConfig({
      MARKET_DATA_PROVIDER: 'fmp',
      FMP_API_KEY: ' k1 ',
      FMP_REQUESTS_PER_SECOND: '10',
      MARKET_DATA_FALLBACKS: 'polygon, sample,fmp',
      POLYGON_API_KEY: 'k2',
      POLYGON_BASE_URL: 'http://127.0.0.1:9',
    });
    expect(config.marketData).toEqual([
      { name: 'fmp', values: { apiKey: 'k1' }, rateLimit: { requestsPerSecond: 10, burst: 20 } },
      { name: 'polygon', values: { apiKey: 'k2', baseUrl: 'http://127.0.0.1:9' }, rateLimit: {} },
      { name: 'sample', values: {}, rateLimit: {} },
    ]);
  });

  it('names every missing key, unknown fallback and bad rate at once', () => {
    expect(
      problemsOf({
        MARKET_DATA_PROVIDER: 'fmp',
        MARKET_DATA_FALLBACKS: 'polygon,bloomberg',
        POLYGON_REQUESTS_PER_SECOND: 'fast',
      }),
    ).toEqual([
      'FMP_API_KEY: MARKET_DATA_PROVIDER=fmp needs it',
      'MARKET_DATA_FALLBACKS="polygon,bloomberg": unknown provider(s) bloomberg; use sample, simulated, csv, yahoo, polygon, fmp',
      'POLYGON_API_KEY: MARKET_DATA_FALLBACKS=polygon needs it',
      'POLYGON_REQUESTS_PER_SECOND="fast": must be a number of requests per second above 0 and at most 1000',
    ]);
  });

  it("takes every network provider's shipped limits from the provider table", () => {
    for (const [name, entry] of Object.entries(PROVIDER_TABLE)) {
      const limits = 'network' in entry ? entry.network : {};
      expect(resolveResilienceOptions(name)).toMatchObject(limits);
    }
    expect(resolveResilienceOptions('fmp')).toMatchObject({ requestsPerSecond: 4, burst: 8 });
  });
});
