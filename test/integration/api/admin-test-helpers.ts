import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { hashPassword } from '../../../src/security/password.ts';
import type { Db } from '../../../src/db/database.ts';
import {
  BatchRunRepository,
  type ActivityEntry,
  type PhaseProgress,
  type RunError,
} from '../../../src/db/repositories/batch-run-repository.ts';
import { UserRepository } from '../../../src/db/repositories/user-repository.ts';
import type { BatchStatus, JobType } from '../../../src/db/schema/enums.ts';
import type { BatchJobType, JobQueue } from '../../../src/jobs/job-queue.ts';
import type { TestApp } from '../../helpers/test-app.ts';

export const ADMIN_PASSWORD = 'admin password 123';

/** An admin created the way an operator would (role set in the database), then logged in. */
export async function loginAdmin(t: TestApp, db: Db, email: string): Promise<string> {
  await new UserRepository(db).create({
    email,
    passwordHash: await hashPassword(ADMIN_PASSWORD),
    fullName: 'Admin',
    role: 'admin',
  });
  return t.login(email, { password: ADMIN_PASSWORD });
}

/** A JobQueue that creates the queued batch_runs row, as the real one does, and records calls. */
export class RecordingJobQueue implements JobQueue {
  readonly calls: { type: BatchJobType; date?: string; triggeredBy: string }[] = [];

  constructor(
    private readonly db: () => Db,
    private readonly depth = 3,
  ) {}

  enqueuePortfolioCalculation(): Promise<{ batchRunId: string }> {
    return Promise.reject(new Error('not used by these tests'));
  }

  async enqueueBatch(input: {
    type: BatchJobType;
    date?: string;
    triggeredBy: string;
  }): Promise<{ batchRunId: string }> {
    this.calls.push(input);
    const date = input.date ?? '2025-06-06';
    const batchRunId = await new BatchRunRepository(this.db()).create({
      jobType: input.type,
      scope: { date },
      scopeKey: `${input.type === 'symbol_batch' ? 'universe' : input.type}|${date}`,
      calculationDate: date,
      triggeredBy: input.triggeredBy,
      status: 'queued',
    });
    return { batchRunId };
  }

  queueDepth(): Promise<number> {
    return Promise.resolve(this.depth);
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}

export const phase = (
  id: string,
  status: PhaseProgress['status'],
  extra: Partial<PhaseProgress> = {},
): PhaseProgress => ({
  id,
  name: id,
  status,
  current: 0,
  total: 0,
  unit: 'symbols',
  duration_ms: null,
  ...extra,
});

export interface SeededRun {
  jobType: JobType;
  status: BatchStatus;
  /** When the row was created; the run starts 1 s later. */
  createdAt: Date;
  /** completed_at − started_at, for finished runs. */
  seconds?: number;
  /** Default: 1 s after `createdAt` (null for a queued run). */
  startedAt?: Date;
  phases?: PhaseProgress[];
  errors?: RunError[];
  log?: ActivityEntry[];
}

/** A batch_runs row through the repository, then its timestamps set to known instants. */
export async function seedRun(db: Db, run: SeededRun): Promise<string> {
  const repo = new BatchRunRepository(db);
  const id = await repo.create({
    jobType: run.jobType,
    scope: {},
    scopeKey: `test|${randomUUID()}`,
    triggeredBy: 'test',
    status: run.status === 'queued' ? 'queued' : 'running',
  });
  await repo.saveProgress(id, { phases: run.phases ?? [], errors: run.errors, log: run.log });
  if (run.status === 'completed' || run.status === 'partial' || run.status === 'failed') {
    await repo.finish(id, run.status);
  }
  const started =
    run.status === 'queued' ? null : (run.startedAt ?? new Date(run.createdAt.getTime() + 1000));
  const completed =
    started && run.seconds !== undefined ? new Date(started.getTime() + run.seconds * 1000) : null;
  await db.execute(sql`UPDATE batch_runs SET created_at = ${run.createdAt.toISOString()}::timestamptz,
      started_at = ${started?.toISOString() ?? null}::timestamptz,
      completed_at = ${completed?.toISOString() ?? null}::timestamptz
    WHERE id = ${id}`);
  return id;
}

export const errorCode = async (res: Response) =>
  ((await res.json()) as { error: { code: string } }).error.code;
