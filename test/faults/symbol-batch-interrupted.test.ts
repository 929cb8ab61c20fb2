import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  betaboardEnv,
  childRunsByStatus,
  jobOf,
  ProcessGroup,
  runningWith,
  startWorker,
  waitForRun,
  waitUntil,
} from '../helpers/betaboard-process.ts';
import { startTestPostgres, type TestPostgresServer } from '../helpers/postgres-server.ts';
import { enqueueBatch } from '../helpers/queue-client.ts';
import { tableChecksums, type TableChecksum } from '../helpers/table-checksums.ts';
import {
  cloneDatabase,
  createMigratedDatabase,
  FAULT_DATE,
  FAULT_ENV,
  registerSymbols,
  simSymbols,
  STALE_AFTER_SECONDS,
} from './fault-setup.ts';

/**
 * A symbol batch interrupted in the middle, on PostgreSQL, two ways:
 * - `kill -9` of its worker: nothing is handed back (no SIGTERM handler runs), so the job stays
 *   `active` and its run `running` with a silent heartbeat; a worker started afterwards finds the
 *   run stale (BETABOARD_STALE_AFTER_SECONDS) and retries it;
 * - the PostgreSQL server restarted under two live workers: every session is cut; the workers
 *   reconnect and the batch is retried.
 * Either way the batch completes once and the database ends equal to an uninterrupted run's:
 * row counts and checksums of prices, profiles and factor rows.
 */
const SYMBOLS = 300;
const PRICES_WRITTEN = 'SELECT count(*) FROM market_data_cache';

describe('a symbol batch interrupted mid-way', () => {
  let pg: TestPostgresServer;
  const processes = new ProcessGroup();
  const env = (url: string) =>
    betaboardEnv(url, {
      ...FAULT_ENV,
      MARKET_DATA_PROVIDER: 'simulated',
      SIMULATED_LATEST_DATE: FAULT_DATE,
    });
  let clean: Record<string, TableChecksum>;

  beforeAll(async () => {
    pg = await startTestPostgres();
    const prepared = await createMigratedDatabase(pg, 'prepared');
    await registerSymbols(prepared, simSymbols(SYMBOLS));

    // The clean run.
    const url = await cloneDatabase(pg, 'prepared', 'clean');
    const worker = processes.add(startWorker('clean worker', env(url)));
    await worker.ready;
    const runId = await enqueueBatch(url, 'symbol_batch', FAULT_DATE);
    expect(await waitForRun(url, runId, 180_000)).toBe('completed');
    await worker.stop();
    clean = await tableChecksums(url);
    expect(clean.market_data_cache!.rows).toBeGreaterThan(SYMBOLS * 200);
    expect(clean.symbol_factor_exposures!.rows).toBeGreaterThan(0);
  }, 300_000);

  afterAll(async () => {
    await processes.stopAll();
    pg?.stop();
  });

  it('kill -9 of its worker: after a restart it completes once, tables equal a clean run’s', async () => {
    const url = await cloneDatabase(pg, 'prepared', 'killed');
    const victim = processes.add(startWorker('victim', env(url)));
    await victim.ready;
    const runId = await enqueueBatch(url, 'symbol_batch', FAULT_DATE);
    await waitUntil(url, runningWith(PRICES_WRITTEN), [runId], 'the batch caught writing prices');
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect((await jobOf(url, runId))?.state).toBe('active');

    // A new worker finds the stale run (no heartbeat for STALE_AFTER_SECONDS) and retries it.
    const killedAt = Date.now();
    const rescuer = processes.add(startWorker('rescuer', env(url)));
    await rescuer.ready;
    expect(await waitForRun(url, runId, 180_000), rescuer.output().slice(-3000)).toBe('completed');
    expect(Date.now() - killedAt).toBeGreaterThan(STALE_AFTER_SECONDS * 1000);
    expect(rescuer.output()).toMatch(/worker of a running job died; retrying it/);
    expect(await jobOf(url, runId)).toMatchObject({ state: 'completed', retry_count: 1 });
    expect(await childRunsByStatus(url, runId)).toEqual({ completed: 1, failed: 1 });
    expect(await tableChecksums(url)).toEqual(clean);
  });

  it('PostgreSQL restarted: the workers reconnect, it completes once, tables equal a clean run’s', async () => {
    const url = await cloneDatabase(pg, 'prepared', 'restarted');
    const workers = [
      processes.add(startWorker('worker 1', env(url))),
      processes.add(startWorker('worker 2', env(url))),
    ];
    await Promise.all(workers.map((w) => w.ready));
    const runId = await enqueueBatch(url, 'symbol_batch', FAULT_DATE);
    await waitUntil(url, runningWith(PRICES_WRITTEN), [runId], 'the batch caught writing prices');
    await pg.restart(2_000);

    expect(await waitForRun(url, runId, 180_000), processes.outputs()).toBe('completed');
    // Both workers lived through it.
    for (const worker of workers) {
      expect(worker.child.exitCode, `${worker.label}:\n${worker.output().slice(-4000)}`).toBeNull();
    }
    const job = await jobOf(url, runId);
    expect(job?.state).toBe('completed');
    expect(job?.retry_count).toBeGreaterThanOrEqual(1);
    const children = await childRunsByStatus(url, runId);
    expect(children.completed, JSON.stringify(children)).toBe(1);
    expect(children.running ?? 0).toBe(0);
    expect(children.queued ?? 0).toBe(0);
    expect(await tableChecksums(url)).toEqual(clean);

    // And they still take work: a second request on the reconnected pools completes at once.
    const again = await enqueueBatch(url, 'symbol_batch', FAULT_DATE);
    expect(await waitForRun(url, again, 60_000)).toMatch(/completed|partial/);
  });
});
