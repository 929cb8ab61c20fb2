import { describe, expect, inject, it } from 'vitest';
import type { Database } from '../../../src/db/database.ts';
import { openDatabase } from '../../../src/db/open-database.ts';
import { QUEUE_JOB_TYPES, type PgBossJobQueue } from '../../../src/jobs/pg-boss-job-queue.ts';
import { CHUNK_QUEUE } from '../../../src/jobs/queue-chunk-dispatcher.ts';
import { getSampleProvider } from '../../../src/market/create-provider.ts';
import { openTestDatabase } from '../../helpers/test-database.ts';
import { startTestQueue, waitForRun } from './job-test-helpers.ts';

/**
 * Queues started at the same moment on a database pg-boss has never seen, each on its own
 * connection pool as separate processes would be: creating pg-boss queues is DDL, and two
 * sessions doing it at once deadlocked, failing the start of all but one. Several rounds,
 * because which start loses is a matter of timing.
 */
describe.skipIf(!inject('postgresAdminUrl'))('queues started together on fresh PostgreSQL', () => {
  it('every start succeeds and every worker works every queue', async () => {
    const sample = await getSampleProvider();
    for (let round = 0; round < 5; round++) {
      const database = await openTestDatabase('postgres');
      const others: Database[] = [];
      const queues: PgBossJobQueue[] = [];
      try {
        for (let i = 0; i < 2; i++) {
          others.push(await openDatabase({ databaseUrl: database.location, poolSize: 5 }));
        }
        const started = await Promise.allSettled([
          // `serve` with BETABOARD_WORKER=off, and two workers firing the schedules.
          startTestQueue(database, sample, { work: false }),
          ...others.map((db) => startTestQueue(db, sample, { schedule: true })),
        ]);
        for (const result of started) if (result.status === 'fulfilled') queues.push(result.value);
        expect(
          started.map((r) => (r.status === 'fulfilled' ? 'started' : String(r.reason))),
          `round ${round}`,
        ).toEqual(['started', 'started', 'started']);
        const [api, ...workers] = queues;
        expect(api!.workedQueues).toEqual([]);
        for (const worker of workers) {
          expect([...worker.workedQueues].sort()).toEqual([...QUEUE_JOB_TYPES, CHUNK_QUEUE].sort());
        }
        const { batchRunId } = await api!.enqueueBatch({
          type: 'admin_metrics',
          triggeredBy: 'test',
        });
        expect((await waitForRun(database, batchRunId)).status).toBe('completed');
      } finally {
        for (const queue of queues) await queue.stop(5_000);
        for (const db of others) await db.close();
        await database.close();
      }
    }
  }, 60_000);
});
