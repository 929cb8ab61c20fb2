import type { BatchRunRepository } from '../db/repositories/batch-run-repository.ts';
import type { Logger } from '../logger.ts';
import { RunRecorder } from './run-recorder.ts';

/** The status a run ends with in `batch_runs`. */
export type FinalRunStatus = 'completed' | 'partial' | 'failed';

/** The `batch_runs` row a new run inserts (running from the start). */
export type NewBatchRun = Parameters<BatchRunRepository['create']>[0];

export interface BatchRunLifecycle<R extends { status: FinalRunStatus }> {
  batchRuns: BatchRunRepository;
  /**
   * `{ id }`: an existing queued row (the job path), marked running first; otherwise the row to
   * create.
   */
  run: { id: string } | NewBatchRun;
  phases: readonly { id: string; name: string; unit: string }[];
  logger?: Logger;
  /** The run's result before its work starts (status `completed`), given the run's id. */
  initial(runId: string): R;
  /** Before the work, outside its failure capture (the first log line, a phase's start). */
  begin?(rec: RunRecorder, result: R): Promise<void>;
  /** The work: fills in `result`, its final status included. */
  body(rec: RunRecorder, result: R, runId: string): Promise<void>;
  /**
   * Records a failure of `body` (its error and log line); `result.status` is already `failed`
   * and phases still running are marked failed after it. Without it, an error of `body` is
   * thrown as is and the row is left as it was.
   */
  onError?(rec: RunRecorder, result: R, error: unknown): void | Promise<void>;
  /** Last words before the final flush (the run's summary line). */
  onFinish?(rec: RunRecorder, result: R): void;
}

/**
 * One run's lifecycle in `batch_runs`: create (or mark running) the row, record progress with a
 * RunRecorder while `body` works, capture a failure, flush the log and finish the row with the
 * result's status — completed, partial or failed.
 */
export async function withBatchRun<R extends { status: FinalRunStatus }>(
  lifecycle: BatchRunLifecycle<R>,
): Promise<R> {
  const { batchRuns, run } = lifecycle;
  let runId: string;
  if ('jobType' in run) {
    runId = await batchRuns.create(run);
  } else {
    runId = run.id;
    await batchRuns.markRunning(runId);
  }
  const rec = new RunRecorder(batchRuns, runId, lifecycle.phases, lifecycle.logger);
  const result = lifecycle.initial(runId);
  await lifecycle.begin?.(rec, result);
  try {
    await lifecycle.body(rec, result, runId);
  } catch (error) {
    if (!lifecycle.onError) throw error;
    result.status = 'failed';
    await lifecycle.onError(rec, result, error);
    failRunningPhases(rec);
  }
  lifecycle.onFinish?.(rec, result);
  await rec.flush();
  await batchRuns.finish(runId, result.status);
  return result;
}

/** Phases a failure interrupted end as failed. */
export function failRunningPhases(rec: RunRecorder): void {
  for (const p of rec.phases) if (p.status === 'running') p.status = 'failed';
}
