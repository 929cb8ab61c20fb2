import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/open-database.ts';
import { runMigrations } from '../src/db/migrations.ts';
import { seedReferenceData } from '../src/pipeline/reference-data.ts';
import { startTestPostgres, type TestPostgresServer } from './helpers/postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the throw-away PostgreSQL server, or '' when it is skipped. */
    postgresAdminUrl: string;
    postgresVersion: string;
    /** Name of the migrated template database new test databases are cloned from. */
    postgresTemplate: string;
    /** File holding a migrated PGlite data directory, cloned by each test database. */
    pgliteTemplateFile: string;
  }
}

const TEMPLATE_DB = 'betaboard_template';

/**
 * Runs once per test run: migrates (and seeds with the reference data, as every process start does) one PGlite
 * database and one PostgreSQL template database, so
 * each test file gets a fresh migrated database by cloning instead of migrating again.
 */
export default async function setup(project: TestProject) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'betaboard-test-'));
  const log = (m: string) => console.log(`[test setup] ${m}`);

  const pglite = await openDatabase({ dbPath: 'memory://' });
  await runMigrations(pglite);
  await seedReferenceData(pglite.db);
  const dump = await pglite.dumpDataDir!();
  await pglite.close();
  const pgliteTemplateFile = path.join(tmp, 'pglite-template.tar');
  writeFileSync(pgliteTemplateFile, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplateFile', pgliteTemplateFile);

  let server: TestPostgresServer | null = null;
  if (process.env.BETABOARD_SKIP_POSTGRES === '1') {
    log('BETABOARD_SKIP_POSTGRES=1: the real-PostgreSQL half of the integration tests is skipped');
    project.provide('postgresAdminUrl', '');
    project.provide('postgresVersion', '');
  } else {
    server = await startTestPostgres(log);
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
    await admin.end();
    const templateUrl = server.url.replace(/\/postgres$/, `/${TEMPLATE_DB}`);
    const template = await openDatabase({ databaseUrl: templateUrl });
    await runMigrations(template);
    await seedReferenceData(template.db);
    await template.close();
    project.provide('postgresAdminUrl', server.url);
    project.provide('postgresVersion', server.version);
  }
  project.provide('postgresTemplate', TEMPLATE_DB);

  return () => {
    server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  };
}
