import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import type { UserRow } from './user-repository.ts';

/** All SQL on `auth_sessions`. Callers pass the token's hash, never the token. */
export class AuthSessionRepository {
  constructor(private readonly db: Db) {}

  async create(input: { userId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
    await this.db.execute(
      sql`INSERT INTO auth_sessions (user_id, token_hash, expires_at)
          VALUES (${input.userId}, ${input.tokenHash}, ${input.expiresAt.toISOString()})`,
    );
  }

  /** The user a live (unexpired) session belongs to, or null. */
  async findUserByTokenHash(tokenHash: string, now: Date): Promise<UserRow | null> {
    const rows = await queryRows<UserRow>(
      this.db,
      sql`SELECT u.id, u.email, u.password_hash AS "passwordHash", u.full_name AS "fullName", u.role,
                 to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
            FROM auth_sessions s JOIN users u ON u.id = s.user_id
           WHERE s.token_hash = ${tokenHash} AND s.expires_at > ${now.toISOString()}`,
    );
    return rows[0] ?? null;
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await this.db.execute(sql`DELETE FROM auth_sessions WHERE token_hash = ${tokenHash}`);
  }

  /** Signs a user out everywhere (after a password change); how many sessions ended. */
  async deleteAllOfUser(userId: string): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      sql`DELETE FROM auth_sessions WHERE user_id = ${userId} RETURNING user_id AS id`,
    );
    return rows.length;
  }

  /** Housekeeping: expired sessions are useless; called on login so the table stays small. */
  async deleteExpired(now: Date): Promise<void> {
    await this.db.execute(sql`DELETE FROM auth_sessions WHERE expires_at <= ${now.toISOString()}`);
  }
}
