import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';

/** All SQL on `read_versions` (the triggers of migration 0009 write it; this only reads). */
export class ReadVersionRepository {
  constructor(private readonly db: Db) {}

  /**
   * The committed write count over every table a dashboard or analytics response reads. It moves
   * when, and only when, such a write commits, whichever process or worker made it.
   */
  async current(): Promise<string> {
    const [row] = await queryRows<{ version: string }>(
      this.db,
      sql`SELECT coalesce(sum(writes), 0)::text AS version FROM read_versions`,
    );
    return row?.version ?? '0';
  }
}
