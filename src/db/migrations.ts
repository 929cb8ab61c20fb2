import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { queryRows, type Database } from './database.ts';

export const MIGRATIONS_FOLDER = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'migrations',
);

// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK_KEY = 727_000_001;

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}

function readJournal(): Journal {
  return JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'));
}

export interface MigrationStatus {
  expected: number;
  applied: number;
  upToDate: boolean;
  latest: string | null;
}

/**
 * Applies every pending migration; a second run changes nothing. On PostgreSQL an advisory lock
 * serialises instances that start at the same time.
 */
export async function runMigrations(database: Database): Promise<MigrationStatus> {
  if (database.engine === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, {
      migrationsFolder: MIGRATIONS_FOLDER,
    });
  } else {
    await withSessionLock(database, () =>
      migratePg(database.db as unknown as NodePgDatabase, { migrationsFolder: MIGRATIONS_FOLDER }),
    );
  }
  return getMigrationStatus(database);
}

async function withSessionLock<T>(database: Database, fn: () => Promise<T>): Promise<T> {
  // node-postgres hands out different pool connections per statement, so the lock is taken
  // inside a transaction that stays open while `fn` runs on other connections.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let acquired!: () => void;
  const ready = new Promise<void>((resolve) => (acquired = resolve));
  const holder = database.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    acquired();
    await held;
  });
  await Promise.race([ready, holder]);
  try {
    return await fn();
  } finally {
    release();
    await holder;
  }
}

/** Compares the journal shipped with the code with what the database has applied. */
export async function getMigrationStatus(database: Database): Promise<MigrationStatus> {
  const journal = readJournal();
  const expected = journal.entries.length;
  const latest = journal.entries.at(-1)?.tag ?? null;
  const exists = await queryRows<{ present: boolean }>(
    database.db,
    sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`,
  );
  if (!exists[0]?.present) return { expected, applied: 0, upToDate: expected === 0, latest };
  const rows = await queryRows<{ applied: number; last: string | null }>(
    database.db,
    sql`SELECT count(*)::int AS applied, max(created_at)::text AS last FROM drizzle.__drizzle_migrations`,
  );
  const applied = rows[0]?.applied ?? 0;
  const lastWhen = journal.entries.at(-1)?.when;
  const upToDate =
    applied >= expected && (lastWhen === undefined || rows[0]?.last === String(lastWhen));
  return { expected, applied, upToDate, latest };
}
