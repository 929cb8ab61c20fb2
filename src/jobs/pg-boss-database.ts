import type PgBoss from 'pg-boss';
import { driverOf, type Db } from '../db/database.ts';

/** pg-boss's SQL executor over our own connection, with a switch that cuts it off. */
export interface BossDatabase extends PgBoss.Db {
  /**
   * From now on every statement fails, as if the connection had died: a test stands in for a
   * worker process being killed this way (it can no longer touch its jobs).
   */
  cut(): void;
}

/**
 * pg-boss on the database the app already has open, instead of a pool of its own. On PGlite,
 * statements without parameters go through `exec()` — pg-boss sends its schema set-up and its
 * locked maintenance commands as several statements in one string, which the extended protocol
 * behind `query()` rejects; everything with parameters is a single statement for `query()`.
 */
export function bossDatabaseOf(db: Db): BossDatabase {
  const driver = driverOf(db);
  let cut = false;
  const execute = async (text: string, values?: unknown[]): Promise<{ rows: unknown[] }> => {
    if (driver.engine === 'postgres') {
      return driver.pool.query(text, values as unknown[] | undefined);
    }
    if (!values || values.length === 0) {
      const results = await driver.client.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    }
    return driver.client.query(text, values);
  };
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (cut) throw new Error('the job queue was abandoned; its connection is cut');
      return execute(text, values) as Promise<{ rows: never[] }>;
    },
    cut() {
      cut = true;
    },
  };
}
