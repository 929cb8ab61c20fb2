import type { DailyMetricRow } from '../../db/repositories/daily-metrics-repository.ts';
import type { OnboardingRunFacts } from '../../db/repositories/batch-run-repository.ts';

/** Whether an onboarding found every symbol already known, or had to process new ones. */
export type SymbolMix = 'all_known' | 'with_unknown';

/** One day of onboarding figures, as computed from `batch_runs` or read back from storage. */
export interface OnboardingDayMetrics {
  date: string;
  /** Finished runs (completed, partial or failed); queued and running ones are not counted. */
  runs: number;
  failed: number;
  /** failed / runs, 0..1; null on a day without finished runs. */
  failureRate: number | null;
  medianSeconds: Record<SymbolMix, number | null>;
  /** Successful runs (completed or partial) behind each median. */
  successfulRuns: Record<SymbolMix, number>;
  /** Symbols classified across the day's runs, and how many were already known. */
  symbolsClassified: number;
  symbolsKnown: number;
  /** symbolsKnown / symbolsClassified, 0..1: the share served without fetching anything. */
  cacheHitRate: number | null;
}

/** The `daily_metrics.metric` names this module writes (and owns). */
export const ONBOARDING_METRICS = {
  runs: 'onboarding_runs',
  failures: 'onboarding_failures',
  failureRate: 'onboarding_failure_rate',
  medianDuration: 'onboarding_duration_median_seconds',
  cacheHitRate: 'onboarding_symbol_cache_hit_rate',
} as const;

export const ONBOARDING_METRIC_NAMES: readonly string[] = Object.values(ONBOARDING_METRICS);

const FINISHED = new Set(['completed', 'partial', 'failed']);
const SYMBOL_MIXES: readonly SymbolMix[] = ['all_known', 'with_unknown'];

/**
 * What a run's phases say about its symbols. calculatePortfolio marks `symbol_processing`
 * skipped when every symbol was known and runs it (total = the unknown count) otherwise; a run
 * that failed before classification finished says nothing.
 */
export function symbolMixOf(
  phases: OnboardingRunFacts['phases'],
): { mix: SymbolMix; classified: number; known: number } | null {
  const classify = phases.find((p) => p.id === 'classify');
  const processing = phases.find((p) => p.id === 'symbol_processing');
  if (classify?.status !== 'completed' || !processing || processing.status === 'pending') {
    return null;
  }
  const unknown = processing.status === 'skipped' ? 0 : processing.total;
  return {
    mix: unknown === 0 ? 'all_known' : 'with_unknown',
    classified: classify.total,
    known: Math.max(0, classify.total - unknown),
  };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The figures of one day from its onboarding runs (`runs` must all belong to `date`). */
export function computeOnboardingDay(
  date: string,
  runs: readonly OnboardingRunFacts[],
): OnboardingDayMetrics {
  const finished = runs.filter((r) => FINISHED.has(r.status));
  const failed = finished.filter((r) => r.status === 'failed').length;
  const durations: Record<SymbolMix, number[]> = { all_known: [], with_unknown: [] };
  let classified = 0;
  let known = 0;
  for (const run of finished) {
    const mix = symbolMixOf(run.phases);
    if (!mix) continue;
    classified += mix.classified;
    known += mix.known;
    if (run.status !== 'failed' && run.durationSeconds !== null) {
      durations[mix.mix].push(run.durationSeconds);
    }
  }
  return {
    date,
    runs: finished.length,
    failed,
    failureRate: finished.length === 0 ? null : failed / finished.length,
    medianSeconds: {
      all_known: median(durations.all_known),
      with_unknown: median(durations.with_unknown),
    },
    successfulRuns: {
      all_known: durations.all_known.length,
      with_unknown: durations.with_unknown.length,
    },
    symbolsClassified: classified,
    symbolsKnown: known,
    cacheHitRate: classified === 0 ? null : known / classified,
  };
}

/**
 * The rows stored for a day. Counts are always written (a zero says "computed, nothing
 * happened", which tells the reader not to compute the day again); a rate or median is written
 * only when it has samples, since `value` cannot be null.
 */
export function metricRowsOf(day: OnboardingDayMetrics): Omit<DailyMetricRow, 'date'>[] {
  const rows: Omit<DailyMetricRow, 'date'>[] = [
    { metric: ONBOARDING_METRICS.runs, dimensions: {}, value: day.runs, sampleCount: day.runs },
    {
      metric: ONBOARDING_METRICS.failures,
      dimensions: {},
      value: day.failed,
      sampleCount: day.runs,
    },
  ];
  if (day.failureRate !== null) {
    rows.push({
      metric: ONBOARDING_METRICS.failureRate,
      dimensions: {},
      value: day.failureRate,
      sampleCount: day.runs,
    });
  }
  for (const mix of SYMBOL_MIXES) {
    const value = day.medianSeconds[mix];
    if (value === null) continue;
    rows.push({
      metric: ONBOARDING_METRICS.medianDuration,
      dimensions: { symbols: mix },
      value,
      sampleCount: day.successfulRuns[mix],
    });
  }
  if (day.cacheHitRate !== null) {
    rows.push({
      metric: ONBOARDING_METRICS.cacheHitRate,
      dimensions: {},
      value: day.cacheHitRate,
      sampleCount: day.symbolsClassified,
    });
  }
  return rows;
}

/** Reads a stored day back; null when the day was never computed (no `onboarding_runs` row). */
export function dayFromMetricRows(
  date: string,
  rows: readonly DailyMetricRow[],
): OnboardingDayMetrics | null {
  const find = (metric: string, mix?: SymbolMix) =>
    rows.find(
      (r) =>
        r.date === date &&
        r.metric === metric &&
        (mix === undefined || r.dimensions.symbols === mix),
    );
  const runs = find(ONBOARDING_METRICS.runs);
  if (!runs) return null;
  const failures = find(ONBOARDING_METRICS.failures);
  const rate = find(ONBOARDING_METRICS.failureRate);
  const hit = find(ONBOARDING_METRICS.cacheHitRate);
  const medianOf = (mix: SymbolMix) => find(ONBOARDING_METRICS.medianDuration, mix);
  const classified = hit?.sampleCount ?? 0;
  return {
    date,
    runs: runs.value,
    failed: failures?.value ?? 0,
    failureRate: rate?.value ?? null,
    medianSeconds: {
      all_known: medianOf('all_known')?.value ?? null,
      with_unknown: medianOf('with_unknown')?.value ?? null,
    },
    successfulRuns: {
      all_known: medianOf('all_known')?.sampleCount ?? 0,
      with_unknown: medianOf('with_unknown')?.sampleCount ?? 0,
    },
    symbolsClassified: classified,
    symbolsKnown: hit ? Math.round(hit.value * classified) : 0,
    cacheHitRate: hit?.value ?? null,
  };
}
