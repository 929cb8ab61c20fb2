import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedProvider } from '../../src/market/providers/simulated/simulated-provider.ts';
import { failThirtyPercentOfCalls, FakeFmpServer } from '../../bench/fake-market-server.ts';
import {
  betaboardEnv,
  childRunsByStatus,
  ProcessGroup,
  queryOnce,
  startWorker,
  waitForRun,
} from '../helpers/betaboard-process.ts';
import { startTestPostgres, type TestPostgresServer } from '../helpers/postgres-server.ts';
import { enqueueBatch } from '../helpers/queue-client.ts';
import {
  cloneDatabase,
  createMigratedDatabase,
  FAULT_DATE,
  FAULT_ENV,
  registerSymbols,
  simSymbols,
} from './fault-setup.ts';

/**
 * The market-data provider failing 30% of its calls (the local fake FMP server, reached over
 * HTTP by the real FMP client behind the real resilience layer): calls 2, 5 and 8 of every ten
 * answer 503, and two symbols answer 503 every time. The symbol batch completes the rest,
 * retries the failures, and ends `partial` naming exactly the symbols the provider never served;
 * every other symbol's rows equal those of a run on a healthy provider.
 */
const UNIVERSE = simSymbols(80);
/** Failing every call: spread over the universe, early and late. */
const LOST = ['SIM0003', 'SIM0041'];
/** The tables of the symbols served; a symbol that never came back has no rows in any. */
const SYMBOL_TABLES = ['market_data_cache', 'company_profiles', 'symbol_factor_exposures'];

/** Per symbol (but `except`), the row count and an md5 of its rows without volatile columns. */
async function rowsBySymbol(url: string, table: string, except: readonly string[]) {
  const row = `(to_jsonb(t) - 'id' - 'created_at' - 'updated_at' - 'calculated_at' - 'fetched_at' - 'batch_run_id')::text`;
  const rows = await queryOnce<{ symbol: string; n: string; hash: string }>(
    url,
    `SELECT symbol, count(*)::text AS n, md5(string_agg(${row}, '|' ORDER BY ${row})) AS hash
     FROM ${table} t WHERE NOT (symbol = ANY($1)) GROUP BY symbol ORDER BY symbol`,
    [except],
  );
  return rows;
}

describe('a provider failing 30% of its calls', () => {
  let pg: TestPostgresServer;
  const fake = new FakeFmpServer(new SimulatedProvider({ latestDate: FAULT_DATE }));
  let fakeUrl: string;
  const processes = new ProcessGroup();
  const env = (url: string) =>
    betaboardEnv(url, {
      ...FAULT_ENV,
      MARKET_DATA_PROVIDER: 'fmp',
      FMP_API_KEY: 'fault-test',
      FMP_BASE_URL: fakeUrl,
      FMP_REQUESTS_PER_SECOND: '200',
    });

  beforeAll(async () => {
    fakeUrl = await fake.start();
    pg = await startTestPostgres();
    await createMigratedDatabase(pg, 'template_all');
    await createMigratedDatabase(pg, 'template_served');
    await registerSymbols(`${pg.url.replace(/\/postgres$/, '')}/template_all`, UNIVERSE);
    await registerSymbols(
      `${pg.url.replace(/\/postgres$/, '')}/template_served`,
      UNIVERSE.filter((s) => !LOST.includes(s)),
    );
  }, 120_000);

  afterAll(async () => {
    await processes.stopAll();
    pg?.stop();
    await fake.stop();
  });

  /** One symbol batch on a copy of `template`, one worker; its run id and its status. */
  const batchOn = async (template: string, name: string) => {
    const url = await cloneDatabase(pg, template, name);
    const worker = processes.add(startWorker(`${name} worker`, env(url)));
    await worker.ready;
    fake.resetLog();
    const runId = await enqueueBatch(url, 'symbol_batch', FAULT_DATE);
    const status = await waitForRun(url, runId, 180_000);
    await worker.stop();
    return { url, runId, status };
  };

  it('the batch completes the rest, retries the failures and ends partial with the exact list', async () => {
    const healthy = await batchOn('template_served', 'healthy');
    expect(healthy.status).toBe('completed');

    fake.failures = failThirtyPercentOfCalls(LOST);
    const failing = await batchOn('template_all', 'failing');
    fake.failures = null;
    expect(failing.status, processes.outputs()).toBe('partial');

    // 30% of the calls failed, a good part of them asking for prices; each was asked again.
    const calls = fake.requests();
    const failed = calls.filter((c) => c.failed).length;
    expect(failed / calls.length).toBeGreaterThanOrEqual(0.3);
    const retried = fake.failedSymbols('closes');
    expect(retried.length).toBeGreaterThan(10);
    for (const symbol of retried) {
      expect(fake.count('closes', symbol), symbol).toBeGreaterThan(1);
    }
    // Those never served are the two lost ones (and any whose every retry fell on a failing
    // call): asked 4 times each, the resilience layer's first attempt and 3 retries.
    const neverServed = fake.neverServed('closes');
    expect(neverServed).toEqual(expect.arrayContaining(LOST));
    for (const symbol of neverServed) expect(fake.count('closes', symbol), symbol).toBe(4);

    // The run names exactly the symbols whose prices never came back.
    expect(await childRunsByStatus(failing.url, failing.runId)).toEqual({ partial: 1 });
    const errors = await queryOnce<{ symbol: string }>(
      failing.url,
      `SELECT e->>'symbol' AS symbol FROM batch_runs r, jsonb_array_elements(r.errors) e
       WHERE r.triggered_by = $1 AND e->>'phase' = 'phase_1' ORDER BY 1`,
      [`job:${failing.runId}`],
    );
    expect(errors.map((e) => e.symbol)).toEqual(neverServed);
    // Everything else is what a healthy provider gives: prices of every symbol served, and the
    // profile and factor rows of every symbol whose profile was served too.
    const noProfile = fake.neverServed('profile');
    const [profiles] = await queryOnce<{ n: string }>(
      failing.url,
      `SELECT count(*)::text AS n FROM company_profiles WHERE symbol = ANY($1)`,
      [noProfile],
    );
    expect(profiles!.n).toBe('0');
    const lost = [...new Set([...neverServed, ...noProfile])];
    for (const table of SYMBOL_TABLES) {
      expect(await rowsBySymbol(failing.url, table, lost), table).toEqual(
        await rowsBySymbol(healthy.url, table, lost),
      );
    }
  });
});
