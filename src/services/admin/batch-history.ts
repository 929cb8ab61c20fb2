import type { Db } from '../../db/database.ts';
import { BatchRunRepository } from '../../db/repositories/batch-run-repository.ts';
import { BATCH_STATUSES, type BatchStatus, type JobType } from '../../db/schema/enums.ts';
import {
  activeRunView,
  batchRunDetailView,
  batchRunLogView,
  batchRunView,
  type ActiveRunView,
  type BatchRunDetailView,
} from './batch-run-views.ts';
import type { HistorySummaryView, HistoryView } from './schemas.ts';

const DAY_MS = 86_400_000;

/** The start of a "last N days" window: N × 24 h before now. */
function windowStart(now: Date, days: number): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString();
}

export async function batchHistory(
  db: Db,
  query: { days: number; limit: number; status?: BatchStatus; jobType?: JobType },
  now: Date,
): Promise<HistoryView> {
  const { total, runs } = await new BatchRunRepository(db).list(
    { since: windowStart(now, query.days), status: query.status, jobType: query.jobType },
    query.limit,
  );
  return { total_count: total, runs: runs.map(batchRunView) };
}

export async function batchHistorySummary(
  db: Db,
  query: { days: number; jobType?: JobType },
  now: Date,
): Promise<HistorySummaryView> {
  const repo = new BatchRunRepository(db);
  const filter = { since: windowStart(now, query.days), jobType: query.jobType };
  const totals = await repo.totals(filter);
  const breakdown = Object.fromEntries(
    BATCH_STATUSES.map((s) => [s, totals.byStatus[s] ?? 0]),
  ) as Record<BatchStatus, number>;
  const finished = breakdown.completed + breakdown.partial + breakdown.failed;
  const recent = await repo.list(filter, 1);
  return {
    period_days: query.days,
    total_runs: BATCH_STATUSES.reduce((sum, s) => sum + breakdown[s], 0),
    status_breakdown: breakdown,
    success_rate_percent:
      finished === 0 ? null : Math.round((breakdown.completed / finished) * 10_000) / 100,
    avg_duration_seconds: totals.avgDurationSeconds,
    most_recent: recent.runs[0] ? batchRunView(recent.runs[0]) : null,
  };
}

export async function batchRunDetail(db: Db, id: string): Promise<BatchRunDetailView | null> {
  const row = await new BatchRunRepository(db).getDetail(id);
  return row && batchRunDetailView(row);
}

export async function batchRunLogs(
  db: Db,
  id: string,
): Promise<ReturnType<typeof batchRunLogView> | null> {
  const row = await new BatchRunRepository(db).getDetail(id);
  return row && batchRunLogView(row);
}

/** Queued and running runs of every job type, with progress. */
export async function activeBatchRuns(db: Db, now: Date): Promise<ActiveRunView[]> {
  return (await new BatchRunRepository(db).listActive()).map((row) => activeRunView(row, now));
}
