import type PgBoss from 'pg-boss';
import type { BatchRunRepository } from '../db/repositories/batch-run-repository.ts';
import type { JobType } from '../db/schema/enums.ts';
import type { Logger } from '../logger.ts';

/**
 * Finds runs whose worker died: rows still `running` that no heartbeat has touched for
 * `olderThanSeconds`, whose pg-boss job (same id as the row) is still `active`. Failing that job
 * hands it back to pg-boss, which retries it (the retry re-runs the same row) or, with no
 * attempt left, fails it — and then the row is ended as failed too. Running rows with no
 * pg-boss job (runs started from the CLI) are not ours to judge; queued rows with none are.
 */
export async function reapInterruptedRuns(input: {
  boss: PgBoss;
  repo: BatchRunRepository;
  jobTypes: readonly JobType[];
  olderThanSeconds: number;
  /** Rows this process is running right now: alive, whatever their timestamp says. */
  runningHere: ReadonlySet<string>;
  logger: Logger;
}): Promise<{ retried: string[]; failed: string[] }> {
  const { boss, repo, logger } = input;
  const retried: string[] = [];
  const failed: string[] = [];
  for (const row of await repo.listStaleRunning(input.jobTypes, input.olderThanSeconds)) {
    if (input.runningHere.has(row.id)) continue;
    let job = await boss.getJobById(row.jobType, row.id, { includeArchive: true });
    if (!job) continue;
    if (job.state === 'active') {
      logger.warn(
        { run: row.id, job_type: row.jobType },
        'worker of a running job died; retrying it',
      );
      await boss.fail(row.jobType, row.id, { message: 'worker stopped answering (no heartbeat)' });
      job = await boss.getJobById(row.jobType, row.id, { includeArchive: true });
      if (job?.state === 'retry' || job?.state === 'created') {
        retried.push(row.id);
        continue;
      }
    }
    if (job && (job.state === 'failed' || job.state === 'cancelled')) {
      await repo.saveProgress(row.id, {
        log: [
          {
            timestamp: new Date().toISOString(),
            level: 'error',
            message: `Gave up after ${job.retryCount + 1} interrupted attempt(s)`,
          },
        ],
        errors: [{ phase: 'job', code: 'interrupted', message: 'every attempt was interrupted' }],
      });
      await repo.finish(row.id, 'failed');
      failed.push(row.id);
    }
  }
  // A process that died between writing the queued row and sending its job leaves a row no
  // worker will ever pick up — and it blocks its scope (the next calculate would be a 409).
  for (const row of await repo.listStaleQueued(input.jobTypes, input.olderThanSeconds)) {
    if (await boss.getJobById(row.jobType, row.id, { includeArchive: true })) continue;
    logger.warn({ run: row.id, job_type: row.jobType }, 'queued run never reached the queue');
    await repo.saveProgress(row.id, {
      log: [
        {
          timestamp: new Date().toISOString(),
          level: 'error',
          message: 'The request was recorded but never reached the job queue; start it again',
        },
      ],
      errors: [{ phase: 'job', code: 'not_enqueued', message: 'the job was never enqueued' }],
    });
    await repo.finish(row.id, 'failed');
    failed.push(row.id);
  }
  return { retried, failed };
}
