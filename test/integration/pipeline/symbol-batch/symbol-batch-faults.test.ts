import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../../../src/db/database.ts';
import { createLogger } from '../../../../src/logger.ts';
import { FmpProvider } from '../../../../src/market/providers/fmp/fmp-provider.ts';
import { ResilientProvider } from '../../../../src/market/resilience/resilient-provider.ts';
import { runSymbolBatch } from '../../../../src/pipeline/symbol-batch/run-symbol-batch.ts';
import { SymbolCache } from '../../../../src/pipeline/symbol-cache.ts';
import { RecordedHttpServer, type Fault } from '../../../helpers/recorded-http-server.ts';
import { describeOnEachEngine } from '../../../helpers/test-database.ts';

/**
 * Provider faults at the network boundary: the FMP client runs for real against recorded
 * responses on 127.0.0.1 (test/fixtures/providers/fmp), behind the resilience layer, and faults
 * are injected into MSFT's daily closes.
 */
const DATE = '2026-07-31';
const MSFT_CLOSES = '/api/v3/historical-price-full/MSFT';

let server: RecordedHttpServer;
beforeAll(async () => {
  server = await RecordedHttpServer.fromFixtures('fmp');
});
afterAll(async () => server.close());

const logger = createLogger('silent');

describeOnEachEngine('symbol batch with provider faults', ({ database }) => {
  const ctx = () => ({
    db: database().db,
    provider: new ResilientProvider(
      new FmpProvider({
        baseUrl: server.baseUrl,
        apiKey: 'test-key',
        timeoutMs: 400,
        now: () => new Date('2026-07-31T21:00:00Z'),
      }),
      {
        retries: 1,
        baseDelayMs: 1,
        maxDelayMs: 2,
        jitter: 0,
        timeoutMs: 600,
        requestsPerSecond: 1000,
        burst: 1000,
      },
    ),
    cache: new SymbolCache(),
    logger,
  });
  const msftRows = async () =>
    (
      await queryRows<{ n: number }>(
        database().db,
        sql`SELECT count(*)::int AS n FROM market_data_cache WHERE symbol = 'MSFT'`,
      )
    )[0]!.n;

  const cases: [string, Fault, string][] = [
    ['HTTP 500', { kind: 'status', status: 500 }, 'http_error'],
    ['a timeout', { kind: 'delay', ms: 2_000 }, 'timeout'],
    ['a malformed body', { kind: 'malformed' }, 'malformed_response'],
    ['an empty series', { kind: 'variant', name: 'empty' }, 'no_data'],
  ];

  for (const [label, fault, code] of cases) {
    it(`${label} for MSFT: the rest completes, MSFT is recorded and gets no rows, and the next run retries it`, async () => {
      await database().db.execute(sql`DELETE FROM market_data_cache`);
      await database().db.execute(sql`DELETE FROM symbol_universe`);
      server.clearFaults();
      server.inject(MSFT_CLOSES, fault);

      const first = (
        await runSymbolBatch(ctx(), { symbols: ['AAPL', 'MSFT'], date: DATE, triggeredBy: 'test' })
      ).runs[0]!;
      expect(first.status).toBe('partial');
      expect(first.failedSymbols.find((f) => f.symbol === 'MSFT')?.code).toBe(code);
      expect(first.failedSymbols.some((f) => f.symbol === 'AAPL')).toBe(false);
      expect(await msftRows()).toBe(0); // no partial rows
      const [aapl] = await queryRows<{ n: number }>(
        database().db,
        sql`SELECT count(*)::int AS n FROM market_data_cache WHERE symbol = 'AAPL'`,
      );
      expect(aapl!.n).toBe(43); // the sessions of 2026-06-01 … 2026-07-31
      const [msft] = await queryRows<{ last_error: string; consecutive_failures: number }>(
        database().db,
        sql`SELECT last_error, consecutive_failures FROM symbol_universe WHERE symbol = 'MSFT'`,
      );
      expect(msft!.last_error.startsWith(`${code}:`)).toBe(true);
      expect(msft!.consecutive_failures).toBe(1);

      server.clearFaults();
      const second = (
        await runSymbolBatch(ctx(), { symbols: ['AAPL', 'MSFT'], date: DATE, triggeredBy: 'test' })
      ).runs[0]!;
      expect(second.failedSymbols.some((f) => f.symbol === 'MSFT')).toBe(false);
      expect(await msftRows()).toBe(43);
    });
  }
});
