import { describe, expect, it } from 'vitest';
import type { MarketDataProvider } from '../../src/market/provider.ts';
import { FmpProvider } from '../../src/market/providers/fmp/fmp-provider.ts';
import { PolygonProvider } from '../../src/market/providers/polygon/polygon-provider.ts';
import { SimulatedProvider } from '../../src/market/providers/simulated/simulated-provider.ts';
import { CsvProvider } from '../../src/market/providers/csv/csv-provider.ts';
import { SampleProvider } from '../../src/market/providers/sample/sample-provider.ts';
import {
  closesFor,
  loadSamplePrices,
} from '../../src/market/providers/sample/load-sample-prices.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { YahooProvider } from '../../src/market/providers/yahoo/yahoo-provider.ts';
import { RecordedHttpServer } from '../helpers/recorded-http-server.ts';
import { MARKET_DATA_PROVIDERS } from '../../src/market/provider-table.ts';
import {
  conformanceRuns,
  recordedServerFaults,
  runProviderConformance,
  type ConformanceFixture,
} from './market-data-provider.conformance.ts';

/** What the recorded fixtures (test/fixtures/providers) hold. */
const RANGE = { from: '2026-06-01', to: '2026-07-31' };
const KNOWN = ['AAPL', 'MSFT', 'SPY'];
const UNKNOWN = 'XYZQQ';
/** 17:00 in New York on the last recorded session, so it counts as completed. */
const now = () => new Date('2026-07-31T21:00:00Z');
/**
 * Short, so each timeout fault (a response held for 5 s) costs one second; long enough that a
 * loaded CI machine does not time out the ordinary requests.
 */
const TIMEOUT_MS = 1_000;

/** A network provider pointed at the recorded server; faults hit MSFT's daily closes. */
async function recorded(
  fixtures: string,
  closesPath: (symbol: string) => string,
  make: (baseUrl: string) => MarketDataProvider,
): Promise<ConformanceFixture> {
  const server = await RecordedHttpServer.fromFixtures(fixtures);
  return {
    provider: make(server.baseUrl),
    knownSymbols: KNOWN,
    unknownSymbol: UNKNOWN,
    range: RANGE,
    faults: recordedServerFaults(server, 'MSFT', closesPath('MSFT'), { timeoutDelayMs: 5_000 }),
    cleanup: () => server.close(),
  };
}

runProviderConformance('yahoo', () =>
  recorded(
    'yahoo',
    (s) => `/v8/finance/chart/${s}`,
    (baseUrl) => new YahooProvider({ baseUrl, now, timeoutMs: TIMEOUT_MS }),
  ),
);

runProviderConformance('polygon', () =>
  recorded(
    'polygon',
    (s) => `/v2/aggs/ticker/${s}/range/1/day/${RANGE.from}/${RANGE.to}`,
    (baseUrl) => new PolygonProvider({ baseUrl, apiKey: 'test-key', now, timeoutMs: TIMEOUT_MS }),
  ),
);

runProviderConformance('fmp', () =>
  recorded(
    'fmp',
    (s) => `/api/v3/historical-price-full/${s}`,
    (baseUrl) => new FmpProvider({ baseUrl, apiKey: 'test-key', now, timeoutMs: TIMEOUT_MS }),
  ),
);

runProviderConformance('simulated', async () => ({
  provider: new SimulatedProvider({ failSymbols: { [UNKNOWN]: 'unknown_symbol' } }),
  knownSymbols: KNOWN,
  unknownSymbol: UNKNOWN,
  range: RANGE,
}));

runProviderConformance('sample', async () => ({
  provider: await SampleProvider.load(),
  knownSymbols: KNOWN,
  unknownSymbol: UNKNOWN,
  range: RANGE,
}));

// The user's own files: a directory with one CSV of the bundled closes of the known symbols.
runProviderConformance('csv', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'betaboard-csv-provider-'));
  const prices = await loadSamplePrices();
  const lines = ['symbol,date,close'];
  for (const symbol of KNOWN) {
    const { dates, closes } = closesFor(prices, symbol, '2026-01-02', RANGE.to);
    dates.forEach((d, i) => lines.push(`${symbol},${d},${closes[i]}`));
  }
  writeFileSync(path.join(dir, 'my-prices.csv'), `${lines.join('\n')}\n`);
  return {
    provider: CsvProvider.fromDirectory(dir, '2026-11-23'),
    knownSymbols: KNOWN,
    unknownSymbol: UNKNOWN,
    range: RANGE,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('the conformance suite', () => {
  it('runs against every provider of the provider table', () => {
    expect([...conformanceRuns].sort()).toEqual([...MARKET_DATA_PROVIDERS].sort());
  });
});
