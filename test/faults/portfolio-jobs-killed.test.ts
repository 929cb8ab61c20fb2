import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.ts';
import { PortfolioRepository } from '../../src/db/repositories/portfolio-repository.ts';
import { stock } from '../helpers/stock-position.ts';
import type { NewPosition } from '../../src/db/repositories/position-repository.ts';
import { UserRepository } from '../../src/db/repositories/user-repository.ts';
import {
  betaboardEnv,
  childRunsByStatus,
  jobOf,
  ProcessGroup,
  queryOnce,
  runBetaboard,
  runningWith,
  startWorker,
  waitForRun,
  waitUntil,
  type BetaboardProcess,
} from '../helpers/betaboard-process.ts';
import { startTestPostgres, type TestPostgresServer } from '../helpers/postgres-server.ts';
import { enqueueBatch, withQueue } from '../helpers/queue-client.ts';
import { tableChecksums } from '../helpers/table-checksums.ts';
import {
  cloneDatabase,
  createMigratedDatabase,
  FAULT_DATE,
  FAULT_ENV,
  simSymbols,
} from './fault-setup.ts';

/**
 * `kill -9` of the worker running a portfolio job — the nightly refresh of every portfolio, and
 * one portfolio's onboarding calculation — then a new worker: the job is found stale, retried,
 * completes once, and every table it writes (snapshots, factor rows, position factor rows,
 * stress results, and the onboarding's prices) equals an uninterrupted run's.
 */
const PORTFOLIOS = 50;
const POSITIONS = 10;
const ONBOARDING_POSITIONS = 80;
const ENTRY_DATES = ['2026-04-01', '2026-05-01', '2026-06-01', '2026-07-01'];

/** A book of `symbols`, one position each, quantities and prices fixed by its index. */
const book = (symbols: readonly string[], seed: number): NewPosition[] =>
  symbols.map((symbol, i) => {
    const quantity = (10 + ((seed * 31 + i * 17) % 400)) * ((seed + i) % 7 === 0 ? -1 : 1);
    const entryPrice = 20 + ((seed * 13 + i * 29) % 300);
    return stock(symbol, quantity, entryPrice, ENTRY_DATES[(seed + i) % ENTRY_DATES.length]!);
  });

