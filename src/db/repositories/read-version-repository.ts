import { sql } from 'drizzle-orm';
import { driverOf, queryRows, type Db } from '../database.ts';

/** Where the read-version trigger notifies each committed write (PGlite only, migration 0011). */
export const READ_VERSION_CHANNEL = 'betaboard_read_version';

/** All SQL on `read_versions` (the triggers of migrations 0009 and 0011 write it; this only reads). */
export class ReadVersionRepository {
  constructor(private readonly db: Db) {}

  /**
   * The committed write count over every table a dashboard or analytics response reads, and over
   * the sessions and users that decide who may read it. It moves when, and only when, such a
   * write commits, whichever process or worker made it.
   */
  async current(): Promise<string> {
    const [row] = await queryRows<{ version: string }>(
      this.db,
      sql`SELECT coalesce(sum(writes), 0)::text AS version FROM read_versions`,
    );
    return row?.version ?? '0';
  }

  /**
   * Embedded database only: calls `onWrite` for every committed counted write, before the
   * committing statement's promise settles (PGlite dispatches its own notifications as it parses
   * the statement's reply). Returns false on PostgreSQL, where a notification reaches another
   * process later than the commit and so cannot stand in for reading the version.
   */
  async listenForWrites(onWrite: () => void): Promise<boolean> {
    const driver = driverOf(this.db);
    if (driver.engine !== 'pglite') return false;
    await driver.client.listen(READ_VERSION_CHANNEL, onWrite);
    return true;
  }
}
