import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { BatchRunRepository } from '../../../src/db/repositories/batch-run-repository.ts';
import { PortfolioRepository } from '../../../src/db/repositories/portfolio-repository.ts';
import { UserRepository } from '../../../src/db/repositories/user-repository.ts';
import { getSampleProvider } from '../../../src/market/create-provider.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';
import { startTestQueue, stock, waitForRun } from './job-test-helpers.ts';

describeOnEachEngine('a queued run whose job a worker took and then died', ({ database }) => {
  it('is retried by the next worker instead of waiting hours for pg-boss to expire it', async () => {
    const db = database().db;
    const user = await new UserRepository(db).create({
      email: 'taken@example.com',
      passwordHash: 'x',
      fullName: null,
    });
    const portfolio = await new PortfolioRepository(db).createWithPositions({
      userId: user.id,
      name: 'Taken',
      accountName: 'Taken',
      accountType: 'taxable',
      equityBalance: '100000',
      positions: [stock('KO', 100, 62, '2026-02-02')],
    });
    const sample = await getSampleProvider();
    // A process that only enqueues, then "hands the job out" to a worker that dies at once:
    // pg-boss marks the job active, the handler never gets to mark the row running.
    const sender = await startTestQueue(database(), sample, { work: false });
    const { batchRunId } = await sender.enqueuePortfolioCalculation({
      portfolioId: portfolio.id,
      mode: 'fast',
      triggeredBy: 'api',
    });
    await sender.stop();
    await db.execute(
      sql`UPDATE pgboss.job SET state = 'active', started_on = now() - interval '5 minutes'
          WHERE id = ${batchRunId}`,
    );
    await db.execute(
      sql`UPDATE batch_runs SET created_at = now() - interval '5 minutes' WHERE id = ${batchRunId}`,
    );
    expect((await new BatchRunRepository(db).get(batchRunId))!.status).toBe('queued');

    const queue = await startTestQueue(database(), sample, {
      staleAfterSeconds: 60,
      reapIntervalSeconds: 0.5,
    });
    try {
      const done = await waitForRun(database(), batchRunId);
      expect(done.status).toBe('completed');
      expect(done.activityLog.map((e) => e.message)).toContain(
        'The worker that took this calculation stopped before starting it; retrying',
      );
    } finally {
      await queue.stop();
    }
  });
});
