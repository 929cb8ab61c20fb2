import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows, type Database } from '../../../src/db/database.ts';
import { openDatabase } from '../../../src/db/open-database.ts';

/**
 * A job awaiting one statement after another must leave the event loop to HTTP requests and
 * timers between statements — on PGlite, whose promises settle without ever yielding, too.
 */
let database: Database;
beforeAll(async () => {
  database = await openDatabase({ dbPath: 'memory://' });
  await database.db.execute(sql`CREATE TABLE fairness (n int)`);
});
afterAll(() => database.close());

/** How many times a timer got to run while `work` ran. */
async function turnsDuring(work: () => Promise<void>): Promise<number> {
  let turns = 0;
  const timer = setInterval(() => turns++, 0);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return turns;
}

it('lets timers run between statements outside a transaction', async () => {
  const turns = await turnsDuring(async () => {
    for (let i = 0; i < 200; i++)
      await database.db.execute(sql`INSERT INTO fairness VALUES (${i})`);
  });
  // A 0 ms interval fires at most once per turn of the loop; ~1 ms each makes it well under 200.
  expect(turns).toBeGreaterThan(20);
});

it('lets timers run between statements inside a transaction, which still commits as one', async () => {
  const turns = await turnsDuring(() =>
    database.db.transaction(async (tx) => {
      for (let i = 0; i < 200; i++) await tx.execute(sql`INSERT INTO fairness VALUES (${-1 - i})`);
    }),
  );
  expect(turns).toBeGreaterThan(20);
  const [row] = await queryRows<{ n: number }>(
    database.db,
    sql`SELECT count(*)::int AS n FROM fairness WHERE n < 0`,
  );
  expect(row!.n).toBe(200);
});

it('rolls a failed transaction back whole', async () => {
  await expect(
    database.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO fairness VALUES (1000)`);
      await tx.execute(sql`INSERT INTO no_such_table VALUES (1)`);
    }),
  ).rejects.toThrow(/no_such_table/);
  const rows = await queryRows(database.db, sql`SELECT 1 FROM fairness WHERE n = 1000`);
  expect(rows).toEqual([]);
});
