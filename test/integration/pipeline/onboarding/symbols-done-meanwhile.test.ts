import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../../../src/db/database.ts';
import { PortfolioRepository } from '../../../../src/db/repositories/portfolio-repository.ts';
import { ScopeLockRepository } from '../../../../src/db/repositories/scope-lock-repository.ts';
import { UserRepository } from '../../../../src/db/repositories/user-repository.ts';
import { getSampleProvider } from '../../../../src/market/create-provider.ts';
import type { MarketDataProvider } from '../../../../src/market/provider.ts';
import { createLogger } from '../../../../src/logger.ts';
import { calculatePortfolio } from '../../../../src/pipeline/onboarding/calculate-portfolio.ts';
import { symbolLockKey } from '../../../../src/pipeline/onboarding/symbol-locks.ts';
import { runSymbolBatchFor } from '../../../../src/pipeline/symbol-batch/run-symbol-batch.ts';
import { SymbolCache } from '../../../../src/pipeline/symbol-cache.ts';
import { stock } from '../../../helpers/stock-position.ts';
import { describeOnEachEngine } from '../../../helpers/test-database.ts';

let sample: MarketDataProvider;
beforeAll(async () => {
  sample = await getSampleProvider();
});

/**
 * A new symbol that another calculation processes while this one waits for its lock is not
 * fetched again — but that calculation fetched it only back to its own book's first entry. A
 * book that goes further back must still get its whole history (it did not: its older days were
 * valued at carried prices, and its figures depended on which calculation got the lock first).
 */
describeOnEachEngine('a new symbol processed meanwhile by another calculation', ({ database }) => {
  it('still gets price history back to this book’s earliest entry', async () => {
    const db = database().db;
    const user = await new UserRepository(db).create({
      email: 'meanwhile@example.com',
      passwordHash: 'x',
      fullName: null,
    });
    const book = await new PortfolioRepository(db).createWithPositions({
      userId: user.id,
      name: 'Older book',
      accountName: 'OLDER',
      accountType: 'taxable',
      equityBalance: '100000',
      positions: [stock('KO', 500, 60, '2025-06-02')],
    });
    const ctx = {
      db,
      provider: sample,
      cache: new SymbolCache(),
      logger: createLogger('silent'),
    };

    // Another calculation holds KO's lock and processes it with a short history.
    const release = await new ScopeLockRepository(db).acquire([symbolLockKey('KO')]);
    const calculation = calculatePortfolio(ctx, book.id, {
      date: '2026-07-31',
      triggeredBy: 'test',
    });
    const waitingLog = async () =>
      (
        await queryRows<{ log: string }>(
          db,
          sql`SELECT activity_log::text AS log FROM batch_runs WHERE portfolio_id = ${book.id}`,
        )
      )[0]?.log ?? '';
    for (let i = 0; i < 600 && !(await waitingLog()).includes('Waiting for KO'); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await waitingLog()).toContain('Waiting for KO');
    await runSymbolBatchFor(ctx, ['KO'], {
      date: '2026-07-31',
      historyFrom: '2026-06-01',
      triggeredBy: 'another calculation',
    });
    await release();

    const result = await calculation;
    expect(result.status).toBe('completed');
    expect(await waitingLog()).toContain('KO processed meanwhile by another calculation');
    const [first] = await queryRows<{ first: string }>(
      db,
      sql`SELECT min(date)::text AS first FROM market_data_cache WHERE symbol = 'KO'`,
    );
    expect(first!.first <= '2025-06-02').toBe(true);
    const [days] = await queryRows<{ complete: number; all: number }>(
      db,
      sql`SELECT count(*) FILTER (WHERE is_complete)::int AS complete, count(*)::int AS all
          FROM portfolio_snapshots WHERE portfolio_id = ${book.id} AND snapshot_date < '2026-06-01'`,
    );
    expect(days!.all).toBeGreaterThan(200);
    expect(days!.complete).toBe(days!.all);
  });
});
