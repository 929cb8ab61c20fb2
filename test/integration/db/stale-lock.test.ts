import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  acquireDirectoryLock,
  DatabaseLockedError,
  processStartTicks,
} from '../../../src/db/directory-lock.ts';
import { RealServer } from '../../helpers/real-server.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'betaboard-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the embedded database lock', () => {
  it('treats a lock naming this very process as stale (the same pid after a restart)', () => {
    const dataDir = path.join(dir, 'self');
    writeFileSync(`${dataDir}.lock`, String(process.pid));
    const release = acquireDirectoryLock(dataDir);
    // Held now, also against a second open from the same process.
    expect(() => acquireDirectoryLock(dataDir)).toThrow(DatabaseLockedError);
    release();
  });

  it('takes over a lock whose pid now belongs to a process that started after it was written', async () => {
    const dataDir = path.join(dir, 'reused');
    const other = spawn('sleep', ['30']);
    try {
      await new Promise((r) => other.once('spawn', r));
      writeFileSync(`${dataDir}.lock`, String(other.pid));
      // Written an hour before that process started: it cannot be the one that wrote it.
      const anHourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(`${dataDir}.lock`, anHourAgo, anHourAgo);
      acquireDirectoryLock(dataDir)();
      // A lock with the pid and a start time that does not match is stale too.
      writeFileSync(`${dataDir}.lock`, `${other.pid} 1`);
      acquireDirectoryLock(dataDir)();
      // The same pid with its real start time is a live holder.
      writeFileSync(`${dataDir}.lock`, `${other.pid} ${processStartTicks(other.pid!)}`);
      expect(() => acquireDirectoryLock(dataDir)).toThrow(DatabaseLockedError);
    } finally {
      other.kill('SIGKILL');
      rmSync(`${dataDir}.lock`, { force: true });
    }
  });

  it('the real server starts when the stale lock names its own pid', async () => {
    const dbPath = path.join(dir, 'db');
    // bash writes its pid and exec's node, which keeps that pid: the lock names the server.
    const server = RealServer.start({
      dbPath,
      shell: 'echo $$ > "$BETABOARD_DB_PATH.lock"; exec node bin/betaboard.mjs serve',
    });
    try {
      const base = await server.ready();
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);
      expect(server.logs).not.toContain('DatabaseLockedError');
    } finally {
      await server.stop();
    }
  }, 120_000);
});
