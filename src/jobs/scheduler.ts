import type PgBoss from 'pg-boss';
import type { JobPayload } from './job-handlers.ts';

/** The time zone every schedule is read in: the exchange's, daylight saving included. */
export const SCHEDULE_TIME_ZONE = 'America/New_York';

export interface ScheduleDefinition {
  /** The queue (= job type) the tick sends a job to. */
  queue: 'symbol_batch' | 'portfolio_refresh' | 'admin_metrics';
  /** Five-field cron, in SCHEDULE_TIME_ZONE. */
  cron: string;
  data: JobPayload;
  /** The same key the queue's own requests use, so a tick never doubles a queued request. */
  singletonKey: string;
}

/**
 * SPEC §8's schedules, weekdays in New York: admin metrics at 20:30, the symbol batch at 21:00,
 * and the portfolio refresh when that batch finishes (the symbol-batch job queues it, so a slow
 * batch never races its refresh). A holiday tick is harmless: the batch finds the last session
 * already done and runs nothing (`skipCompleted`); its refresh finds nothing to refresh.
 */
export const SCHEDULES: readonly ScheduleDefinition[] = [
  {
    queue: 'symbol_batch',
    cron: '0 21 * * 1-5',
    data: { triggeredBy: 'scheduler', followWithRefresh: true },
    singletonKey: 'request|universe',
  },
  {
    queue: 'admin_metrics',
    cron: '30 20 * * 1-5',
    data: { triggeredBy: 'scheduler' },
    singletonKey: 'admin_metrics|scheduled',
  },
];

/**
 * Stores the schedules in pg-boss. Its cron is distributed: every instance checks the
 * schedules, but a timestamp in pg-boss's own table lets one instance per interval do it, and
 * the job a tick creates carries a 60-second singleton slot — so each tick sends one job
 * however many instances run. Storing a schedule again just overwrites it.
 */
export async function registerSchedules(
  boss: PgBoss,
  schedules: readonly ScheduleDefinition[],
  jobOptions: (queue: ScheduleDefinition['queue']) => PgBoss.SendOptions,
): Promise<void> {
  for (const s of schedules) {
    await boss.schedule(s.queue, s.cron, s.data, {
      ...jobOptions(s.queue),
      singletonKey: s.singletonKey,
      tz: SCHEDULE_TIME_ZONE,
    });
  }
}
