import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/config.ts';
import { createNamedProvider, rateLimitFromEnv } from '../../../../src/market/create-provider.ts';
import { ResilientProvider } from '../../../../src/market/resilience/resilient-provider.ts';

describe('<NAME>_REQUESTS_PER_SECOND', () => {
  it('keeps the shipped FMP limit (4/s, burst 8) when unset or blank', async () => {
    expect(rateLimitFromEnv('fmp', {})).toEqual({});
    expect(rateLimitFromEnv('fmp', { FMP_REQUESTS_PER_SECOND: '  ' })).toEqual({});
    const fmp = await createNamedProvider('fmp', { FMP_API_KEY: 'k' });
    expect(fmp).toBeInstanceOf(ResilientProvider);
    expect((fmp as ResilientProvider).options).toMatchObject({ requestsPerSecond: 4, burst: 8 });
  });

  it("sets the provider's rate and a two-second burst", async () => {
    const fmp = await createNamedProvider('fmp', {
      FMP_API_KEY: 'k',
      FMP_REQUESTS_PER_SECOND: '12.5',
    });
    expect((fmp as ResilientProvider).options).toMatchObject({
      requestsPerSecond: 12.5,
      burst: 25,
      // Nothing else moves.
      timeoutMs: 10_000,
      retries: 3,
    });
    const polygon = await createNamedProvider('polygon', {
      POLYGON_API_KEY: 'k',
      POLYGON_REQUESTS_PER_SECOND: '0.2',
    });
    expect((polygon as ResilientProvider).options).toMatchObject({
      requestsPerSecond: 0.2,
      burst: 1,
    });
  });

  it.each(['0', '-3', 'fast', 'Infinity', '5000'])('refuses %j with a message naming it', (raw) => {
    let thrown: unknown;
    try {
      rateLimitFromEnv('fmp', { FMP_REQUESTS_PER_SECOND: raw });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems).toEqual([
      `FMP_REQUESTS_PER_SECOND=${JSON.stringify(raw)}: must be a number of requests per second above 0 and at most 1000`,
    ]);
  });
});
