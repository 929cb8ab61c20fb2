import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.ts';
import { runMigrations } from '../../src/db/migrations.ts';
import { SymbolUniverseRepository } from '../../src/db/repositories/symbol-universe-repository.ts';
import { PgBossJobQueue } from '../../src/jobs/pg-boss-job-queue.ts';
import { createLogger } from '../../src/logger.ts';
import { SimulatedProvider } from '../../src/market/providers/simulated/simulated-provider.ts';
import { SymbolCache } from '../../src/pipeline/symbol-cache.ts';
import {
  databaseUrlOf,
  queryOnce,
  startBetaboard,
  waitForRun,
  WORKER_READY,
  type BetaboardProcess,
} from '../helpers/betaboard-process.ts';
import { startTestPostgres, type TestPostgresServer } from '../helpers/postgres-server.ts';
import { tableChecksums } from '../helpers/table-checksums.ts';

/**
 * `kill -9` of a worker in the middle of a symbol batch: nothing of it is handed back (no
 * SIGTERM handler runs), so the job stays `active` and its run `running` with a silent
 * heartbeat. A worker started afterwards finds the run stale, retries it, and the database ends
 * equal to an uninterrupted run's: row counts and checksums of prices, profiles and factor rows.
 */
const DATE = '2026-07-31';
const SYMBOLS = 1_000;

describe('a worker killed (SIGKILL) mid symbol batch', () => {
  let pg: TestPostgresServer;
  const processes: BetaboardProcess[] = [];

  const startWorker = (label: string, url: string) => {
    const worker = startBetaboard(
      label,
      ['worker', '--no-schedule', '--concurrency', '1'],
      {
        ...process.env,
        DATABASE_URL: url,
        MARKET_DATA_PROVIDER: 'simulated',
        SIMULATED_LATEST_DATE: DATE,
        BETABOARD_SEED_DEMO: 'false',
        LOG_LEVEL: 'info',
      },
      WORKER_READY,
    );
    processes.push(worker);
    return worker;
  };

  const clone = async (name: string) => {
    await queryOnce(pg.url, `CREATE DATABASE ${name} TEMPLATE prepared`);
    return databaseUrlOf(pg.url, name);
  };

  const enqueueBatch = async (url: string) => {
    const database = await openDatabase({ databaseUrl: url });
    const logger = createLogger('silent');
    const queue = await PgBossJobQueue.start({
      database,
      pipeline: {
        db: database.db,
        provider: new SimulatedProvider(),
        cache: new SymbolCache(),
        logger,
      },
      logger,
      work: false,
      schedule: false,
    });
    try {
      return (await queue.enqueueBatch({ type: 'symbol_batch', date: DATE, triggeredBy: 'test' }))
        .batchRunId;
    } finally {
      await queue.stop();
      await database.close();
    }
  };

  beforeAll(async () => {
    pg = await startTestPostgres();
    await queryOnce(pg.url, 'CREATE DATABASE prepared');
    const database = await openDatabase({ databaseUrl: databaseUrlOf(pg.url, 'prepared') });
    await runMigrations(database);
    const names = Array.from({ length: SYMBOLS }, (_, i) => `SIM${String(i + 1).padStart(4, '0')}`);
    await new SymbolUniverseRepository(database.db).register(
      names.map((symbol) => ({ symbol, assetType: 'equity' as const })),
      DATE,
    );
    await database.close();
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop(5_000)));
    pg?.stop();
  });

  it('after a restart the batch completes once and the tables equal a clean run’s', async () => {
    // The clean run.
    const cleanUrl = await clone('clean');
    const cleanWorker = startWorker('clean worker', cleanUrl);
    await cleanWorker.ready;
    const cleanRun = await enqueueBatch(cleanUrl);
    expect(await waitForRun(cleanUrl, cleanRun, 180_000)).toBe('completed');
    await cleanWorker.stop();
    const clean = await tableChecksums(cleanUrl);
    expect(clean.market_data_cache!.rows).toBeGreaterThan(SYMBOLS * 200);
    expect(clean.symbol_factor_exposures!.rows).toBeGreaterThan(0);

    // The same batch, its worker killed once prices are being written.
    const url = await clone('killed');
    const victim = startWorker('victim', url);
    await victim.ready;
    const runId = await enqueueBatch(url);
    for (let i = 0; ; i++) {
      const [row] = await queryOnce<{ status: string; prices: string }>(
        url,
        `SELECT status, (SELECT count(*) FROM market_data_cache)::text AS prices
         FROM batch_runs WHERE id = $1`,
        [runId],
      );
      expect(row?.status, 'the batch ended before the kill').not.toMatch(/completed|failed/);
      if (row?.status === 'running' && Number(row.prices) > 0) break;
      expect(i, 'the batch never started').toBeLessThan(1200);
      await new Promise((r) => setTimeout(r, 100));
    }
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const [left] = await queryOnce<{ state: string }>(
      url,
      'SELECT state FROM pgboss.job WHERE id = $1',
      [runId],
    );
    expect(left?.state).toBe('active');

    // A new worker finds the stale run (no heartbeat for 60 s) and retries it.
    const rescuer = startWorker('rescuer', url);
    await rescuer.ready;
    expect(await waitForRun(url, runId, 240_000), rescuer.output().slice(-3000)).toBe('completed');
    const children = await queryOnce<{ status: string; n: string }>(
      url,
      `SELECT status, count(*)::text AS n FROM batch_runs WHERE triggered_by = $1
       GROUP BY status ORDER BY status`,
      [`job:${runId}`],
    );
    expect(Object.fromEntries(children.map((c) => [c.status, Number(c.n)]))).toEqual({
      completed: 1,
      failed: 1,
    });
    expect(await tableChecksums(url)).toEqual(clean);
  });
});
