import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../src/db/database.ts';
import { runMigrations } from '../src/db/migrations.ts';
import { openDatabase } from '../src/db/open-database.ts';
import { seedReferenceData } from '../src/pipeline/reference-data.ts';

/** A fresh file-backed PGlite database in a temp directory, as the embedded default runs. */
export async function openBenchDatabase(): Promise<{
  database: Database;
  cleanup(): Promise<void>;
}> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'betaboard-bench-'));
  const database = await openDatabase({ dbPath: path.join(dir, 'db') });
  await runMigrations(database);
  await seedReferenceData(database.db);
  return {
    database,
    async cleanup() {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

export function numpyBench(symbols: number): unknown {
  try {
    const out = execFileSync(
      'python3',
      ['test/reference/factors_reference.py', '--bench', String(symbols)],
      {
        encoding: 'utf8',
      },
    );
    return JSON.parse(out.trim().split('\n').at(-1)!);
  } catch (error) {
    return { error: `NumPy benchmark unavailable: ${(error as Error).message.split('\n')[0]}` };
  }
}

export const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
