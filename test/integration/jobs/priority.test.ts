import { JobAlreadyActiveError } from '../../../src/db/job-already-active-error.ts';
import { beforeAll, expect, it } from 'vitest';
import { BatchRunRepository } from '../../../src/db/repositories/batch-run-repository.ts';
import { PortfolioRepository } from '../../../src/db/repositories/portfolio-repository.ts';
import { UserRepository } from '../../../src/db/repositories/user-repository.ts';
import { getSampleProvider } from '../../../src/market/create-provider.ts';
import type { MarketDataProvider } from '../../../src/market/provider.ts';
import type { SymbolBatchSummary } from '../../../src/pipeline/symbol-batch/run-symbol-batch.ts';
import { jobDurationSeconds } from '../../../src/observability/metrics.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';
import { startTestQueue, stock, waitFor, waitForRun } from './job-test-helpers.ts';

let sample: MarketDataProvider;
beforeAll(async () => {
  sample = await getSampleProvider();
});

describeOnEachEngine('onboarding never waits behind nightly work', ({ database }) => {
  it('a calculation finishes while a long symbol batch still runs; one batch of a kind at a time', async () => {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const queue = await startTestQueue(database(), sample, {
      runners: {
        runSymbolBatch: async (): Promise<SymbolBatchSummary> => {
          await released;
          return { target: '2026-07-31', note: 'stub', scoped: false, excluded: [], runs: [] };
        },
      },
    });
    try {
      const repo = new BatchRunRepository(database().db);
      const nightly = await queue.enqueueBatch({ type: 'symbol_batch', triggeredBy: 'admin:test' });
      await waitForRun(database(), nightly.batchRunId, new Set(['running']));
      // One symbol batch at a time: a second request while it runs is refused.
      await expect(
        queue.enqueueBatch({ type: 'symbol_batch', triggeredBy: 'admin:test' }),
      ).rejects.toBeInstanceOf(JobAlreadyActiveError);
      expect(await queue.queueDepth()).toBe(1);

      const user = await new UserRepository(database().db).create({
        email: 'priority@example.com',
        passwordHash: 'x',
        fullName: null,
      });
      const portfolio = await new PortfolioRepository(database().db).createWithPositions({
        userId: user.id,
        name: 'Priority',
        accountName: 'PRIORITY',
        accountType: 'taxable',
        equityBalance: '50000',
        positions: [stock('KO', 300, 60, '2026-06-01')],
      });
      const onboarding = await queue.enqueuePortfolioCalculation({
        portfolioId: portfolio.id,
        mode: 'fast',
        triggeredBy: 'test',
      });
      expect((await waitForRun(database(), onboarding.batchRunId)).status).toBe('completed');
      expect((await repo.get(nightly.batchRunId))!.status).toBe('running');

      release();
      expect((await waitForRun(database(), nightly.batchRunId)).status).toBe('completed');
      // pg-boss marks the job completed just after the handler returns.
      expect(
        await waitFor(
          () => queue.queueDepth(),
          (n) => n === 0,
        ),
      ).toBe(0);
      const observed = (await jobDurationSeconds.get()).values.filter(
        (v) => v.metricName === 'betaboard_job_duration_seconds_count',
      );
      const count = (type: string) =>
        observed.find((v) => v.labels.job_type === type && v.labels.status === 'completed')
          ?.value ?? 0;
      expect(count('onboarding')).toBeGreaterThanOrEqual(1);
      expect(count('symbol_batch')).toBeGreaterThanOrEqual(1);
    } finally {
      release();
      await queue.stop();
    }
  });
});
