import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  doublePrecision,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, inList, updatedAt } from './columns.ts';
import { BATCH_STATUSES, JOB_TYPES, type BatchStatus, type JobType } from './enums.ts';

/**
 * One row per pipeline run (symbol batch, refresh, onboarding, backfill, metrics). Status lives
 * here, not in process memory, so any instance can answer a status poll and a restart loses
 * nothing.
 */
export const batchRuns = pgTable(
  'batch_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    jobType: text('job_type').$type<JobType>().notNull(),
    /** `{ date?, portfolio_id?, symbols? }` */
    scope: jsonb('scope').$type<Record<string, unknown>>().notNull().default({}),
    /** Canonical text of the scope: two runs with the same type and key are the same job. */
    scopeKey: text('scope_key').notNull(),
    portfolioId: uuid('portfolio_id'),
    calculationDate: date('calculation_date'),
    mode: text('mode'),
    status: text('status').$type<BatchStatus>().notNull().default('queued'),
    phases: jsonb('phases').notNull().default([]),
    activityLog: jsonb('activity_log').notNull().default([]),
    errors: jsonb('errors').notNull().default([]),
    triggeredBy: text('triggered_by').notNull(),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    // At most one live run per (type, scope), across processes: the database enforces it.
    uniqueIndex('batch_runs_active_scope_key')
      .on(t.jobType, t.scopeKey)
      .where(sql`status IN ('queued', 'running')`),
    index('batch_runs_type_created_idx').on(t.jobType, t.createdAt),
    index('batch_runs_portfolio_created_idx').on(t.portfolioId, t.createdAt),
    index('batch_runs_status_idx').on(t.status),
    check('batch_runs_job_type_check', sql.raw(`job_type IN (${inList(JOB_TYPES)})`)),
    check('batch_runs_status_check', sql.raw(`status IN (${inList(BATCH_STATUSES)})`)),
  ],
);

/** Per-day operational metrics; `dimensions` distinguishes e.g. onboarding with/without unknowns. */
export const dailyMetrics = pgTable(
  'daily_metrics',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    date: date('date').notNull(),
    metric: text('metric').notNull(),
    dimensions: jsonb('dimensions').notNull().default({}),
    value: doublePrecision('value').notNull(),
    sampleCount: bigint('sample_count', { mode: 'number' }).notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('daily_metrics_date_metric_dimensions_key').on(t.date, t.metric, t.dimensions),
  ],
);

/**
 * The read version: how many write statements each database session has committed to the tables
 * the dashboard reads (triggers in migration 0009 count them). Its sum changes exactly when a
 * committed write could change a dashboard or analytics response, so a serve process can keep
 * such responses in memory and answer `If-None-Match` until it moves. One row per backend, so
 * concurrent writers (two workers refreshing chunks) never wait on each other's counter.
 */
export const readVersions = pgTable('read_versions', {
  backendPid: bigint('backend_pid', { mode: 'number' }).primaryKey(),
  writes: bigint('writes', { mode: 'number' }).notNull().default(0),
});
