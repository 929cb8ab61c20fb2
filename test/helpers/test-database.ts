import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import type { Database, Engine } from '../../src/db/database.ts';
import { openDatabase } from '../../src/db/open-database.ts';

export const ENGINES: Engine[] = inject('postgresAdminUrl') ? ['pglite', 'postgres'] : ['pglite'];

/** A fresh, migrated database of the given engine; closing it also drops it. */
export async function openTestDatabase(engine: Engine): Promise<Database> {
  if (engine === 'pglite') {
    const dump = readFileSync(inject('pgliteTemplateFile'));
    return openDatabase({ dbPath: 'memory://', loadDataDir: new Blob([dump]) });
  }
  const adminUrl = inject('postgresAdminUrl');
  if (!adminUrl) throw new Error('the PostgreSQL test server is not running');
  const name = `test_${randomUUID().replace(/-/g, '')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`);
  const database = await openDatabase({
    databaseUrl: adminUrl.replace(/\/postgres$/, `/${name}`),
    poolSize: 5,
  });
  return {
    ...database,
    async close() {
      await database.close();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Declares the same suite once per engine (PGlite, and PostgreSQL when the server is up), each
 * with its own fresh database — the shared conformance pattern for everything that touches SQL.
 */
export function describeOnEachEngine(
  title: string,
  body: (ctx: { database: () => Database; engine: Engine }) => void,
): void {
  for (const engine of ENGINES) {
    describe(`${title} [${engine}]`, () => {
      let database: Database | undefined;
      beforeAll(async () => {
        database = await openTestDatabase(engine);
      });
      afterAll(async () => {
        await database?.close();
      });
      body({
        engine,
        database: () => {
          if (!database) throw new Error('test database not open yet');
          return database;
        },
      });
    });
  }
}