describe('a worker killed (SIGKILL) mid portfolio job', () => {
  let pg: TestPostgresServer;
  const processes = new ProcessGroup();
  const env = (url: string) =>
    betaboardEnv(url, {
      ...FAULT_ENV,
      MARKET_DATA_PROVIDER: 'simulated',
      SIMULATED_LATEST_DATE: FAULT_DATE,
    });
  let onboardingPortfolio: string;

  beforeAll(async () => {
    pg = await startTestPostgres();
    const url = await createMigratedDatabase(pg, 'prepared');
    const database = await openDatabase({ databaseUrl: url });
    try {
      const user = await new UserRepository(database.db).create({
        email: 'faults@betaboard.test',
        passwordHash: '!',
        fullName: null,
      });
      const repo = new PortfolioRepository(database.db);
      const universe = simSymbols(60);
      for (let i = 0; i < PORTFOLIOS; i++) {
        const picked = Array.from(
          { length: POSITIONS },
          (_, k) => universe[(i * 7 + k * 5) % universe.length]!,
        );
        await repo.createWithPositions({
          userId: user.id,
          name: `Nightly ${i + 1}`,
          accountName: `NIGHTLY-${i + 1}`,
          accountType: 'taxable',
          equityBalance: '1000000',
          positions: book([...new Set(picked)], i),
        });
      }
      // The nightly order: the symbol batch prices every position's symbol first.
      await runBetaboard(['batch', 'symbols', '--date', FAULT_DATE, '--no-backfill'], env(url));
      // Added after the batch: its symbols have no prices yet, so its onboarding fetches them.
      onboardingPortfolio = (
        await repo.createWithPositions({
          userId: user.id,
          name: 'Onboarding',
          accountName: 'ONBOARDING-1',
          accountType: 'taxable',
          equityBalance: '5000000',
          positions: book(simSymbols(ONBOARDING_POSITIONS, 'ONB'), 3),
        })
      ).id;
    } finally {
      await database.close();
    }
  }, 300_000);

  afterAll(async () => {
    await processes.stopAll();
    pg?.stop();
  });

  /**
   * Runs `enqueue` on a fresh copy of the prepared database with one worker; with `killWhen`,
   * kills that worker with SIGKILL as soon as the SQL says the run is mid-way, then starts
   * another. Returns the run's id and the database's checksums once the run has finished.
   */
  const runOnCopy = async (
    name: string,
    enqueue: (url: string) => Promise<string>,
    killWhen?: string,
  ) => {
    const url = await cloneDatabase(pg, 'prepared', name);
    let worker: BetaboardProcess = processes.add(startWorker(`${name} worker`, env(url)));
    await worker.ready;
    const runId = await enqueue(url);
    if (killWhen) {
      await waitUntil(url, runningWith(killWhen), [runId], `${name}: the run caught mid-way`);
      worker.child.kill('SIGKILL');
      expect(await worker.exited).toEqual({ code: null, signal: 'SIGKILL' });
      expect((await jobOf(url, runId))?.state).toBe('active');
      worker = processes.add(startWorker(`${name} rescuer`, env(url)));
      await worker.ready;
    }
    const status = await waitForRun(url, runId, 240_000);
    expect(status, processes.outputs()).toBe('completed');
    await worker.stop();
    if (killWhen) {
      expect(worker.output()).toMatch(/worker of a running job died; retrying it/);
      expect(await jobOf(url, runId)).toMatchObject({ state: 'completed', retry_count: 1 });
    }
    return { url, runId, checksums: await tableChecksums(url) };
  };

  it('the nightly refresh: after a restart it completes once, tables equal a clean run’s', async () => {
    const refresh = (url: string) => enqueueBatch(url, 'portfolio_refresh', FAULT_DATE);
    const clean = await runOnCopy('refresh_clean', refresh);
    for (const table of [
      'portfolio_snapshots',
      'factor_exposures',
      'position_factor_exposures',
      'stress_test_results',
    ]) {
      expect(clean.checksums[table]!.rows, table).toBeGreaterThan(0);
    }
    // Every portfolio was refreshed: a snapshot and stress results each.
    const [covered] = await queryOnce<{ snapshots: string; stress: string }>(
      clean.url,
      `SELECT (SELECT count(DISTINCT portfolio_id) FROM portfolio_snapshots)::text AS snapshots,
              (SELECT count(DISTINCT portfolio_id) FROM stress_test_results)::text AS stress`,
    );
    expect(Number(covered!.snapshots)).toBeGreaterThanOrEqual(PORTFOLIOS);
    expect(covered!.stress).toBe(covered!.snapshots);
    // Killed once the first portfolios' snapshots are committed, before the last ones are.
    const killed = await runOnCopy(
      'refresh_killed',
      refresh,
      'SELECT count(DISTINCT portfolio_id) FROM portfolio_snapshots',
    );
    const children = await childRunsByStatus(killed.url, killed.runId);
    expect(children.completed, JSON.stringify(children)).toBe(1);
    expect(children.running ?? 0).toBe(0);
    expect(children.queued ?? 0).toBe(0);
    expect(killed.checksums).toEqual(clean.checksums);
  });

  it('an onboarding calculation: after a restart it completes once, tables equal a clean run’s', async () => {
    const calculate = (url: string) =>
      withQueue(url, async (queue) => {
        const { batchRunId } = await queue.enqueuePortfolioCalculation({
          portfolioId: onboardingPortfolio,
          mode: 'full',
          triggeredBy: 'test',
          date: FAULT_DATE,
        });
        return batchRunId;
      });
    const clean = await runOnCopy('onboarding_clean', calculate);
    const [snapshots] = await queryOnce<{ n: string }>(
      clean.url,
      `SELECT count(*)::text AS n FROM portfolio_snapshots WHERE portfolio_id = $1`,
      [onboardingPortfolio],
    );
    expect(Number(snapshots!.n)).toBeGreaterThan(50);
    // Killed while the new symbols' prices are being written.
    const killed = await runOnCopy(
      'onboarding_killed',
      calculate,
      `SELECT count(*) FROM market_data_cache WHERE symbol LIKE 'ONB%'`,
    );
    expect(killed.checksums).toEqual(clean.checksums);
  });
});
