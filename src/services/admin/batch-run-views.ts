import type {
  BatchHistoryDetailRow,
  BatchHistoryRow,
} from '../../db/repositories/batch-run-repository.ts';
import type { RunError } from '../../db/repositories/batch-run-repository.ts';
import type { PhaseView } from '../batch-runs/schemas.ts';
import type {
  ActiveRunView,
  BatchRunDetailView,
  BatchRunLogView,
  BatchRunView,
} from './schemas.ts';

export type { ActiveRunView, BatchRunDetailView, BatchRunView } from './schemas.ts';

/** Error entries shown in a run's `error_summary.details` (the count is always the full one). */
export const MAX_ERROR_DETAILS = 200;

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

const msToSeconds = (ms: number | null) => (ms === null ? null : round(ms / 1000, 3));

/**
 * A run's "jobs" are its phases: every job type records phases, so the three counters mean the
 * same for a symbol batch, a refresh or an onboarding. Skipped phases count as done. Failures
 * of single symbols or portfolios inside a phase show in `has_errors` and the error summary.
 */
export function batchRunView(row: BatchHistoryRow): BatchRunView {
  const done = row.phases.filter((p) => p.status === 'completed' || p.status === 'skipped');
  const failed = row.phases.filter((p) => p.status === 'failed');
  return {
    id: row.id,
    batch_run_id: row.id,
    job_type: row.jobType,
    triggered_by: row.triggeredBy,
    created_at: row.createdAt,
    started_at: row.startedAt,
    completed_at: row.completedAt,
    status: row.status,
    calculation_date: row.calculationDate,
    portfolio_id: row.portfolioId,
    total_jobs: row.phases.length,
    completed_jobs: done.length,
    failed_jobs: failed.length,
    duration_seconds: row.durationSeconds,
    phase_durations: Object.fromEntries(row.phases.map((p) => [p.id, msToSeconds(p.duration_ms)])),
    error_count: row.errorCount,
    // A partial run may log its failed symbols as warnings rather than errors; it still had some.
    has_errors: row.errorCount > 0 || row.status === 'partial' || row.status === 'failed',
  };
}

export function phaseViews(row: BatchHistoryRow): PhaseView[] {
  return row.phases.map((p) => ({
    phase_id: p.id,
    phase_name: p.name,
    status: p.status,
    current: p.current,
    total: p.total,
    unit: p.unit,
    duration_seconds: msToSeconds(p.duration_ms),
  }));
}

/** Distinct error codes, most frequent first (ties by code). */
function errorTypes(errors: readonly RunError[]): string[] {
  const counts = new Map<string, number>();
  for (const e of errors) counts.set(e.code, (counts.get(e.code) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([code]) => code);
}

export function batchRunDetailView(row: BatchHistoryDetailRow): BatchRunDetailView {
  return {
    ...batchRunView(row),
    scope: row.scope,
    mode: row.mode,
    phases: phaseViews(row),
    error_summary: {
      count: row.errors.length,
      types: errorTypes(row.errors),
      details: row.errors.slice(0, MAX_ERROR_DETAILS),
    },
  };
}

export function batchRunLogView(row: BatchHistoryDetailRow): BatchRunLogView {
  return {
    ...batchRunDetailView(row),
    activity_log: row.activityLog.map((e) => ({
      timestamp: e.timestamp,
      level: e.level,
      message: e.message,
    })),
  };
}

/** A queued or running run with the same progress fields the onboarding status uses. */
export function activeRunView(row: BatchHistoryRow, now: Date): ActiveRunView {
  const phases = phaseViews(row);
  const done = phases.filter((p) => p.status === 'completed' || p.status === 'skipped').length;
  const current =
    row.phases.find((p) => p.status === 'running') ??
    row.phases.find((p) => p.status === 'pending') ??
    null;
  const runningShare =
    current && current.status === 'running' && current.total > 0
      ? Math.min(1, current.current / current.total)
      : 0;
  const started = row.startedAt ? Date.parse(row.startedAt) : null;
  return {
    ...batchRunView(row),
    scope: row.scope,
    elapsed_seconds:
      started === null ? null : round(Math.max(0, now.getTime() - started) / 1000, 3),
    overall_progress: {
      current_phase: current?.id ?? null,
      current_phase_name: current?.name ?? null,
      phases_completed: done,
      phases_total: phases.length,
      percent_complete:
        phases.length === 0 ? 0 : round(((done + runningShare) / phases.length) * 100, 1),
    },
    current_phase_progress:
      current && current.status === 'running'
        ? { current: current.current, total: current.total, unit: current.unit }
        : null,
    phases,
  };
}
