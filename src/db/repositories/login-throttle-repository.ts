import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';

/** Failures counted for one key: a fixed window that starts at the key's first failure. */
export interface ThrottleCount {
  failures: number;
  windowStartedAtMs: number;
}

/** Where failure counts live: the database in the server, memory in unit tests. */
export interface ThrottleStore {
  read(keys: readonly string[]): Promise<Map<string, ThrottleCount>>;
  /** +1 for each key; a key whose window has ended starts a new one at `nowMs`. */
  recordFailure(keys: readonly string[], nowMs: number, windowMs: number): Promise<void>;
  clear(keys: readonly string[]): Promise<void>;
}

/** All SQL on `login_throttle` and `login_devices`. Device tokens arrive hashed. */
export class LoginThrottleRepository implements ThrottleStore {
  constructor(private readonly db: Db) {}

  async read(keys: readonly string[]): Promise<Map<string, ThrottleCount>> {
    const rows = await queryRows<{ key: string; failures: number; startedMs: number }>(
      this.db,
      sql`SELECT key, failures, (extract(epoch FROM window_started_at) * 1000)::float8 AS "startedMs"
          FROM login_throttle WHERE key = ANY(${sql.param([...keys])}::text[])`,
    );
    return new Map(
      rows.map((r) => [r.key, { failures: r.failures, windowStartedAtMs: r.startedMs }]),
    );
  }

  /** One atomic upsert, so concurrent failures from several processes all count. */
  async recordFailure(keys: readonly string[], nowMs: number, windowMs: number): Promise<void> {
    const now = new Date(nowMs).toISOString();
    const windowStart = new Date(nowMs - windowMs).toISOString();
    await this.db.execute(
      sql`INSERT INTO login_throttle (key, failures, window_started_at, updated_at)
          SELECT k, 1, ${now}::timestamptz, ${now}::timestamptz
          FROM unnest(${sql.param([...keys])}::text[]) AS k
          ON CONFLICT (key) DO UPDATE SET
            failures = CASE WHEN login_throttle.window_started_at <= ${windowStart}::timestamptz
              THEN 1 ELSE login_throttle.failures + 1 END,
            window_started_at = CASE WHEN login_throttle.window_started_at <= ${windowStart}::timestamptz
              THEN excluded.window_started_at ELSE login_throttle.window_started_at END,
            updated_at = excluded.updated_at`,
    );
    // Expired windows are of no use: a spray over many addresses cannot grow the table for good.
    await this.db.execute(
      sql`DELETE FROM login_throttle WHERE window_started_at <= ${windowStart}::timestamptz`,
    );
  }

  async clear(keys: readonly string[]): Promise<void> {
    await this.db.execute(
      sql`DELETE FROM login_throttle WHERE key = ANY(${sql.param([...keys])}::text[])`,
    );
  }

  /** The user a device cookie was issued to, or null for an unknown one. */
  async deviceOwner(tokenHash: string): Promise<string | null> {
    const rows = await queryRows<{ userId: string }>(
      this.db,
      sql`SELECT user_id AS "userId" FROM login_devices WHERE token_hash = ${tokenHash}`,
    );
    return rows[0]?.userId ?? null;
  }

  async rememberDevice(tokenHash: string, userId: string): Promise<void> {
    await this.db.execute(
      sql`INSERT INTO login_devices (token_hash, user_id) VALUES (${tokenHash}, ${userId})
          ON CONFLICT (token_hash) DO UPDATE SET last_used_at = now()`,
    );
  }
}
