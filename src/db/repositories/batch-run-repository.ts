import { and, desc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import { isUniqueViolation } from '../db-errors.ts';
import { JobAlreadyActiveError } from '../job-already-active-error.ts';
import type { BatchStatus, JobType } from '../schema/enums.ts';
import { batchRuns } from '../schema/index.ts';
import { withIsoTimes } from './row-values.ts';

export interface PhaseProgress {
  id: string;
  name: string;
  status: 'pending' | 'running' | 'completed' | 'failed' | 'skipped';
  current: number;
  total: number;
  unit: string;
  duration_ms: number | null;
  detail?: string;
}

export interface ActivityEntry {
  timestamp: string;
  level: 'info' | 'warning' | 'error';
  message: string;
}

export interface RunError {
  symbol?: string;
  portfolio_id?: string;
  phase: string;
  code: string;
  message: string;
}

export interface BatchRunRow {
  id: string;
  jobType: JobType;
  scope: Record<string, unknown>;
  scopeKey: string;
  portfolioId: string | null;
  calculationDate: string | null;
  mode: string | null;
  status: BatchStatus;
  phases: PhaseProgress[];
  activityLog: ActivityEntry[];
  errors: RunError[];
  triggeredBy: string;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
}

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

// Every column of a run but its heartbeat.
const { updatedAt: _updatedAt, ...RUN_COLUMNS } = getTableColumns(batchRuns);

const toBatchRunRow = (row: Omit<typeof batchRuns.$inferSelect, 'updatedAt'>): BatchRunRow => {
  const times = withIsoTimes(row, ['createdAt', 'startedAt', 'completedAt']);
  // jsonb holds what saveProgress wrote; the database does not check its shape.
  return {
    ...times,
    phases: times.phases as PhaseProgress[],
    activityLog: times.activityLog as ActivityEntry[],
    errors: times.errors as RunError[],
  };
};

/**
 * All SQL on `batch_runs`: the durable record of every pipeline run and its progress, and the
 * admin views over it (history, summary, live runs, the onboarding facts of the daily metrics).
 */
export class BatchRunRepository {
  constructor(private readonly db: Db) {}

  async create(input: {
    /** A chosen id (the job queue uses its job's id, so the two can be matched); else generated. */
    id?: string;
    jobType: JobType;
    scope: Record<string, unknown>;
    scopeKey: string;
    triggeredBy: string;
    status?: 'queued' | 'running';
    portfolioId?: string | null;
    calculationDate?: string | null;
    mode?: string | null;
    phases?: PhaseProgress[];
  }): Promise<string> {
    const status = input.status ?? 'running';
    try {
      const rows = await queryRows<{ id: string }>(
        this.db,
        sql`INSERT INTO batch_runs (id, job_type, scope, scope_key, portfolio_id, calculation_date, mode,
              status, phases, triggered_by, started_at)
            VALUES (coalesce(${input.id ?? null}::uuid, gen_random_uuid()), ${input.jobType}, ${JSON.stringify(input.scope)}::jsonb, ${input.scopeKey},
              ${input.portfolioId ?? null}, ${input.calculationDate ?? null}, ${input.mode ?? null},
              ${status}, ${JSON.stringify(input.phases ?? [])}::jsonb, ${input.triggeredBy},
              ${status === 'running' ? sql`now()` : sql`NULL`})
            RETURNING id`,
      );
      return rows[0]!.id;
    } catch (error) {
      if (isUniqueViolation(error)) throw new JobAlreadyActiveError(input.jobType, input.scopeKey);
      throw error;
    }
  }

  async markRunning(id: string): Promise<void> {
    await this.db
      .update(batchRuns)
      .set({
        status: 'running',
        startedAt: sql`coalesce(${batchRuns.startedAt}, now())`,
        updatedAt: sql`now()`,
      })
      .where(eq(batchRuns.id, id));
  }

  /** Writes progress: the phase list replaces the stored one, log entries and errors append. */
  async saveProgress(
    id: string,
    progress: { phases?: PhaseProgress[]; log?: ActivityEntry[]; errors?: RunError[] },
  ): Promise<void> {
    await this.db.execute(sql`UPDATE batch_runs SET
        phases = coalesce(${progress.phases ? JSON.stringify(progress.phases) : null}::jsonb, phases),
        activity_log = activity_log || ${JSON.stringify(progress.log ?? [])}::jsonb,
        errors = errors || ${JSON.stringify(progress.errors ?? [])}::jsonb,
        updated_at = now()
      WHERE id = ${id}`);
  }

  async finish(id: string, status: 'completed' | 'partial' | 'failed'): Promise<void> {
    await this.db
      .update(batchRuns)
      .set({ status, completedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(batchRuns.id, id));
  }

  async get(id: string): Promise<BatchRunRow | null> {
    const [row] = await this.db.select(RUN_COLUMNS).from(batchRuns).where(eq(batchRuns.id, id));
    return row ? toBatchRunRow(row) : null;
  }

  /**
   * Calculation dates that finished (completed or partial) for a job type and scope-key
   * prefix, newest first — the symbol batch backfills from the latest of these.
   */
  async completedDates(jobType: JobType, scopeKeyPrefix: string, limit = 1): Promise<string[]> {
    const rows = await queryRows<{ d: string }>(
      this.db,
      sql`SELECT DISTINCT calculation_date AS d FROM batch_runs
          WHERE job_type = ${jobType} AND status IN ('completed', 'partial')
            AND scope_key LIKE ${`${scopeKeyPrefix}%`} AND calculation_date IS NOT NULL
          ORDER BY d DESC LIMIT ${limit}`,
    );
    return rows.map((r) => r.d);
  }

  /** The newest run of a job type for a portfolio (the onboarding status reads this one). */
  async latestForPortfolio(portfolioId: string, jobType: JobType): Promise<BatchRunRow | null> {
    const [row] = await this.db
      .select(RUN_COLUMNS)
      .from(batchRuns)
      .where(and(eq(batchRuns.portfolioId, portfolioId), eq(batchRuns.jobType, jobType)))
      .orderBy(desc(batchRuns.createdAt), desc(batchRuns.id))
      .limit(1);
    return row ? toBatchRunRow(row) : null;
  }

  /**
   * A portfolio's calculations, newest first, without their logs (the audit trail lists them):
   * id, status, mode, date, who started them and when.
   */
  async calculationsOf(
    portfolioId: string,
    limit: number,
    before?: string,
  ): Promise<
    Pick<
      BatchRunRow,
      'id' | 'status' | 'mode' | 'calculationDate' | 'triggeredBy' | 'createdAt' | 'completedAt'
    >[]
  > {
    return queryRows(
      this.db,
      sql`SELECT id, status, mode, calculation_date AS "calculationDate", triggered_by AS "triggeredBy",
            to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAt",
            to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "completedAt"
          FROM batch_runs
          WHERE portfolio_id = ${portfolioId} AND job_type = 'onboarding'
            AND (${before ?? null}::timestamptz IS NULL OR created_at < ${before ?? null}::timestamptz)
          ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
    );
  }

  /** A heartbeat: a running job's row stays fresh so a dead worker's row can be told apart. */
  async touch(id: string): Promise<void> {
    await this.db
      .update(batchRuns)
      .set({ updatedAt: sql`now()` })
      .where(eq(batchRuns.id, id));
  }

  /** Running rows of these job types not written for `olderThanSeconds` (0: every running row). */
  async listStaleRunning(
    jobTypes: readonly JobType[],
    olderThanSeconds: number,
  ): Promise<{ id: string; jobType: JobType }[]> {
    return queryRows<{ id: string; jobType: JobType }>(
      this.db,
      sql`SELECT id, job_type AS "jobType" FROM batch_runs
          WHERE status = 'running' AND job_type = ANY(${sql.param([...jobTypes])}::text[])
            AND updated_at <= now() - make_interval(secs => ${olderThanSeconds})
          ORDER BY updated_at`,
    );
  }

  /** Rows still `queued` after `olderThanSeconds` (candidates for "never reached the queue"). */
  async listStaleQueued(
    jobTypes: readonly JobType[],
    olderThanSeconds: number,
  ): Promise<{ id: string; jobType: JobType }[]> {
    return queryRows<{ id: string; jobType: JobType }>(
      this.db,
      sql`SELECT id, job_type AS "jobType" FROM batch_runs
          WHERE status = 'queued' AND job_type = ANY(${sql.param([...jobTypes])}::text[])
            AND created_at <= now() - make_interval(secs => ${olderThanSeconds})
          ORDER BY created_at`,
    );
  }

  /**
   * Ends the live runs `triggeredBy` started (a job's sub-runs) as failed. Called when a job
   * starts again after its worker died: the sub-runs of the dead attempt can never finish, and
   * their live rows would block the same scope for the new attempt.
   */
  async failLiveRunsTriggeredBy(triggeredBy: string, message: string): Promise<number> {
    const entry = [{ timestamp: new Date().toISOString(), level: 'error', message }];
    const error = [{ phase: 'job', code: 'interrupted', message }];
    const rows = await queryRows<{ id: string }>(
      this.db,
      sql`UPDATE batch_runs SET status = 'failed', completed_at = now(), updated_at = now(),
            activity_log = activity_log || ${JSON.stringify(entry)}::jsonb,
            errors = errors || ${JSON.stringify(error)}::jsonb
          WHERE triggered_by = ${triggeredBy} AND status IN ('queued', 'running')
          RETURNING id`,
    );
    return rows.length;
  }

  /** Removes a run that never reached the queue (nothing else can have seen it run). */
  async deleteQueued(id: string): Promise<void> {
    await this.db
      .delete(batchRuns)
      .where(and(eq(batchRuns.id, id), eq(batchRuns.status, 'queued')));
  }

  async listRecent(jobType: JobType, limit = 20): Promise<BatchRunRow[]> {
    const rows = await this.db
      .select(RUN_COLUMNS)
      .from(batchRuns)
      .where(eq(batchRuns.jobType, jobType))
      .orderBy(desc(batchRuns.createdAt))
      .limit(limit);
    return rows.map(toBatchRunRow);
  }

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

  /** Runs per status and their mean duration, over the filter. */
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

  /** A run with its full log and errors, as the admin detail and log views show it. */
  async getDetail(id: string): Promise<BatchHistoryDetailRow | null> {
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
