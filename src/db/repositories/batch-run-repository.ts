import { JobAlreadyActiveError } from '../job-already-active-error.ts';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import { isUniqueViolation } from '../db-errors.ts';
import type { BatchStatus, JobType } from '../schema/enums.ts';

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

const SELECT_COLUMNS = sql`id, job_type AS "jobType", scope, scope_key AS "scopeKey",
  portfolio_id AS "portfolioId", calculation_date AS "calculationDate", mode, status, phases,
  activity_log AS "activityLog", errors, triggered_by AS "triggeredBy",
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "startedAt",
  to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "completedAt"`;

/** All SQL on `batch_runs`: the durable record of every pipeline run and its progress. */
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
    await this.db.execute(
      sql`UPDATE batch_runs SET status = 'running', started_at = coalesce(started_at, now()),
          updated_at = now() WHERE id = ${id}`,
    );
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
    await this.db.execute(
      sql`UPDATE batch_runs SET status = ${status}, completed_at = now(), updated_at = now()
          WHERE id = ${id}`,
    );
  }

  async get(id: string): Promise<BatchRunRow | null> {
    const rows = await queryRows<BatchRunRow & Record<string, unknown>>(
      this.db,
      sql`SELECT ${SELECT_COLUMNS} FROM batch_runs WHERE id = ${id}`,
    );
    return rows[0] ?? null;
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
    const rows = await queryRows<BatchRunRow & Record<string, unknown>>(
      this.db,
      sql`SELECT ${SELECT_COLUMNS} FROM batch_runs
          WHERE portfolio_id = ${portfolioId} AND job_type = ${jobType}
          ORDER BY created_at DESC, id DESC LIMIT 1`,
    );
    return rows[0] ?? null;
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
    await this.db.execute(sql`UPDATE batch_runs SET updated_at = now() WHERE id = ${id}`);
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
    await this.db.execute(sql`DELETE FROM batch_runs WHERE id = ${id} AND status = 'queued'`);
  }

  async listRecent(jobType: JobType, limit = 20): Promise<BatchRunRow[]> {
    return queryRows<BatchRunRow & Record<string, unknown>>(
      this.db,
      sql`SELECT ${SELECT_COLUMNS} FROM batch_runs WHERE job_type = ${jobType}
          ORDER BY created_at DESC LIMIT ${limit}`,
    );
  }
}
