import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema/index.ts';
import type { Database, Db } from './database.ts';
import { acquireDirectoryLock } from './directory-lock.ts';
import { yieldBetweenStatements } from './pglite-yield-between-statements.ts';

const DATE_OID = 1082;
const INT8_OID = 20;

// Dates stay `YYYY-MM-DD` strings on both engines (a JS Date would shift with the time zone),
// and int8 counts become numbers, so raw queries look the same whichever engine answers.
const identity = (value: string) => value;
const toNumber = (value: string) => Number(value);

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; when absent the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory, or `memory://` for a throw-away database. */
  dbPath?: string;
  /** A PGlite data-directory dump to start from (tests clone a migrated template this way). */
  loadDataDir?: Blob | File;
  poolSize?: number;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dbPath ?? './data/db', options.loadDataDir);
}

async function openPglite(dbPath: string, loadDataDir?: Blob | File): Promise<Database> {
  const inMemory = dbPath === 'memory://' || dbPath === '';
  let releaseLock = () => {};
  let dataDir: string | undefined;
  if (!inMemory) {
    dataDir = path.resolve(dbPath);
    mkdirSync(path.dirname(dataDir), { recursive: true });
    // PGlite is single-process: a second process on the same directory corrupts it.
    releaseLock = acquireDirectoryLock(dataDir);
  }
  try {
    const client = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(loadDataDir ? { loadDataDir } : {}),
      parsers: { [pgliteTypes.DATE]: identity, [pgliteTypes.INT8]: toNumber },
    });
    yieldBetweenStatements(client);
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    return {
      db,
      engine: 'pglite',
      location: dataDir ?? 'memory://',
      async close() {
        await client.close();
        releaseLock();
      },
      dumpDataDir: () => client.dumpDataDir('none'),
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  // Drizzle's node-postgres session passes its own `types` with each query, falling back to the
  // global parsers — so the pool-level int8 parser below is bypassed for Drizzle queries. The
  // global one makes count(*) and bigint columns numbers on PostgreSQL as they are on PGlite.
  pg.types.setTypeParser(INT8_OID, toNumber);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: string) => {
        if (oid === DATE_OID) return identity;
        if (oid === INT8_OID) return toNumber;
        return pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    engine: 'postgres',
    location: redactUrl(url),
    async close() {
      await pool.end();
    },
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}
