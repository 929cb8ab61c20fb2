import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../src/db/database.ts';
import { openDatabase } from '../../../src/db/open-database.ts';
import { AuthSessionRepository } from '../../../src/db/repositories/auth-session-repository.ts';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(os.tmpdir(), 'betaboard-demo-cli-'));
const env = {
  ...process.env,
  BETABOARD_DB_PATH: path.join(dir, 'db'),
  LOG_LEVEL: 'silent',
  DATABASE_URL: '',
};
const betaboard = (...args: string[]) =>
  run(process.execPath, ['bin/betaboard.mjs', ...args], { env, maxBuffer: 16 * 1024 * 1024 });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `demo seed` and `user …` through the real binary on an embedded database. */
describe('betaboard demo and user commands', () => {
  it('demo seed creates the five books and calculates them', async () => {
    const { stdout } = await betaboard('demo', 'seed', '--json');
    const result = JSON.parse(stdout) as {
      seeded: boolean;
      adminCreated: boolean;
      portfolios: { name: string; positions: number; status: string; nav: number; date: string }[];
    };
    expect(result.seeded).toBe(true);
    expect(result.adminCreated).toBe(true);
    expect(result.portfolios.map((p) => [p.name, p.positions, p.status, p.nav, p.date])).toEqual([
      ['Individual Investor', 9, 'completed', 500_000, '2026-07-31'],
      ['High-Net-Worth Diversified', 24, 'completed', 5_000_000, '2026-07-31'],
      ['Long/Short Equity Fund', 30, 'completed', 20_000_000, '2026-07-31'],
      ['Family Office — Public Growth', 25, 'completed', 50_000_000, '2026-07-31'],
      ['Family Office — Private Assets', 16, 'completed', 100_000_000, '2026-07-31'],
    ]);
  }, 180_000);

  it('user create makes a login; a taken e-mail or a short password is refused with exit code 2', async () => {
    const created = await betaboard(
      'user',
      'create',
      '--email',
      'Ops@Example.com',
      '--password',
      'correct horse',
      '--admin',
      '--name',
      'Ops',
    );
    expect(created.stdout).toMatch(/^Created admin Ops@Example\.com \([0-9a-f-]{36}\)\.\n$/);
    await expect(
      betaboard('user', 'create', '--email', 'ops@example.com', '--password', 'another one'),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('already exists; use "user set-password"'),
    });
    await expect(
      betaboard('user', 'create', '--email', 'new@example.com', '--password', 'short'),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--password') });
    await expect(
      betaboard('user', 'create', '--email', 'not-an-email', '--password', 'long enough'),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--email') });

    // Two live sessions of the old password (the CLI holds the database only while it runs).
    const sessionsOfOps = async (create: number) => {
      const database = await openDatabase({ dbPath: env.BETABOARD_DB_PATH });
      try {
        const [ops] = await queryRows<{ id: string }>(
          database.db,
          sql`SELECT id FROM users WHERE email = 'Ops@Example.com'`,
        );
        const repo = new AuthSessionRepository(database.db);
        for (let i = 0; i < create; i++) {
          await repo.create({
            userId: ops!.id,
            tokenHash: `hash-${i}`,
            expiresAt: new Date(Date.now() + 3_600_000),
          });
        }
        const rows = await queryRows(
          database.db,
          sql`SELECT 1 FROM auth_sessions WHERE user_id = ${ops!.id}`,
        );
        return rows.length;
      } finally {
        await database.close();
      }
    };
    expect(await sessionsOfOps(2)).toBe(2);
    const set = await betaboard(
      'user',
      'set-password',
      '--email',
      'OPS@example.com',
      '--password',
      'a new secret',
    );
    expect(set.stdout).toBe('Password set for Ops@Example.com; 2 session(s) signed out.\n');
    expect(await sessionsOfOps(0)).toBe(0);
    await expect(
      betaboard('user', 'set-password', '--email', 'nobody@example.com', '--password', 'whatever1'),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no user with the e-mail'),
    });
  }, 120_000);
});
