import type { Db } from '../../db/database.ts';
import {
  BatchRunRepository,
  type BatchRunRow,
  type PhaseProgress,
} from '../../db/repositories/batch-run-repository.ts';
import type { OnboardingStatusView } from './schemas.ts';
import { ONBOARDING_PHASES } from '../../pipeline/onboarding/onboarding-phases.ts';

export type { OnboardingStatusView } from './schemas.ts';

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/** The phases a run reports; a run that has not written any yet shows the fast path's, pending. */
function phasesOf(row: BatchRunRow | null): PhaseProgress[] {
  if (row && row.phases.length > 0) return row.phases;
  return ONBOARDING_PHASES.map((p) => ({
    ...p,
    status: 'pending',
    current: 0,
    total: 0,
    duration_ms: null,
  }));
}

/** Seconds the run has been working: to its end once finished, to `now` while it runs. */
export function elapsedSecondsOf(row: BatchRunRow, now: Date): number | null {
  if (!row.startedAt) return null;
  const end = row.completedAt ? Date.parse(row.completedAt) : now.getTime();
  return round(Math.max(0, end - Date.parse(row.startedAt)) / 1000, 3);
}

/**
 * The status of a portfolio's latest calculation, read from its `batch_runs` row only — so any
 * instance answers, and a finished status survives restarts. Progress counts skipped phases as
 * done and gives the running phase partial credit (current/total).
 */
export function onboardingStatusView(
  portfolioId: string,
  row: BatchRunRow | null,
  now: Date,
): OnboardingStatusView {
  const phases = phasesOf(row);
  const done = phases.filter((p) => p.status === 'completed' || p.status === 'skipped').length;
  const live = row?.status === 'queued' || row?.status === 'running';
  const running = phases.find((p) => p.status === 'running') ?? null;
  const current = live ? (running ?? phases.find((p) => p.status === 'pending') ?? null) : null;
  const runningShare =
    running && running.total > 0 ? Math.min(1, running.current / running.total) : 0;
  return {
    portfolio_id: portfolioId,
    batch_run_id: row?.id ?? null,
    status: row?.status ?? 'not_found',
    mode: row?.mode ?? null,
    started_at: row?.startedAt ?? null,
    elapsed_seconds: row ? elapsedSecondsOf(row, now) : null,
    overall_progress: {
      current_phase: current?.id ?? null,
      current_phase_name: current?.name ?? null,
      phases_completed: done,
      phases_total: phases.length,
      percent_complete:
        row?.status === 'completed' || row?.status === 'partial'
          ? 100
          : round(((done + (live ? runningShare : 0)) / phases.length) * 100, 1),
    },
    current_phase_progress:
      live && running
        ? { current: running.current, total: running.total, unit: running.unit }
        : null,
    phases: phases.map((p) => ({
      phase_id: p.id,
      phase_name: p.name,
      status: p.status,
      current: p.current,
      total: p.total,
      unit: p.unit,
      duration_seconds: p.duration_ms === null ? null : round(p.duration_ms / 1000, 3),
    })),
    activity_log: (row?.activityLog ?? []).map((e) => ({
      timestamp: e.timestamp,
      message: e.message,
      level: e.level,
    })),
    errors: row?.errors ?? [],
  };
}

/** The latest onboarding calculation of a portfolio (null: never calculated). */
export function latestOnboardingRun(db: Db, portfolioId: string): Promise<BatchRunRow | null> {
  return new BatchRunRepository(db).latestForPortfolio(portfolioId, 'onboarding');
}
