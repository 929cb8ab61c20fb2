import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { queryRows, type Database } from '../../../src/db/database.ts';
import { openDatabase } from '../../../src/db/open-database.ts';
import { BatchChunkRepository } from '../../../src/db/repositories/batch-chunk-repository.ts';
import {
  BatchRunRepository,
  type BatchRunRow,
} from '../../../src/db/repositories/batch-run-repository.ts';
import { PortfolioRepository } from '../../../src/db/repositories/portfolio-repository.ts';
import { SymbolUniverseRepository } from '../../../src/db/repositories/symbol-universe-repository.ts';
import { UserRepository } from '../../../src/db/repositories/user-repository.ts';
import type { PgBossJobQueue, PgBossJobQueueOptions } from '../../../src/jobs/pg-boss-job-queue.ts';
import { getSampleProvider } from '../../../src/market/create-provider.ts';
import type { MarketDataProvider } from '../../../src/market/provider.ts';
import { SimulatedProvider } from '../../../src/market/providers/simulated/simulated-provider.ts';
import { executeChunk } from '../../../src/pipeline/chunks/run-chunk.ts';
import { runSymbolBatch } from '../../../src/pipeline/symbol-batch/run-symbol-batch.ts';
import { SymbolCache } from '../../../src/pipeline/symbol-cache.ts';
import { tableChecksums, type TableChecksum } from '../../helpers/table-checksums.ts';
import { openTestDatabase } from '../../helpers/test-database.ts';
import { CountingProvider, silent, startTestQueue, stock, waitForRun } from './job-test-helpers.ts';

/**
 * Chunk jobs on PostgreSQL: the symbol batch's price and factor phases and the portfolio refresh
 * split into jobs that any worker takes. Two queues on one database stand for two worker
 * processes (each with its own connection pool); one of them is killed as a process would be.
 */
const adminUrl = inject('postgresAdminUrl');
const DATE = '2026-07-31';
const SYMBOLS = Array.from({ length: 40 }, (_, i) => `SIM${String(i + 1).padStart(4, '0')}`);
/** Small chunks, so that 40 symbols make several; fast heartbeats, so a death is seen at once. */
const QUEUE_OPTIONS: Partial<PgBossJobQueueOptions> = {
  chunkSizes: { symbols: 8, portfolios: 3 },
  chunkConcurrency: 1,
  retryLimit: 1,
  heartbeatSeconds: 0.5,
  staleAfterSeconds: 2,
  reapIntervalSeconds: 1,
};

const opened: Database[] = [];
const queues: PgBossJobQueue[] = [];
afterAll(async () => {
  for (const q of queues) await q.stop(1000).catch(() => {});
  for (const d of opened.reverse()) await d.close().catch(() => {});
});

async function freshDatabase(): Promise<Database> {
  const database = await openTestDatabase('postgres');
  opened.push(database);
  return database;
}

/**
 * An identical copy of `template` (CREATE DATABASE … TEMPLATE), so that two runs compare row for
 * row — portfolio ids included. The template's connections are cut first; it is not used again.
 */
