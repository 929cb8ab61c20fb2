import type { Db } from '../../db/database.ts';
import { BatchRunRepository } from '../../db/repositories/batch-run-repository.ts';
import type { BatchJobType, JobQueue } from '../../jobs/job-queue.ts';

/**
 * Queues a nightly-type job on an admin's request. The queue creates the `batch_runs` row
 * first, so the id answers status polls at once; a live run of the same scope surfaces as the
 * repository's JobAlreadyActiveError for the route to turn into a 409.
 */
export async function triggerBatch(
  db: Db,
  jobs: JobQueue,
  input: { type: BatchJobType; date?: string; triggeredBy: string },
): Promise<{ batchRunId: string; status: string }> {
  const { batchRunId } = await jobs.enqueueBatch(input);
  // A fast worker may already have started it; report what the row says now.
  const run = await new BatchRunRepository(db).get(batchRunId);
  return { batchRunId, status: run?.status ?? 'queued' };
}
