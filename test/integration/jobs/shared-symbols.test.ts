import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../../src/db/database.ts';
import { BatchRunRepository } from '../../../src/db/repositories/batch-run-repository.ts';
import { PortfolioRepository } from '../../../src/db/repositories/portfolio-repository.ts';
import { UserRepository } from '../../../src/db/repositories/user-repository.ts';
import { FACTOR_ETFS } from '../../../src/domain/factors/factor-definitions.ts';
import { getSampleProvider } from '../../../src/market/create-provider.ts';
import type { MarketDataProvider } from '../../../src/market/provider.ts';
import { calculatePortfolio } from '../../../src/pipeline/onboarding/calculate-portfolio.ts';
import { SymbolCache } from '../../../src/pipeline/symbol-cache.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';
import {
  CountingProvider,
  silent,
  startTestQueue,
  stock,
  waitFor,
  waitForRun,
} from './job-test-helpers.ts';

let sample: MarketDataProvider;
beforeAll(async () => {
  sample = await getSampleProvider();
});

describeOnEachEngine('concurrent calculations sharing a new symbol', ({ database }) => {
  it('fetch each symbol once: the second waits for the first and finds it known', async () => {
    const db = database().db;
    const user = await new UserRepository(db).create({
      email: 'shared@example.com',
      passwordHash: 'x',
      fullName: null,
    });
    const portfolios = new PortfolioRepository(db);
    const first = await portfolios.createWithPositions({
      userId: user.id,
      name: 'First',
      accountName: 'FIRST',
      accountType: 'taxable',
      equityBalance: '300000',
      positions: [stock('AAPL', 300, 180, '2026-02-02'), stock('MSFT', 100, 400, '2026-02-02')],
    });
    const second = await portfolios.createWithPositions({
      userId: user.id,
      name: 'Second',
      accountName: 'SECOND',
      accountType: 'ira',
      equityBalance: '200000',
      positions: [stock('AAPL', 200, 185, '2026-03-02'), stock('KO', 500, 60, '2026-03-02')],
    });

    const counting = new CountingProvider(sample);
    const ctx = { db, provider: counting, cache: new SymbolCache(), logger: silent };
    const [a, b] = await Promise.all([
      calculatePortfolio(ctx, first.id, { date: '2026-07-31', triggeredBy: 'test' }),
      calculatePortfolio(ctx, second.id, { date: '2026-07-31', triggeredBy: 'test' }),
    ]);
    expect([a.error, b.error]).toEqual([undefined, undefined]);
    expect([a.status, b.status]).toEqual(['completed', 'completed']);
    // Both classified AAPL as new before either had processed it…
    expect(a.unknownSymbols).toEqual(['AAPL', 'MSFT']);
    expect(b.unknownSymbols).toEqual(['AAPL', 'KO']);
    // …yet every symbol, the shared one and the factor ETFs included, was fetched once.
    const expected = Object.fromEntries(
      [...FACTOR_ETFS, 'AAPL', 'MSFT', 'KO'].sort().map((s) => [s, 1]),
    );
    expect(Object.fromEntries([...counting.closeRequests].sort())).toEqual(expected);
    expect(counting.profileRequests.get('AAPL')).toBe(1);

    const repo = new BatchRunRepository(db);
    const logs = [
      ...(await repo.get(a.batchRunId))!.activityLog,
      ...(await repo.get(b.batchRunId))!.activityLog,
    ].map((e) => e.message);
    expect(logs.filter((m) => m.startsWith('Waiting for ')).length).toBeGreaterThan(0);
    expect(logs).toContain('AAPL processed meanwhile by another calculation; not fetched again');

    // AAPL's factor rows exist once for the date, and both books are fully analysed.
    const [{ n }] = (await queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM symbol_factor_exposures
          WHERE symbol = 'AAPL' AND calculation_date = '2026-07-31'`,
    )) as [{ n: number }];
    expect(n).toBe(13);
    for (const id of [first.id, second.id]) {
      const [{ factors }] = (await queryRows<{ factors: number }>(
        db,
        sql`SELECT count(*)::int AS factors FROM factor_exposures
            WHERE portfolio_id = ${id} AND calculation_date = '2026-07-31'`,
      )) as [{ factors: number }];
      expect(factors).toBe(13);
    }
  });

  it('through the job queue too: two onboardings in flight at once share the new symbol', async () => {
    const db = database().db;
    const user = await new UserRepository(db).create({
      email: 'shared-queue@example.com',
      passwordHash: 'x',
      fullName: null,
    });
    const portfolios = new PortfolioRepository(db);
    const make = (name: string, symbol: string) =>
      portfolios.createWithPositions({
        userId: user.id,
        name,
        accountName: name,
        accountType: 'taxable',
        equityBalance: '100000',
        positions: [stock('JNJ', 100, 150, '2026-04-01'), stock(symbol, 100, 100, '2026-04-01')],
      });
    const one = await make('ONE', 'PG');
    const two = await make('TWO', 'PEP');
    const counting = new CountingProvider(sample);
    // Hold the first requests so both calculations are surely running before any fetch ends.
    counting.pause();
    const queue = await startTestQueue(database(), counting, { onboardingConcurrency: 2 });
    try {
      const runs = await Promise.all(
        [one, two].map((p) =>
          queue.enqueuePortfolioCalculation({
            portfolioId: p.id,
            mode: 'fast',
            triggeredBy: 'test',
          }),
        ),
      );
      const repo = new BatchRunRepository(db);
      // Both have classified JNJ as new (one now fetches it, the other waits for its lock).
      for (const { batchRunId } of runs) {
        await waitFor(
          () => repo.get(batchRunId),
          (row) => row?.phases.find((p) => p.id === 'classify')?.status === 'completed',
        );
      }
      counting.resume();
      for (const { batchRunId } of runs) {
        expect((await waitForRun(database(), batchRunId)).status).toBe('completed');
      }
      expect(counting.closeRequests.get('JNJ')).toBe(1);
      expect(counting.closeRequests.get('PG')).toBe(1);
      expect(counting.closeRequests.get('PEP')).toBe(1);
      const logs = (
        await Promise.all(runs.map(async (r) => (await repo.get(r.batchRunId))!.activityLog))
      )
        .flat()
        .map((e) => e.message);
      expect(logs).toContain('JNJ processed meanwhile by another calculation; not fetched again');
    } finally {
      counting.resume();
      await queue.stop();
    }
  });
});
