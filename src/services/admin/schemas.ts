import { z } from 'zod';
import { BATCH_STATUSES, JOB_TYPES } from '../../db/schema/enums.ts';
import {
  activityLogEntrySchema,
  currentPhaseProgressSchema,
  overallProgressSchema,
  phaseSchema,
  runErrorSchema,
} from '../batch-runs/schemas.ts';

/**
 * The responses of the admin endpoints. The services in this folder return `z.infer` of these
 * and the admin routes document them, so the OpenAPI document and the code cannot drift apart.
 */

export const batchRunStarted = z.object({
  batch_run_id: z.uuid(),
  status: z.enum(BATCH_STATUSES),
});

export const batchRunSchema = z.object({
  id: z.uuid(),
  batch_run_id: z.uuid(),
  job_type: z.enum(JOB_TYPES),
  triggered_by: z.string(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  status: z.enum(BATCH_STATUSES),
  calculation_date: z.string().nullable(),
  portfolio_id: z.string().nullable(),
  total_jobs: z.number().describe("The run's phases"),
  completed_jobs: z.number().describe('Phases completed or skipped'),
  failed_jobs: z.number().describe('Phases failed'),
  duration_seconds: z.number().nullable().describe('completed_at − started_at; null until done'),
  phase_durations: z.record(z.string(), z.number().nullable()).describe('Seconds per phase id'),
  error_count: z.number(),
  has_errors: z.boolean().describe('Errors recorded, or the run ended partial or failed'),
});

export const batchRunDetailSchema = batchRunSchema.extend({
  scope: z.record(z.string(), z.unknown()),
  mode: z.string().nullable(),
  phases: z.array(phaseSchema),
  error_summary: z.object({
    count: z.number(),
    types: z.array(z.string()).describe('Distinct error codes, most frequent first'),
    details: z.array(runErrorSchema).describe('The first 200 errors'),
  }),
});

export const batchRunLogSchema = batchRunDetailSchema.extend({
  activity_log: z.array(activityLogEntrySchema),
});

export const activeRunSchema = batchRunSchema.extend({
  scope: z.record(z.string(), z.unknown()),
  elapsed_seconds: z.number().nullable(),
  overall_progress: overallProgressSchema,
  current_phase_progress: currentPhaseProgressSchema,
  phases: z.array(phaseSchema),
});

export const currentRunsSchema = z.object({
  count: z.number(),
  queue_depth: z
    .number()
    .nullable()
    .describe('Jobs waiting or running in the queue; null without one'),
  runs: z.array(activeRunSchema),
});

export const historySchema = z.object({
  total_count: z.number(),
  runs: z.array(batchRunSchema),
});

export const summarySchema = z.object({
  period_days: z.number(),
  total_runs: z.number(),
  status_breakdown: z.record(z.enum(BATCH_STATUSES), z.number()),
  success_rate_percent: z
    .number()
    .nullable()
    .describe('Completed runs as a percentage of finished runs (completed, partial, failed)'),
  avg_duration_seconds: z.number().nullable().describe('Mean duration of finished runs'),
  most_recent: batchRunSchema.nullable(),
});

export const metricsSchema = z.object({
  period_days: z.number(),
  timezone: z.literal('America/New_York'),
  days: z.array(
    z.object({
      date: z.string(),
      source: z.enum(['stored', 'live']),
      onboarding_runs: z.number().describe('Finished onboarding runs'),
      onboarding_failed: z.number(),
      failure_rate_percent: z.number().nullable(),
      median_duration_seconds_all_known: z.number().nullable(),
      median_duration_seconds_with_unknown: z.number().nullable(),
      runs_all_known: z.number(),
      runs_with_unknown: z.number(),
      symbols_classified: z.number(),
      cache_hit_rate_percent: z
        .number()
        .nullable()
        .describe('Share of onboarded symbols already known (no fetch needed)'),
    }),
  ),
});

export const cacheHealthSchema = z.object({
  symbols_cached: z.number(),
  price_points: z.number(),
  dates_cached: z.number(),
  factor_rows: z.number(),
  approx_memory_bytes: z.number(),
  approx_memory_mb: z.number(),
  hits: z.number(),
  misses: z.number(),
  hit_rate: z.number().nullable(),
  process_memory: z.object({ rss_bytes: z.number(), heap_used_bytes: z.number() }),
});

export type BatchRunView = z.infer<typeof batchRunSchema>;
export type BatchRunDetailView = z.infer<typeof batchRunDetailSchema>;
export type BatchRunLogView = z.infer<typeof batchRunLogSchema>;
export type ActiveRunView = z.infer<typeof activeRunSchema>;
export type HistoryView = z.infer<typeof historySchema>;
export type HistorySummaryView = z.infer<typeof summarySchema>;
export type DailyMetricsView = z.infer<typeof metricsSchema>;
export type CacheHealthView = z.infer<typeof cacheHealthSchema>;
