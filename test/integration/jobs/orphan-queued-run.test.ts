import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { BatchRunRepository } from '../../../src/db/repositories/batch-run-repository.ts';
import { PortfolioRepository } from '../../../src/db/repositories/portfolio-repository.ts';
import { UserRepository } from '../../../src/db/repositories/user-repository.ts';
import { getSampleProvider } from '../../../src/market/create-provider.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';
import { startTestQueue, stock, waitForRun } from './job-test-helpers.ts';

describeOnEachEngine('a queued run whose job was never sent', ({ database }) => {
  it('is failed by the reaper, so the portfolio can be calculated again', async () => {
    const db = database().db;
    const user = await new UserRepository(db).create({
      email: 'orphan@example.com',
      passwordHash: 'x',
      fullName: null,
    });
    const portfolio = await new PortfolioRepository(db).createWithPositions({
      userId: user.id,
      name: 'Orphan',
      accountName: 'Orphan',
      accountType: 'taxable',
      equityBalance: '100000',
      positions: [stock('KO', 100, 62, '2026-02-02')],
    });
    // What a process that died between writing the row and sending the job leaves behind.
    const runs = new BatchRunRepository(db);
    const orphan = await runs.create({
      jobType: 'onboarding',
      scope: { portfolio_id: portfolio.id },
      scopeKey: `portfolio:${portfolio.id}`,
      portfolioId: portfolio.id,
      status: 'queued',
      triggeredBy: 'api',
    });
    await db.execute(
      sql`UPDATE batch_runs SET created_at = now() - interval '5 minutes' WHERE id = ${orphan}`,
    );

    const queue = await startTestQueue(database(), await getSampleProvider(), {
      staleAfterSeconds: 60,
    });
    try {
      const reaped = await waitForRun(database(), orphan, new Set(['failed']));
      expect(reaped.errors).toEqual([
        { phase: 'job', code: 'not_enqueued', message: 'the job was never enqueued' },
      ]);
      // The scope is free again: a new calculation is accepted and completes.
      const { batchRunId } = await queue.enqueuePortfolioCalculation({
        portfolioId: portfolio.id,
        mode: 'fast',
        triggeredBy: 'api',
      });
      expect((await waitForRun(database(), batchRunId)).status).toBe('completed');
    } finally {
      await queue.stop();
    }
  });
});
