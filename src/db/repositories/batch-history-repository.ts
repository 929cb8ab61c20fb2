import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import type { BatchStatus, JobType } from '../schema/enums.ts';
import type { ActivityEntry, PhaseProgress, RunError } from './batch-run-repository.ts';

/** One run as the admin history lists it: no log, only the size of the error list. */
export interface BatchHistoryRow {
  id: string;
  jobType: JobType;
  scope: Record<string, unknown>;
  portfolioId: string | null;
  calculationDate: string | null;
  mode: string | null;
  status: BatchStatus;
  triggeredBy: string;
  phases: PhaseProgress[];
  errorCount: number;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  /** completed_at − started_at to the millisecond; null until the run has finished. */
  durationSeconds: number | null;
}

/** A run with its full log and errors (the admin detail and log views). */
export interface BatchHistoryDetailRow extends BatchHistoryRow {
  activityLog: ActivityEntry[];
  errors: RunError[];
}

export interface BatchHistoryFilter {
  /** ISO timestamp: runs created at or after it. */
  since: string;
  status?: BatchStatus;
  jobType?: JobType;
}

export interface BatchHistoryTotals {
  byStatus: Partial<Record<BatchStatus, number>>;
  /** Mean completed_at − started_at over finished runs that have both timestamps. */
  avgDurationSeconds: number | null;
}

/** One onboarding run reduced to what the daily admin metrics need. */
export interface OnboardingRunFacts {
  id: string;
  /** The New York calendar day the run was created on. */
  day: string;
  status: BatchStatus;
  phases: PhaseProgress[];
  durationSeconds: number | null;
}

const iso = (column: string) =>
  sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

// Rounded to the millisecond so the list, the detail and the summary agree to the digit.
const DURATION = sql`round(extract(epoch from (completed_at - started_at))::numeric, 3)::float8`;

const SUMMARY_COLUMNS = sql`id, job_type AS "jobType", scope, portfolio_id AS "portfolioId",
  calculation_date AS "calculationDate", mode, status, triggered_by AS "triggeredBy", phases,
  jsonb_array_length(errors) AS "errorCount",
  ${iso('created_at')} AS "createdAt", ${iso('started_at')} AS "startedAt",
  ${iso('completed_at')} AS "completedAt",
  CASE WHEN completed_at IS NOT NULL AND started_at IS NOT NULL THEN ${DURATION} END
    AS "durationSeconds"`;

/** Days are New York calendar days, like the batch schedules (SPEC §8). */
const NEW_YORK = 'America/New_York';

function whereOf(filter: BatchHistoryFilter): SQL {
  const conditions = [sql`created_at >= ${filter.since}::timestamptz`];
  if (filter.status) conditions.push(sql`status = ${filter.status}`);
  if (filter.jobType) conditions.push(sql`job_type = ${filter.jobType}`);
  return sql.join(conditions, sql` AND `);
}

/**
 * Read-only SQL over `batch_runs` for the admin views: history, summary, live runs and the
 * onboarding facts the daily metrics are computed from. Writes stay in BatchRunRepository.
 */
export class BatchHistoryRepository {
  constructor(private readonly db: Db) {}

  /** Matching runs newest first (at most `limit`), and how many match in all. */
  async list(
    filter: BatchHistoryFilter,
    limit: number,
  ): Promise<{ total: number; runs: BatchHistoryRow[] }> {
    const where = whereOf(filter);
    const [counted] = await queryRows<{ n: number }>(
      this.db,
      sql`SELECT count(*)::int AS n FROM batch_runs WHERE ${where}`,
    );
    const runs = await queryRows<BatchHistoryRow & Record<string, unknown>>(
      this.db,
      sql`SELECT ${SUMMARY_COLUMNS} FROM batch_runs WHERE ${where}
          ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
    );
    return { total: counted?.n ?? 0, runs };
  }

  async totals(filter: BatchHistoryFilter): Promise<BatchHistoryTotals> {
    const where = whereOf(filter);
    const byStatus = await queryRows<{ status: BatchStatus; n: number }>(
      this.db,
      sql`SELECT status, count(*)::int AS n FROM batch_runs WHERE ${where} GROUP BY status`,
    );
    const [avg] = await queryRows<{ avg: number | null }>(
      this.db,
      sql`SELECT round(avg(extract(epoch from (completed_at - started_at)))::numeric, 3)::float8 AS avg
          FROM batch_runs WHERE ${where} AND status IN ('completed', 'partial', 'failed')
            AND started_at IS NOT NULL AND completed_at IS NOT NULL`,
    );
    return {
      byStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
      avgDurationSeconds: avg?.avg ?? null,
    };
  }

  async get(id: string): Promise<BatchHistoryDetailRow | null> {
    const rows = await queryRows<BatchHistoryDetailRow & Record<string, unknown>>(
      this.db,
      sql`SELECT ${SUMMARY_COLUMNS}, activity_log AS "activityLog", errors
          FROM batch_runs WHERE id = ${id}`,
    );
    return rows[0] ?? null;
  }

  /** Runs queued or running, of every job type, oldest first (the order a queue drains). */
  async listActive(): Promise<BatchHistoryRow[]> {
    return queryRows<BatchHistoryRow & Record<string, unknown>>(
      this.db,
      sql`SELECT ${SUMMARY_COLUMNS} FROM batch_runs WHERE status IN ('queued', 'running')
          ORDER BY created_at, id`,
    );
  }

  /** Onboarding runs created on New York days `from`..`to` (inclusive). */
  async onboardingRuns(from: string, to: string): Promise<OnboardingRunFacts[]> {
    // Bounds as instants keep the (job_type, created_at) index usable.
    return queryRows<OnboardingRunFacts & Record<string, unknown>>(
      this.db,
      sql`SELECT id, (created_at AT TIME ZONE ${NEW_YORK})::date AS day, status, phases,
            CASE WHEN completed_at IS NOT NULL AND started_at IS NOT NULL THEN ${DURATION} END
              AS "durationSeconds"
          FROM batch_runs
          WHERE job_type = 'onboarding'
            AND created_at >= (${from}::date::timestamp AT TIME ZONE ${NEW_YORK})
            AND created_at < ((${to}::date + 1)::timestamp AT TIME ZONE ${NEW_YORK})
          ORDER BY created_at, id`,
    );
  }
}
