import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import type { Database } from '../../../src/db/database.ts';
import { openDatabase } from '../../../src/db/open-database.ts';
import { runMigrations } from '../../../src/db/migrations.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/logger.ts';
import { startServer, type RunningServer } from '../../../src/server.ts';

const logger = createLogger('silent');

describe('/health and /health/ready through app.request()', () => {
  let database: Database | null = null;
  let app: TestApp['app'];
  beforeAll(async () => {
    app = (await createTestApp(() => database)).app;
  });
  afterEach(async () => {
    await database?.close();
    database = null;
  });

  it('/health answers 200 even before the database is open', async () => {
    const res = await app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('/health/ready is 503 without a database, 503 while migrations are pending, 200 after', async () => {
    let res = await app.request('/health/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'starting', database: 'unavailable' });

    database = await openDatabase({ dbPath: 'memory://' });
    res = await app.request('/health/ready');
    expect(res.status).toBe(503);
    const pending = (await res.json()) as { reason: string; migrations: { applied: number } };
    expect(pending.reason).toMatch(/migrations pending: 0 of \d+ applied/);

    await runMigrations(database);
    res = await app.request('/health/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ready',
      database: 'pglite',
      migrations: { upToDate: true },
    });
  });

  it('/health/ready turns 503 again when the database stops answering', async () => {
    database = await openDatabase({ dbPath: 'memory://' });
    await runMigrations(database);
    expect((await app.request('/health/ready')).status).toBe(200);
    await database.close();
    const res = await app.request('/health/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unavailable' });
    database = null;
  });

  it('answers unknown paths with a JSON 404 in the error shape', async () => {
    const res = await app.request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'ERR_NOT_FOUND', message: 'No route for GET /nope' },
    });
  });
});

async function pollReady(port: number, until: number, timeoutMs: number): Promise<number[]> {
  const seen: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
    seen.push(res.status);
    if (res.status === until) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
  return seen;
}

describe('the real server', () => {
  let running: RunningServer | null = null;
  afterEach(async () => {
    await running?.stop();
    running = null;
  });

  it('starts on the embedded database, migrates it and becomes ready', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'betaboard-server-'));
    try {
      const config = loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        BETABOARD_DB_PATH: path.join(dir, 'db'),
        BETABOARD_SEED_DEMO: 'false',
      });
      running = await startServer({ ...config, port: 0 }, logger);
      const statuses = await pollReady(running.port, 200, 30_000);
      expect(statuses.at(-1)).toBe(200);
      expect(statuses.every((s) => s === 503 || s === 200)).toBe(true);
      const body = await (await fetch(`http://127.0.0.1:${running.port}/health/ready`)).json();
      expect(body).toMatchObject({ status: 'ready', database: 'pglite' });
    } finally {
      await running?.stop();
      running = null;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!inject('postgresAdminUrl'))(
    'answers 503 until its PostgreSQL database exists, then 200',
    async () => {
      const adminUrl = inject('postgresAdminUrl');
      const name = `late_${randomUUID().replace(/-/g, '')}`;
      const url = adminUrl.replace(/\/postgres$/, `/${name}`);
      const config = loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: url,
        BETABOARD_SEED_DEMO: 'false',
      });
      running = await startServer({ ...config, port: 0 }, logger);

      const before = await pollReady(running.port, 200, 1_000);
      expect(before.length).toBeGreaterThan(1);
      expect(before.every((s) => s === 503)).toBe(true);

      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      try {
        const after = await pollReady(running.port, 200, 20_000);
        expect(after.at(-1)).toBe(200);
        await running.stop();
        running = null;
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    },
  );
});
