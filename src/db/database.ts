import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type * as schema from './schema/index.ts';

/** Drizzle database over either engine; repositories are written against this one type. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Engine = 'pglite' | 'postgres';

export interface Database {
  readonly db: Db;
  readonly engine: Engine;
  /** Where the data lives: the PGlite directory (or `memory://`) or the server URL without its password. */
  readonly location: string;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a tarball, to clone a database cheaply. */
  dumpDataDir?(): Promise<Blob>;
}

/**
 * Runs raw SQL and returns its rows. Both drivers answer `{ rows }`; this keeps the difference
 * in one place for the repositories that need SQL Drizzle's builder cannot express
 * (`unnest` bulk upserts, window functions).
 */
export async function queryRows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** The driver under a Drizzle database: PGlite's single connection or node-postgres' pool. */
export type DriverClient =
  { engine: 'pglite'; client: PGlite } | { engine: 'postgres'; pool: pg.Pool };

/**
 * The driver Drizzle runs on, for the two things Drizzle cannot do: handing pg-boss a SQL
 * executor for its own schema, and session-scoped advisory locks that need one connection held.
 */
export function driverOf(db: Db): DriverClient {
  const client = (db as unknown as { $client: PGlite | pg.Pool }).$client;
  return client instanceof PGlite
    ? { engine: 'pglite', client }
    : { engine: 'postgres', pool: client };
}
