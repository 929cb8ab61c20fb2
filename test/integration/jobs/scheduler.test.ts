import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { BatchRunRepository } from '../../../src/db/repositories/batch-run-repository.ts';
import type { PgBossJobQueue } from '../../../src/jobs/pg-boss-job-queue.ts';
import { SCHEDULES } from '../../../src/jobs/scheduler.ts';
import { getSampleProvider } from '../../../src/market/create-provider.ts';
import type { MarketDataProvider } from '../../../src/market/provider.ts';
import type { PortfolioRefreshSummary } from '../../../src/pipeline/portfolio-refresh/run-portfolio-refresh.ts';
import type { SymbolBatchSummary } from '../../../src/pipeline/symbol-batch/run-symbol-batch.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';
import { startTestQueue, waitFor } from './job-test-helpers.ts';

let sample: MarketDataProvider;
beforeAll(async () => {
  sample = await getSampleProvider();
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * The instant `newYork` (a wall-clock time in New York, EDT in August) with the seconds of the
 * real clock: pg-boss dedupes ticks in 60-second slots of the database's real clock, so the fake
 * minute has to line up with a real one, as it does in production.
 */
function alignedInstant(utcMinute: string): Date {
  return new Date(Date.parse(utcMinute) + (Date.now() % 60_000));
}

describeOnEachEngine('the nightly schedules across two instances', ({ database }) => {
  it('the 21:00 symbol-batch tick sends one job, not one per instance, and it queues the refresh', async () => {
    const calls = { symbolBatch: 0, refresh: 0 };
    const runners = {
      runSymbolBatch: async (): Promise<SymbolBatchSummary> => {
        calls.symbolBatch++;
        return { target: '2026-08-03', note: 'stub', scoped: false, excluded: [], runs: [] };
      },
      runPortfolioRefresh: async (): Promise<PortfolioRefreshSummary> => {
        calls.refresh++;
        return {
          date: '2026-08-03',
          batchRunId: '00000000-0000-0000-0000-000000000000',
          status: 'completed',
          results: [],
          failures: [],
          seconds: 0,
        };
      },
    };
    const instances: PgBossJobQueue[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        instances.push(
          await startTestQueue(database(), sample, {
            schedule: true,
            cronCheckSeconds: 1,
            runners,
          }),
        );
      }
      // Monday 2026-08-03, 21:00 in New York (01:00 UTC the next day). Only Date is faked:
      // pg-boss reads the clock when it checks its crons; timers and the database run as usual.
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      vi.setSystemTime(alignedInstant('2026-08-04T01:00:00Z'));
      if (database().engine === 'pglite') {
        // PGlite's now() reads the JS clock, now faked: the cron slot pg-boss stamped at start,
        // in real time, lies months ahead of it and would hold every tick back.
        await database().db.execute(sql`UPDATE pgboss.version SET cron_on = NULL`);
      }

      const repo = new BatchRunRepository(database().db);
      const refreshes = await waitFor(
        () => repo.listRecent('portfolio_refresh', 10),
        (rows) => rows.some((r) => r.status === 'completed'),
        200,
      );
      // Both instances kept checking the schedule through the tick's minute meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 3_000));

      const batches = await repo.listRecent('symbol_batch', 10);
      expect(batches.map((r) => [r.triggeredBy, r.status, r.scopeKey])).toEqual([
        ['scheduler', 'completed', 'request|universe'],
      ]);
      expect(batches[0]!.activityLog.map((e) => e.message)).toContain('Nothing to run: stub');
      expect(refreshes.map((r) => [r.triggeredBy, r.status])).toEqual([['scheduler', 'completed']]);
      expect((await repo.listRecent('portfolio_refresh', 10)).length).toBe(1);
      expect(calls).toEqual({ symbolBatch: 1, refresh: 1 });
      // 20:30's admin metrics were not due at 21:00.
      expect(await repo.listRecent('admin_metrics', 10)).toEqual([]);
    } finally {
      vi.useRealTimers();
      for (const q of instances) await q.stop();
    }
  });

  it('schedules are the spec’s: weekdays in New York, metrics 20:30, symbol batch 21:00', () => {
    expect(SCHEDULES.map((s) => [s.queue, s.cron])).toEqual([
      ['symbol_batch', '0 21 * * 1-5'],
      ['admin_metrics', '30 20 * * 1-5'],
    ]);
    expect(SCHEDULES.find((s) => s.queue === 'symbol_batch')!.data.followWithRefresh).toBe(true);
  });
});