async function cloneOf(template: Database): Promise<Database> {
  const source = new URL(template.location).pathname.slice(1);
  const name = `clone_${randomUUID().replace(/-/g, '')}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${source}' AND pid <> pg_backend_pid()`,
  );
  await admin(`CREATE DATABASE ${name} TEMPLATE ${source}`);
  const database = await openDatabase({
    databaseUrl: adminUrl!.replace(/\/postgres$/, `/${name}`),
    poolSize: 5,
  });
  const clone: Database = {
    ...database,
    async close() {
      await database.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
  opened.push(clone);
  return clone;
}

/** A second process's view of `database`: its own pool. */
async function secondPool(database: Database): Promise<Database> {
  const other = await openDatabase({ databaseUrl: database.location, poolSize: 5 });
  opened.splice(opened.indexOf(database) + 1, 0, other);
  return other;
}

async function startQueue(
  database: Database,
  provider: MarketDataProvider,
  options: Partial<PgBossJobQueueOptions> = {},
): Promise<PgBossJobQueue> {
  const queue = await startTestQueue(database, provider, { ...QUEUE_OPTIONS, ...options });
  queues.push(queue);
  return queue;
}

async function withSymbols(database: Database): Promise<Database> {
  await new SymbolUniverseRepository(database.db).register(
    SYMBOLS.map((symbol) => ({ symbol, assetType: 'equity' as const })),
    DATE,
  );
  return database;
}

/** The run of `date` the request started (its only sub-run). */
async function dateRunOf(database: Database, requestId: string): Promise<BatchRunRow> {
  const [row] = await queryRows<{ id: string }>(
    database.db,
    sql`SELECT id FROM batch_runs WHERE triggered_by = ${`job:${requestId}`}
        ORDER BY created_at DESC LIMIT 1`,
  );
  return (await new BatchRunRepository(database.db).get(row!.id))!;
}

const checksumsOf = (database: Database) => tableChecksums(database.location);

/** Counts like CountingProvider and keeps each closes request's symbols. */
class RecordingProvider extends CountingProvider {
  readonly requests: string[][] = [];
  override getDailyCloses(symbols: readonly string[], from: string, to: string) {
    this.requests.push([...symbols]);
    return super.getDailyCloses(symbols, from, to);
  }
}

/** Runs one symbol batch for DATE through `workers` queues; returns its runs and the queues. */
async function symbolBatchWith(database: Database, workers: number) {
  // Each provider call takes a moment, so a chunk outlasts the other worker's polling interval.
  const provider = () => new SimulatedProvider({ latestDate: DATE, latencyMs: 300 });
  const first = await startQueue(database, provider());
  const all = [first];
  for (let i = 1; i < workers; i++) {
    all.push(
      await startQueue(await secondPool(database), new SimulatedProvider({ latestDate: DATE })),
    );
  }
  const { batchRunId } = await first.enqueueBatch({
    type: 'symbol_batch',
    date: DATE,
    triggeredBy: 'test',
  });
  const request = await waitForRun(database, batchRunId);
  const dateRun = await dateRunOf(database, batchRunId);
  for (const q of all) await q.stop();
  return { request, dateRun, chunksRun: all.map((q) => q.chunksRun) };
}

let cleanSymbolBatch: Record<string, TableChecksum> | null = null;

describe.skipIf(!adminUrl)('chunk jobs on PostgreSQL', () => {
  it('symbol batch: two workers share the chunks and write exactly what one writes', async () => {
    const one = await withSymbols(await freshDatabase());
    const two = await withSymbols(await freshDatabase());
    const alone = await symbolBatchWith(one, 1);
    const shared = await symbolBatchWith(two, 2);

    for (const run of [alone, shared]) {
      expect(run.request.status).toBe('completed');
      expect(run.dateRun.status).toBe('completed');
      expect(run.dateRun.errors).toEqual([]);
      // Progress aggregated over the chunks: every symbol of each chunked phase done.
      const phase = (id: string) => run.dateRun.phases.find((p) => p.id === id)!;
      for (const id of ['phase_1', 'phase_3']) {
        expect(phase(id).status).toBe('completed');
        expect(phase(id).current).toBe(phase(id).total);
      }
      expect(phase('phase_3').total).toBeGreaterThanOrEqual(SYMBOLS.length);
      const log = run.dateRun.activityLog.map((e) => e.message);
      expect(log.some((m) => /^Prices: .* in [6-9] chunk\(s\)$/.test(m))).toBe(true);
      expect(log.some((m) => /^Factors: .* in [6-9] chunk\(s\);/.test(m))).toBe(true);
    }
    // Both workers took chunks; none was run twice.
    expect(shared.chunksRun.every((n) => n > 0)).toBe(true);
    expect(shared.chunksRun.reduce((a, b) => a + b)).toBe(alone.chunksRun[0]);
    cleanSymbolBatch = await checksumsOf(one);
    expect(cleanSymbolBatch.symbol_factor_exposures!.rows).toBeGreaterThan(0);
    expect(await checksumsOf(two)).toEqual(cleanSymbolBatch);
    // The plans are forgotten once their run has finished.
    for (const database of [one, two]) {
      const [{ n }] = (await queryRows<{ n: number }>(
        database.db,
        sql`SELECT count(*)::int AS n FROM batch_chunks`,
      )) as [{ n: number }];
      expect(n).toBe(0);
    }
  });

  it('a chunk that fails on every attempt fails exactly its symbols; the rest completes', async () => {
    const database = await withSymbols(await freshDatabase());
    const thrownFor: string[][] = [];
    class CrashingProvider extends CountingProvider {
      override async getDailyCloses(symbols: readonly string[], from: string, to: string) {
        if (symbols.includes('SIM0011')) {
          thrownFor.push([...symbols]);
          throw new Error('provider crashed');
        }
        return super.getDailyCloses(symbols, from, to);
      }
    }
    const queue = await startQueue(
      database,
      new CrashingProvider(new SimulatedProvider({ latestDate: DATE })),
    );
    const { batchRunId } = await queue.enqueueBatch({
      type: 'symbol_batch',
      date: DATE,
      triggeredBy: 'test',
    });
    const request = await waitForRun(database, batchRunId);
    const dateRun = await dateRunOf(database, batchRunId);
    await queue.stop();

    // Two attempts (retryLimit 1), each with the chunk's symbols in one request.
    expect(thrownFor).toHaveLength(2);
    expect(thrownFor[1]).toEqual(thrownFor[0]);
    const chunk = thrownFor[0]!;
    expect(chunk).toHaveLength(8);
    expect(request.status).toBe('partial');
    expect(dateRun.status).toBe('partial');
    expect(dateRun.errors).toEqual(
      chunk.map((symbol) => ({
        symbol,
        phase: 'phase_1',
        code: 'chunk_failed',
        message: 'provider crashed',
      })),
    );
    const withFactors = await queryRows<{ symbol: string }>(
      database.db,
      sql`SELECT DISTINCT symbol FROM symbol_factor_exposures WHERE calculation_date = ${DATE}
          AND symbol LIKE 'SIM%' ORDER BY symbol`,
    );
    expect(withFactors.map((r) => r.symbol)).toEqual(SYMBOLS.filter((s) => !chunk.includes(s)));
    expect(request.errors.filter((e) => e.code === 'chunk_failed').map((e) => e.symbol)).toEqual(
      chunk,
    );
  });

  it('a worker killed mid-chunk while running the parent: the other finishes without redoing finished chunks', async () => {
    expect(cleanSymbolBatch).not.toBeNull();
    const database = await withSymbols(await freshDatabase());
    // The doomed worker hangs in the chunk that fetches SIM0030, as a process about to die.
    const doomedProvider = new RecordingProvider(
      new SimulatedProvider({ latestDate: DATE }),
      new Set(['SIM0030']),
    );
    const doomed = await startQueue(await secondPool(database), doomedProvider);
    const api = await startQueue(database, new SimulatedProvider({ latestDate: DATE }), {
      work: false,
    });
    const { batchRunId } = await api.enqueueBatch({
      type: 'symbol_batch',
      date: DATE,
      triggeredBy: 'test',
    });
    await doomedProvider.held;
    const doomedChunks = doomed.chunksRun;
    const survivorProvider = new CountingProvider(new SimulatedProvider({ latestDate: DATE }));
    const survivor = await startQueue(await secondPool(database), survivorProvider);
    await doomed.abandon();

    const request = await waitForRun(database, batchRunId);
    expect(request.status).toBe('completed');
    expect(request.activityLog.map((e) => e.message)).toContain(
      'The previous attempt was interrupted (its worker stopped); starting again',
    );
    expect((await dateRunOf(database, batchRunId)).status).toBe('completed');
    // The survivor fetched nothing the dead worker's finished chunks had fetched.
    const heldChunk = new Set(doomedProvider.requests.find((r) => r.includes('SIM0030')));
    const finishedByDoomed = [...doomedProvider.closeRequests.keys()].filter(
      (s) => !heldChunk.has(s),
    );
    const refetched = [...survivorProvider.closeRequests.keys()].filter((s) =>
      finishedByDoomed.includes(s),
    );
    expect({ doomedChunks, refetched }).toEqual({ doomedChunks, refetched: [] });
    expect(survivorProvider.closeRequests.get('SIM0030')).toBe(1);
    await api.stop();
    await survivor.stop();
    expect(await checksumsOf(database)).toEqual(cleanSymbolBatch);

    // A chunk run again (a retry after its rows were written) rewrites the same rows.
    const ctx = {
      db: database.db,
      provider: new SimulatedProvider({ latestDate: DATE }),
      cache: new SymbolCache(),
      logger: silent,
    };
    const chunks = new BatchChunkRepository(database.db);
    const [factorChunk] = await chunks.plan('test|retried', batchRunId, 'symbol_factors', [
      { payload: { targets: SYMBOLS.slice(0, 8), date: DATE }, items: 8 },
    ]);
    await chunks.fail(factorChunk!.id, 'interrupted', false);
    expect(await executeChunk(ctx, factorChunk!.id, null)).toBe('completed');
    expect(await executeChunk(ctx, factorChunk!.id, null)).toBe('skipped');
    expect(await checksumsOf(database)).toEqual(cleanSymbolBatch);
  });

  it('portfolio refresh: two workers write exactly what one writes', async () => {
    const prepared = await freshDatabase();
    const provider = await getSampleProvider();
    await runSymbolBatch(
      { db: prepared.db, provider, cache: new SymbolCache(), logger: silent },
      { date: DATE, backfill: false, historyFrom: '2026-05-01', triggeredBy: 'test' },
    );
    const user = await new UserRepository(prepared.db).create({
      email: 'chunks@example.com',
      passwordHash: 'x',
      fullName: null,
    });
    const names = ['AAPL', 'MSFT', 'KO', 'JNJ'];
    for (let i = 0; i < 10; i++) {
      await new PortfolioRepository(prepared.db).createWithPositions({
        userId: user.id,
        name: `Book ${i + 1}`,
        accountName: `BOOK-${i + 1}`,
        accountType: 'taxable',
        equityBalance: '100000',
        positions: [
          stock(names[i % 4]!, 100 + i, 150, '2026-06-01'),
          stock(names[(i + 1) % 4]!, 50 + i, 90, '2026-06-15'),
        ],
      });
    }
    const copies = [await cloneOf(prepared), await cloneOf(prepared)];
    const results: { checksums: Record<string, TableChecksum>; chunksRun: number[] }[] = [];
    for (const workers of [1, 2]) {
      const database = copies[workers - 1]!;
      const all = [await startQueue(database, provider)];
      if (workers === 2) all.push(await startQueue(await secondPool(database), provider));
      const { batchRunId } = await all[0]!.enqueueBatch({
        type: 'portfolio_refresh',
        date: DATE,
        triggeredBy: 'test',
      });
      const request = await waitForRun(database, batchRunId);
      expect(request.status).toBe('completed');
      const run = await dateRunOf(database, batchRunId);
      expect(run.status).toBe('completed');
      expect(run.phases[0]).toMatchObject({ id: 'portfolios', current: 10, total: 10 });
      for (const q of all) await q.stop();
      results.push({
        checksums: await checksumsOf(database),
        chunksRun: all.map((q) => q.chunksRun),
      });
    }
    const [alone, shared] = results;
    expect(alone!.chunksRun).toEqual([4]);
    expect(shared!.chunksRun.reduce((a, b) => a + b)).toBe(4);
    expect(alone!.checksums.portfolio_snapshots!.rows).toBeGreaterThan(10);
    expect(shared!.checksums).toEqual(alone!.checksums);
  });
});
