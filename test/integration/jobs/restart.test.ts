import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../../src/db/database.ts';
import { BatchRunRepository } from '../../../src/db/repositories/batch-run-repository.ts';
import { PortfolioRepository } from '../../../src/db/repositories/portfolio-repository.ts';
import { UserRepository } from '../../../src/db/repositories/user-repository.ts';
import type { PgBossJobQueue } from '../../../src/jobs/pg-boss-job-queue.ts';
import { getSampleProvider } from '../../../src/market/create-provider.ts';
import type { MarketDataProvider } from '../../../src/market/provider.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';
import { CountingProvider, startTestQueue, stock, waitForRun } from './job-test-helpers.ts';
import { STRESS_SCENARIOS } from '../../../src/domain/stress/scenarios.ts';

let sample: MarketDataProvider;
beforeAll(async () => {
  sample = await getSampleProvider();
});

const POSITIONS = [
  stock('NVDA', 300, 110, '2026-01-05'),
  stock('KO', 400, 62, '2026-02-02'),
  stock('XOM', -150, 108, '2026-03-02'),
];

describeOnEachEngine('a worker dies mid-job; another one finishes it', ({ database }) => {
  it('the interrupted calculation is retried on the same run and ends with a clean run’s numbers', async () => {
    const db = database().db;
    const user = await new UserRepository(db).create({
      email: 'restart@example.com',
      passwordHash: 'x',
      fullName: null,
    });
    const portfolios = new PortfolioRepository(db);
    const create = (accountName: string) =>
      portfolios.createWithPositions({
        userId: user.id,
        name: accountName,
        accountName,
        accountType: 'taxable',
        equityBalance: '500000',
        positions: POSITIONS,
      });
    const interrupted = await create('INTERRUPTED');
    const clean = await create('CLEAN');

    // Worker A gets stuck fetching NVDA (the portfolio's new symbol), then dies.
    const stuck = new CountingProvider(sample, new Set(['NVDA']));
    const a = await startTestQueue(database(), stuck, { heartbeatSeconds: 0.2 });
    const { batchRunId } = await a.enqueuePortfolioCalculation({
      portfolioId: interrupted.id,
      mode: 'fast',
      triggeredBy: 'test',
    });
    await stuck.held;
    const repo = new BatchRunRepository(db);
    expect((await repo.get(batchRunId))!.status).toBe('running');
    // The scoped symbol batch it had started for NVDA is live too.
    const [child] = await repo.listRecent('symbol_batch', 1);
    expect(child).toMatchObject({ status: 'running', triggeredBy: `onboarding:${batchRunId}` });
    await a.abandon();

    // Worker B on the same database: PGlite knows at start that A is gone (one process owns
    // the directory); on PostgreSQL, A's silent heartbeat gives it away after a second.
    let b: PgBossJobQueue | null = null;
    try {
      b = await startTestQueue(database(), sample, {
        staleAfterSeconds: 1,
        reapIntervalSeconds: 0.3,
      });
      const done = await waitForRun(database(), batchRunId);
      expect(done.status).toBe('completed');
      expect(done.activityLog.map((e) => e.message)).toContain(
        'The previous attempt was interrupted (its worker stopped); starting again',
      );
      expect(done.phases.map((p) => p.status)).toEqual([
        'completed',
        'completed',
        'completed',
        'completed',
        'completed',
      ]);
      const orphan = (await repo.get(child!.id))!;
      expect(orphan.status).toBe('failed');
      expect(orphan.errors.map((e) => e.code)).toEqual(['interrupted']);

      const second = await b.enqueuePortfolioCalculation({
        portfolioId: clean.id,
        mode: 'fast',
        triggeredBy: 'test',
      });
      expect((await waitForRun(database(), second.batchRunId)).status).toBe('completed');
    } finally {
      await b?.stop();
    }

    const snapshots = (portfolioId: string) =>
      queryRows<{ d: string; nav: number; pnl: number; complete: boolean }>(
        db,
        sql`SELECT snapshot_date AS d, net_asset_value::float8 AS nav, daily_pnl::float8 AS pnl,
              is_complete AS complete
            FROM portfolio_snapshots WHERE portfolio_id = ${portfolioId} ORDER BY snapshot_date`,
      );
    const factors = (portfolioId: string) =>
      queryRows<{ f: number; beta: number; dollars: number }>(
        db,
        sql`SELECT factor_id AS f, exposure_value AS beta, exposure_dollar::float8 AS dollars
            FROM factor_exposures WHERE portfolio_id = ${portfolioId} ORDER BY factor_id`,
      );
    const stress = (portfolioId: string) =>
      queryRows<{ s: string; direct: number; correlated: number }>(
        db,
        sql`SELECT scenario_id AS s, direct_pnl::float8 AS direct, correlated_pnl::float8 AS correlated
            FROM stress_test_results WHERE portfolio_id = ${portfolioId} ORDER BY scenario_id`,
      );
    const retried = await snapshots(interrupted.id);
    expect(retried.length).toBeGreaterThan(100);
    expect(retried[0]!.d).toBe('2026-01-05');
    expect(retried.at(-1)).toMatchObject({ d: '2026-07-31', complete: true });
    expect(retried).toEqual(await snapshots(clean.id));
    expect((await factors(interrupted.id)).length).toBe(13);
    expect(await factors(interrupted.id)).toEqual(await factors(clean.id));
    expect((await stress(interrupted.id)).length).toBe(STRESS_SCENARIOS.length);
    expect(await stress(interrupted.id)).toEqual(await stress(clean.id));
  });

  it('a worker stopped with a job still running hands it back; the next worker finishes it', async () => {
    const db = database().db;
    const user = await new UserRepository(db).create({
      email: 'graceful@example.com',
      passwordHash: 'x',
      fullName: null,
    });
    const portfolio = await new PortfolioRepository(db).createWithPositions({
      userId: user.id,
      name: 'Stopped',
      accountName: 'STOPPED',
      accountType: 'taxable',
      equityBalance: '80000',
      positions: [stock('AMZN', 100, 180, '2026-05-01'), stock('KO', 100, 62, '2026-05-01')],
    });
    const stuck = new CountingProvider(sample, new Set(['AMZN']));
    const a = await startTestQueue(database(), stuck);
    const { batchRunId } = await a.enqueuePortfolioCalculation({
      portfolioId: portfolio.id,
      mode: 'fast',
      triggeredBy: 'test',
    });
    await stuck.held;
    // A SIGTERM: wait for the running job (the shortest grace pg-boss allows), then hand it back.
    await a.stop(1_000);
    expect((await new BatchRunRepository(db).get(batchRunId))!.status).toBe('running');

    const b = await startTestQueue(database(), sample);
    try {
      const done = await waitForRun(database(), batchRunId);
      expect(done.status).toBe('completed');
      expect(done.activityLog.map((e) => e.message)).toContain(
        'The previous attempt was interrupted (its worker stopped); starting again',
      );
      expect(stuck.closeRequests.get('AMZN')).toBe(1);
    } finally {
      await b.stop();
    }
  });
});
