import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../src/db/database.ts';
import { stock } from '../test/helpers/stock-position.ts';
import type { NewPosition } from '../src/db/repositories/position-repository.ts';
import { PortfolioRepository } from '../src/db/repositories/portfolio-repository.ts';
import { UserRepository } from '../src/db/repositories/user-repository.ts';
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

/** Deterministic pseudo-random numbers so every run builds the same portfolios. */
export function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** `count` distinct symbols with random sizes (15% short) and entry dates: a bench portfolio. */
export function randomBook(
  symbols: readonly string[],
  count: number,
  rnd: () => number,
  entryDates: readonly string[],
): NewPosition[] {
  const picked = new Set<string>();
  while (picked.size < count) picked.add(symbols[Math.floor(rnd() * symbols.length)]!);
  return [...picked].map((symbol) => {
    const qty = Math.round(10 + rnd() * 500) * (rnd() < 0.15 ? -1 : 1);
    const entryPrice = Math.round((20 + rnd() * 300) * 100) / 100;
    return stock(symbol, qty, entryPrice, entryDates[Math.floor(rnd() * entryDates.length)]!);
  });
}

/**
 * The refresh benchmarks' books: one user, `portfolios` books of `positionsEach` random public
 * positions over `symbols` (the same books for the same arguments). Returns the user and the
 * random stream, for a caller that adds books of its own after these.
 */
export async function createBenchBooks(
  db: Database['db'],
  symbols: readonly string[],
  portfolios: number,
  positionsEach: number,
): Promise<{ userId: string; rnd: () => number }> {
  const user = await new UserRepository(db).create({
    email: 'bench@example.com',
    passwordHash: '!',
    fullName: null,
  });
  const repo = new PortfolioRepository(db);
  const rnd = lcg(11);
  const entryDates = ['2026-04-01', '2026-05-01', '2026-06-01', '2026-07-01'];
  for (let i = 0; i < portfolios; i++) {
    await repo.createWithPositions({
      userId: user.id,
      name: `Bench ${i + 1}`,
      accountName: `BENCH-${i + 1}`,
      accountType: 'taxable',
      equityBalance: '1000000',
      positions: randomBook(symbols, positionsEach, rnd, entryDates),
    });
  }
  return { userId: user.id, rnd };
}
