import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, inList, updatedAt } from './columns.ts';

export const CHUNK_STATUSES = ['pending', 'running', 'completed', 'failed'] as const;
export type ChunkStatus = (typeof CHUNK_STATUSES)[number];

/**
 * One slice of a run's phase (a chunk of symbols or portfolios) that any worker may take. The
 * plan of a phase — which chunks and what each holds — is written once under `set_key` (the
 * request, the date and the phase) and read back by a retried parent, so finished chunks are
 * never done again; `result` is what the parent aggregates into its run.
 */
export const batchChunks = pgTable(
  'batch_chunks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    setKey: text('set_key').notNull(),
    chunkIndex: integer('chunk_index').notNull(),
    /** The `batch_runs` row that dispatched the chunk last (a retried parent takes it over). */
    runId: uuid('run_id').notNull(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull(),
    /** Symbols or portfolios in the chunk: the unit of the parent's progress. */
    items: integer('items').notNull(),
    status: text('status').$type<ChunkStatus>().notNull().default('pending'),
    result: jsonb('result'),
    error: text('error'),
    /** The pg-boss job that runs it now (null when run in the parent's process without a queue). */
    jobId: uuid('job_id'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('batch_chunks_set_index').on(t.setKey, t.chunkIndex),
    index('batch_chunks_run_idx').on(t.runId),
    check('batch_chunks_status_check', sql.raw(`status IN (${inList(CHUNK_STATUSES)})`)),
  ],
);
