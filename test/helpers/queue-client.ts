import { openDatabase } from '../../src/db/open-database.ts';
import type { JobQueue } from '../../src/jobs/job-queue.ts';
import { PgBossJobQueue } from '../../src/jobs/pg-boss-job-queue.ts';
import { createLogger } from '../../src/logger.ts';
import { SimulatedProvider } from '../../src/market/providers/simulated/simulated-provider.ts';
import { SymbolCache } from '../../src/pipeline/symbol-cache.ts';

/**
 * Opens the job queue of the database at `databaseUrl` as an API process does with
 * `BETABOARD_WORKER=off` — it enqueues, works nothing, fires no schedule — and hands it to `use`.
 * The worker processes under test take what it sends.
 */
export async function withQueue<T>(
  databaseUrl: string,
  use: (queue: JobQueue) => Promise<T>,
): Promise<T> {
  const database = await openDatabase({ databaseUrl });
  const logger = createLogger('silent');
  const queue = await PgBossJobQueue.start({
    database,
    pipeline: {
      db: database.db,
      provider: new SimulatedProvider(),
      cache: new SymbolCache(),
      logger,
    },
    logger,
    work: false,
    schedule: false,
  });
  try {
    return await use(queue);
  } finally {
    await queue.stop();
    await database.close();
  }
}

/** Enqueues a nightly-type batch as `POST /admin/batch/run` does; returns its run id. */
export const enqueueBatch = (
  databaseUrl: string,
  type: 'symbol_batch' | 'portfolio_refresh',
  date: string,
): Promise<string> =>
  withQueue(databaseUrl, async (queue) => {
    const { batchRunId } = await queue.enqueueBatch({ type, date, triggeredBy: 'test' });
    return batchRunId;
  });
