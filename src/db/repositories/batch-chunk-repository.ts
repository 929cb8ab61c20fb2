import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import type { ChunkStatus } from '../schema/batch-chunks.ts';

/** A chunk as its worker and its parent see it. */
export interface ChunkRow {
  id: string;
  setKey: string;
  chunkIndex: number;
  runId: string;
  kind: string;
  payload: unknown;
  items: number;
  status: ChunkStatus;
  result: unknown;
  error: string | null;
  jobId: string | null;
  attempts: number;
  /** Seconds since the row was last written (its worker's heartbeat). */
  idleSeconds: number;
}

const COLUMNS = sql`id, set_key AS "setKey", chunk_index AS "chunkIndex", run_id AS "runId", kind,
  payload, items, status, result, error, job_id AS "jobId", attempts,
  extract(epoch from (now() - updated_at))::float8 AS "idleSeconds"`;

/** All SQL on `batch_chunks`: the plan of a chunked phase, its chunks' states and results. */
export class BatchChunkRepository {
  constructor(private readonly db: Db) {}

  /**
   * The chunks of `setKey`: written as given the first time, read back as stored afterwards (a
   * retried parent gets its first attempt's plan, finished chunks included), and handed to
   * `runId`. Ordered by index.
   */
  async plan(
    setKey: string,
    runId: string,
    kind: string,
    chunks: readonly { payload: unknown; items: number }[],
  ): Promise<ChunkRow[]> {
    if (chunks.length > 0) {
      await this.db
        .execute(sql`INSERT INTO batch_chunks (set_key, chunk_index, run_id, kind, payload, items)
        SELECT ${setKey}, c.ordinality - 1, ${runId}::uuid, ${kind}, c.value->'payload',
          (c.value->>'items')::int
        FROM jsonb_array_elements(${JSON.stringify(chunks)}::jsonb)
          WITH ORDINALITY AS c(value, ordinality)
        ON CONFLICT (set_key, chunk_index) DO NOTHING`);
    }
    await this.db.execute(
      sql`UPDATE batch_chunks SET run_id = ${runId}::uuid WHERE set_key = ${setKey} AND run_id <> ${runId}::uuid`,
    );
    return this.list(setKey);
  }

  async list(setKey: string): Promise<ChunkRow[]> {
    return queryRows<ChunkRow>(
      this.db,
      sql`SELECT ${COLUMNS} FROM batch_chunks WHERE set_key = ${setKey} ORDER BY chunk_index`,
    );
  }

  /** Progress of a set without the results: cheap enough to poll. */
  async states(
    setKey: string,
  ): Promise<Pick<ChunkRow, 'id' | 'status' | 'items' | 'jobId' | 'idleSeconds'>[]> {
    return queryRows(
      this.db,
      sql`SELECT id, status, items, job_id AS "jobId",
            extract(epoch from (now() - updated_at))::float8 AS "idleSeconds"
          FROM batch_chunks WHERE set_key = ${setKey} ORDER BY chunk_index`,
    );
  }

  /**
   * Takes a chunk to run it: null when it is already completed (a retried or duplicate job has
   * nothing left to do).
   */
  async claim(id: string, jobId: string | null): Promise<ChunkRow | null> {
    const rows = await queryRows<ChunkRow>(
      this.db,
      sql`UPDATE batch_chunks SET status = 'running', attempts = attempts + 1, error = NULL,
            job_id = coalesce(${jobId}::uuid, job_id), updated_at = now()
          WHERE id = ${id}::uuid AND status <> 'completed'
          RETURNING ${COLUMNS}`,
    );
    return rows[0] ?? null;
  }

  async complete(id: string, result: unknown): Promise<void> {
    await this.db
      .execute(sql`UPDATE batch_chunks SET status = 'completed', result = ${JSON.stringify(result)}::jsonb,
        error = NULL, updated_at = now() WHERE id = ${id}::uuid`);
  }

  /** `final`: no attempt follows (failed); else the chunk waits for its retry (pending). */
  async fail(id: string, message: string, final: boolean): Promise<void> {
    await this.db.execute(sql`UPDATE batch_chunks SET status = ${final ? 'failed' : 'pending'},
        error = ${message}, updated_at = now() WHERE id = ${id}::uuid AND status <> 'completed'`);
  }

  /** The pg-boss job now responsible for the chunk. */
  async assignJob(id: string, jobId: string): Promise<void> {
    await this.db.execute(
      sql`UPDATE batch_chunks SET job_id = ${jobId}::uuid, updated_at = now() WHERE id = ${id}::uuid`,
    );
  }

  /** A heartbeat: the worker running the chunk is alive. */
  async touch(id: string): Promise<void> {
    await this.db.execute(sql`UPDATE batch_chunks SET updated_at = now() WHERE id = ${id}::uuid`);
  }

  /** Forgets the plans under `setKeyPrefix` once their run has finished. */
  async deleteSets(setKeyPrefix: string): Promise<void> {
    await this.db.execute(
      sql`DELETE FROM batch_chunks WHERE starts_with(set_key, ${setKeyPrefix})`,
    );
  }
}
