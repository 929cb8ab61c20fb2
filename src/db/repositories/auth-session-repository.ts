import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { authSessions, users } from '../schema/index.ts';
import { toUserRow, USER_COLUMNS, type UserRow } from './user-repository.ts';

/** All SQL on `auth_sessions`. Callers pass the token's hash, never the token. */
export class AuthSessionRepository {
  constructor(private readonly db: Db) {}

  async create(input: { userId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
    await this.db.insert(authSessions).values(input);
  }

  /** The user a live (unexpired) session belongs to and when the session ends, or null. */
  async findLiveSession(
    tokenHash: string,
    now: Date,
  ): Promise<{ user: UserRow; expiresAt: Date } | null> {
    const [row] = await this.db
      .select({ ...USER_COLUMNS, sessionExpiresAt: authSessions.expiresAt })
      .from(authSessions)
      .innerJoin(users, eq(users.id, authSessions.userId))
      .where(and(eq(authSessions.tokenHash, tokenHash), gt(authSessions.expiresAt, now)));
    if (!row) return null;
    const { sessionExpiresAt, ...user } = row;
    return { user: toUserRow(user), expiresAt: sessionExpiresAt };
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await this.db.delete(authSessions).where(eq(authSessions.tokenHash, tokenHash));
  }

  /** Signs a user out everywhere (after a password change); how many sessions ended. */
  async deleteAllOfUser(userId: string): Promise<number> {
    const rows = await this.db
      .delete(authSessions)
      .where(eq(authSessions.userId, userId))
      .returning({ id: authSessions.id });
    return rows.length;
  }

  /** Housekeeping: expired sessions are useless; called on login so the table stays small. */
  async deleteExpired(now: Date): Promise<void> {
    await this.db.delete(authSessions).where(lte(authSessions.expiresAt, now));
  }
}
