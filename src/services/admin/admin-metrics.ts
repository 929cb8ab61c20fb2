import type { Db } from '../../db/database.ts';
import { BatchRunRepository } from '../../db/repositories/batch-run-repository.ts';
import { DailyMetricsRepository } from '../../db/repositories/daily-metrics-repository.ts';
import { addDays, newYorkDateTime } from '../../domain/dates.ts';
import {
  computeOnboardingDay,
  dayFromMetricRows,
  ONBOARDING_METRIC_NAMES,
  type OnboardingDayMetrics,
} from '../../pipeline/admin-metrics/onboarding-metrics.ts';

export interface AdminMetricsDay {
  date: string;
  /** `stored`: written by the nightly admin-metrics job; `live`: computed now from batch_runs. */
  source: 'stored' | 'live';
  onboarding_runs: number;
  onboarding_failed: number;
  failure_rate_percent: number | null;
  median_duration_seconds_all_known: number | null;
  median_duration_seconds_with_unknown: number | null;
  runs_all_known: number;
  runs_with_unknown: number;
  symbols_classified: number;
  cache_hit_rate_percent: number | null;
}

export interface AdminMetricsReport {
  period_days: number;
  timezone: 'America/New_York';
  days: AdminMetricsDay[];
}

const percent = (fraction: number | null) =>
  fraction === null ? null : Math.round(fraction * 10_000) / 100;

function dayView(day: OnboardingDayMetrics, source: AdminMetricsDay['source']): AdminMetricsDay {
  return {
    date: day.date,
    source,
    onboarding_runs: day.runs,
    onboarding_failed: day.failed,
    failure_rate_percent: percent(day.failureRate),
    median_duration_seconds_all_known: day.medianSeconds.all_known,
    median_duration_seconds_with_unknown: day.medianSeconds.with_unknown,
    runs_all_known: day.successfulRuns.all_known,
    runs_with_unknown: day.successfulRuns.with_unknown,
    symbols_classified: day.symbolsClassified,
    cache_hit_rate_percent: percent(day.cacheHitRate),
  };
}

/**
 * The last `days` New York days, oldest first. Days the admin-metrics job has stored are read
 * back; today (still under way) and any day the job has not covered are computed from
 * `batch_runs` on the fly, without writing.
 */
export async function adminMetrics(db: Db, days: number, now: Date): Promise<AdminMetricsReport> {
  const today = newYorkDateTime(now).date;
  const first = addDays(today, -(days - 1));
  const dates = Array.from({ length: days }, (_, i) => addDays(first, i));
  const stored = await new DailyMetricsRepository(db).list(first, today, ONBOARDING_METRIC_NAMES);
  const fromStorage = new Map<string, OnboardingDayMetrics>();
  for (const date of dates) {
    if (date === today) continue;
    const day = dayFromMetricRows(date, stored);
    if (day) fromStorage.set(date, day);
  }
  const missing = dates.filter((d) => !fromStorage.has(d));
  const runsByDay = new Map<string, Awaited<ReturnType<BatchRunRepository['onboardingRuns']>>>();
  if (missing.length > 0) {
    const runs = await new BatchRunRepository(db).onboardingRuns(missing[0]!, today);
    for (const run of runs) {
      const list = runsByDay.get(run.day) ?? [];
      list.push(run);
      runsByDay.set(run.day, list);
    }
  }
  return {
    period_days: days,
    timezone: 'America/New_York',
    days: dates.map((date) => {
      const stored = fromStorage.get(date);
      return stored
        ? dayView(stored, 'stored')
        : dayView(computeOnboardingDay(date, runsByDay.get(date) ?? []), 'live');
    }),
  };
}
