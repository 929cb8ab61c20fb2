import { runMigrations } from '../../src/db/migrations.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { SymbolUniverseRepository } from '../../src/db/repositories/symbol-universe-repository.ts';
import { seedReferenceData } from '../../src/pipeline/reference-data.ts';
import { databaseUrlOf, queryOnce } from '../helpers/betaboard-process.ts';
import type { TestPostgresServer } from '../helpers/postgres-server.ts';

/**
 * What the fault tests share: a short stale threshold, so a killed worker's job is retried
 * seconds after its heartbeat stops instead of a minute; and databases cloned from one prepared
 * template, so the clean run and the interrupted one start from identical data.
 */
export const STALE_AFTER_SECONDS = 8;

/** The date every fault test computes (the simulated provider's and the sample data's last). */
export const FAULT_DATE = '2026-07-31';

/** Worker settings of every fault test: the short stale threshold, logs the tests can read. */
export const FAULT_ENV = {
  BETABOARD_STALE_AFTER_SECONDS: String(STALE_AFTER_SECONDS),
} as const;

/** `count` simulated symbols, SIM0001…: any name the simulated provider prices. */
export const simSymbols = (count: number, prefix = 'SIM') =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}`);

/** Creates database `name`, migrated and seeded as a process start would; returns its URL. */
export async function createMigratedDatabase(pg: TestPostgresServer, name: string) {
  await queryOnce(pg.url, `CREATE DATABASE ${name}`);
  const url = databaseUrlOf(pg.url, name);
  const database = await openDatabase({ databaseUrl: url });
  try {
    await runMigrations(database);
    await seedReferenceData(database.db);
  } finally {
    await database.close();
  }
  return url;
}

/** Registers `symbols` in the symbol universe (what the nightly symbol batch covers). */
export async function registerSymbols(url: string, symbols: readonly string[], date = FAULT_DATE) {
  const database = await openDatabase({ databaseUrl: url });
  try {
    await new SymbolUniverseRepository(database.db).register(
      symbols.map((symbol) => ({ symbol, assetType: 'equity' as const })),
      date,
    );
  } finally {
    await database.close();
  }
}

/** A fresh copy of `template` (no session may be connected to it) named `name`. */
export async function cloneDatabase(pg: TestPostgresServer, template: string, name: string) {
  await queryOnce(pg.url, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  return databaseUrlOf(pg.url, name);
}
