import type PgBoss from 'pg-boss';
import type { BatchRunRepository } from '../db/repositories/batch-run-repository.ts';
import type { JobType } from '../db/schema/enums.ts';
import type { Logger } from '../logger.ts';

/**
 * Finds runs whose worker died: rows still `running` that no heartbeat has touched for
 * `olderThanSeconds`, whose pg-boss job (same id as the row) is still `active`. Failing that job
 * hands it back to pg-boss, which retries it (the retry re-runs the same row) or, with no
 * attempt left, fails it — and then the row is ended as failed too. Running rows with no
 * pg-boss job (runs started from the CLI) are not ours to judge; queued rows with none are, and
 * so are queued rows whose job a dead worker took.
 */
export async function reapInterruptedRuns(input: {
  boss: PgBoss;
  repo: BatchRunRepository;
  jobTypes: readonly JobType[];
  olderThanSeconds: number;
  /** Rows this process is running right now: alive, whatever their timestamp says. */
  runningHere: ReadonlySet<string>;
  /**
   * A job handed out (pg-boss `active`) before this instant whose row is still `queued` belongs
   * to a dead worker: a live handler marks its row `running` as the first thing it does.
   * Default: `olderThanSeconds` ago.
   */
  handedOutBefore?: Date;
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
  // A queued row is stuck in two ways. A process that died between writing the row and sending
  // its job leaves a row no worker will ever pick up; one that died between pg-boss handing the
  // job out and the handler marking the row `running` leaves an `active` job nobody works on
  // (pg-boss would expire it only after hours). Either blocks the scope: calculate answers 409.
  const handedOutBefore =
    input.handedOutBefore ?? new Date(Date.now() - input.olderThanSeconds * 1000);
  for (const row of await repo.listStaleQueued(input.jobTypes, input.olderThanSeconds)) {
    if (input.runningHere.has(row.id)) continue;
    let job = await boss.getJobById(row.jobType, row.id, { includeArchive: true });
    if (!job) {
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
      continue;
    }
    if (job.state === 'active') {
      const startedOn = job.startedOn ? new Date(job.startedOn) : null;
      if (!startedOn || startedOn >= handedOutBefore) continue;
      logger.warn(
        { run: row.id, job_type: row.jobType },
        'worker died after taking a queued job; retrying it',
      );
      await boss.fail(row.jobType, row.id, { message: 'worker died before starting the job' });
      job = await boss.getJobById(row.jobType, row.id, { includeArchive: true });
      if (job?.state === 'retry' || job?.state === 'created') {
        await repo.saveProgress(row.id, {
          log: [
            {
              timestamp: new Date().toISOString(),
              level: 'warning',
              message: 'The worker that took this calculation stopped before starting it; retrying',
            },
          ],
        });
        retried.push(row.id);
        continue;
      }
    }
    if (job && ['failed', 'cancelled', 'completed'].includes(job.state)) {
      await repo.saveProgress(row.id, {
        log: [
          {
            timestamp: new Date().toISOString(),
            level: 'error',
            message: `The job ended (${job.state}) without running; start it again`,
          },
        ],
        errors: [{ phase: 'job', code: 'interrupted', message: 'every attempt was interrupted' }],
      });
      await repo.finish(row.id, 'failed');
      failed.push(row.id);
    }
  }
  return { retried, failed };
}
