import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../../src/db/open-database.ts';
import { SymbolUniverseRepository } from '../../../src/db/repositories/symbol-universe-repository.ts';
import {
  betaboardEnv,
  childRunsByStatus,
  databaseUrlOf,
  jobOf,
  ProcessGroup,
  queryOnce,
  runningWith,
  startWorker as startBetaboardWorker,
  waitForRun,
  waitUntil,
} from '../../helpers/betaboard-process.ts';
import { enqueueBatch as enqueue } from '../../helpers/queue-client.ts';
import { tableChecksums } from '../../helpers/table-checksums.ts';

/**
 * SIGTERM to a `betaboard worker` in the middle of a symbol batch, as an orchestrator stops it:
 * the worker takes no new job, and either lets the batch finish within its grace period
 * (BETABOARD_SHUTDOWN_GRACE_SECONDS) or hands it back for another worker to retry; it exits 0
 * either way, and exactly one completed run results, with the same tables as an uninterrupted one.
 */
const adminUrl = inject('postgresAdminUrl');
const template = inject('postgresTemplate');
const DATE = '2026-07-31';
const SYMBOLS = 1_500;

describe.skipIf(!adminUrl)('worker graceful shutdown on SIGTERM (PostgreSQL)', () => {
  const prefix = `graceful_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const prepared = `${prefix}_tpl`;
  const databases: string[] = [prepared];
  const processes = new ProcessGroup();

  const startWorker = (label: string, url: string, graceSeconds: number) =>
    processes.add(
      startBetaboardWorker(
        label,
        betaboardEnv(url, {
          MARKET_DATA_PROVIDER: 'simulated',
          SIMULATED_LATEST_DATE: DATE,
          BETABOARD_SHUTDOWN_GRACE_SECONDS: String(graceSeconds),
        }),
      ),
    );

  /** A fresh copy of the prepared database (migrated, SYMBOLS simulated symbols registered). */
  const cloneDatabase = async (suffix: string) => {
    const name = `${prefix}_${suffix}`;
    await queryOnce(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${prepared}`);
    databases.push(name);
    return databaseUrlOf(adminUrl, name);
  };

  /** Enqueues a symbol batch as the admin API does (this process only enqueues). */
  const enqueueBatch = (url: string) => enqueue(url, 'symbol_batch', DATE);

  /** Waits until the run is `running` and has written prices: the middle of the batch. */
  const waitUntilMidBatch = (url: string, runId: string) =>
    waitUntil(
      url,
      runningWith('SELECT count(*) FROM market_data_cache'),
      [runId],
      'the batch caught while writing prices',
      60_000,
    );

  /** The per-date symbol-batch runs the request's job(s) created, by status. */
  const childRuns = childRunsByStatus;

  let clean: Awaited<ReturnType<typeof tableChecksums>>;

  beforeAll(async () => {
    await queryOnce(adminUrl, `CREATE DATABASE ${prepared} TEMPLATE ${template}`);
    const database = await openDatabase({ databaseUrl: databaseUrlOf(adminUrl, prepared) });
    const names = Array.from({ length: SYMBOLS }, (_, i) => `SIM${String(i + 1).padStart(4, '0')}`);
    await new SymbolUniverseRepository(database.db).register(
      names.map((symbol) => ({ symbol, assetType: 'equity' as const })),
      DATE,
    );
    await database.close();
  }, 60_000);

  afterAll(async () => {
    await processes.stopAll();
    for (const name of databases.reverse()) {
      await queryOnce(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  }, 60_000);

  it('within the grace period the running batch finishes, then the worker exits 0', async () => {
    const url = await cloneDatabase('finish');
    const worker = startWorker('worker', url, 120);
    await worker.ready;
    const runId = await enqueueBatch(url);
    await waitUntilMidBatch(url, runId);

    const exit = await worker.stop(150_000);
    expect(exit, worker.output().slice(-3000)).toEqual({ code: 0, signal: null });
    // The run finished before the process exited: nothing is left for anyone to retry.
    const [run] = await queryOnce<{ status: string }>(
      url,
      'SELECT status FROM batch_runs WHERE id = $1',
      [runId],
    );
    expect(run?.status).toBe('completed');
    expect(await jobOf(url, runId)).toEqual({ state: 'completed', retry_count: 0 });
    expect(await childRuns(url, runId)).toEqual({ completed: 1 });
    expect(worker.output()).toMatch(/waiting for running jobs to finish/);
    clean = await tableChecksums(url);
    expect(clean.market_data_cache!.rows).toBeGreaterThan(SYMBOLS * 200);
  }, 180_000);

  it('past the grace period the batch is handed back, another worker retries it, one completed run results', async () => {
    const url = await cloneDatabase('release');
    const first = startWorker('worker 1', url, 1);
    await first.ready;
    const runId = await enqueueBatch(url);
    await waitUntilMidBatch(url, runId);

    const started = Date.now();
    const exit = await first.stop(30_000);
    expect(exit, first.output().slice(-3000)).toEqual({ code: 0, signal: null });
    expect(Date.now() - started, 'the worker waited past its grace period').toBeLessThan(10_000);
    expect(first.output()).toMatch(/handed back to the queue for a retry/);
    // Handed back, not lost: pg-boss holds it for a retry.
    expect((await jobOf(url, runId))?.state).toBe('retry');

    const second = startWorker('worker 2', url, 30);
    await second.ready;
    expect(await waitForRun(url, runId, 120_000), second.output().slice(-3000)).toBe('completed');
    expect(await jobOf(url, runId)).toMatchObject({ state: 'completed', retry_count: 1 });
    // The interrupted attempt's per-date run is closed as failed; exactly one completed.
    expect(await childRuns(url, runId)).toEqual({ completed: 1, failed: 1 });
    expect(await tableChecksums(url)).toEqual(clean);
  }, 240_000);
});
