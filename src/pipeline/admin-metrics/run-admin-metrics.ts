import type { Db } from '../../db/database.ts';
import { BatchRunRepository } from '../../db/repositories/batch-run-repository.ts';
import { DailyMetricsRepository } from '../../db/repositories/daily-metrics-repository.ts';
import type { Logger } from '../../logger.ts';
import { withBatchRun } from '../with-batch-run.ts';
import {
  computeOnboardingDay,
  metricRowsOf,
  ONBOARDING_METRIC_NAMES,
  type OnboardingDayMetrics,
} from './onboarding-metrics.ts';

export const ADMIN_METRICS_PHASES = [
  { id: 'onboarding_metrics', name: 'Onboarding metrics', unit: 'days' },
] as const;

export interface AdminMetricsOptions {
  triggeredBy?: string;
  /** An existing queued `admin_metrics` run to execute (the job path); otherwise one is created. */
  batchRunId?: string;
  logger?: Logger;
}

export interface AdminMetricsResult {
  batchRunId: string;
  status: 'completed' | 'failed';
  metrics: OnboardingDayMetrics | null;
  error?: string;
}

/**
 * The 20:30 admin-metrics job: the day's onboarding figures (New York day `date`) computed from
 * `batch_runs` and upserted into `daily_metrics`. Re-running a date replaces its rows, so a late
 * run of the job, or one for a past day, is safe. The run itself is recorded in `batch_runs`
 * like every other job.
 */
export async function runAdminMetrics(
  db: Db,
  date: string,
  options: AdminMetricsOptions = {},
): Promise<AdminMetricsResult> {
  return withBatchRun<AdminMetricsResult>({
    batchRuns: new BatchRunRepository(db),
    run: options.batchRunId
      ? { id: options.batchRunId }
      : {
          jobType: 'admin_metrics',
          scope: { date },
          scopeKey: `date|${date}`,
          calculationDate: date,
          triggeredBy: options.triggeredBy ?? 'cli',
        },
    phases: ADMIN_METRICS_PHASES,
    logger: options.logger,
    initial: (runId) => ({ batchRunId: runId, status: 'completed', metrics: null }),
    async body(rec, result) {
      await rec.start('onboarding_metrics', 1);
      const runs = await new BatchRunRepository(db).onboardingRuns(date, date);
      const day = computeOnboardingDay(date, runs);
      await new DailyMetricsRepository(db).replaceDay(
        date,
        ONBOARDING_METRIC_NAMES,
        metricRowsOf(day),
      );
      result.metrics = day;
      rec.log(`Onboarding metrics for ${date}: ${day.runs} finished run(s), ${day.failed} failed`);
      await rec.complete('onboarding_metrics');
    },
    async onError(rec, result, error) {
      result.error = (error as Error).message;
      rec.error({ phase: 'onboarding_metrics', code: 'metrics_failed', message: result.error });
      rec.log(`Admin metrics for ${date} failed: ${result.error}`, 'error');
      await rec.complete('onboarding_metrics', 'failed');
    },
  });
}
