import { and, getTableColumns, like, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUniqueViolation } from '../db-errors.ts';
import type { UserRole } from '../schema/enums.ts';
import { users } from '../schema/index.ts';
import { withIsoTimes, type WithIsoTimes } from './row-values.ts';

type UserRecord = Omit<typeof users.$inferSelect, 'updatedAt'>;

/** A user as the services see it: `createdAt` an ISO-8601 string. */
export type UserRow = WithIsoTimes<UserRecord, 'createdAt'>;

export class DuplicateEmailError extends Error {
  constructor(readonly email: string) {
    super(`An account with the e-mail ${email} already exists`);
    this.name = 'DuplicateEmailError';
  }
}

// Every column of a user but `updatedAt`; AuthSessionRepository selects the same.
export const { updatedAt: _updatedAt, ...USER_COLUMNS } = getTableColumns(users);

export const toUserRow = (row: UserRecord): UserRow => withIsoTimes(row, ['createdAt']);

/** Case-insensitive, like the unique index on lower(email). */
const emailIs = (email: string): SQL => sql`lower(${users.email}) = lower(${email.trim()})`;

/** All SQL on `users`. E-mail lookups are case-insensitive, like the unique index. */
export class UserRepository {
  constructor(private readonly db: Db) {}

  async create(input: {
    email: string;
    passwordHash: string;
    fullName: string | null;
    role?: UserRole;
  }): Promise<UserRow> {
    try {
      const [row] = await this.db
        .insert(users)
        .values({
          email: input.email.trim(),
          passwordHash: input.passwordHash,
          fullName: input.fullName,
          role: input.role ?? 'user',
        })
        .returning(USER_COLUMNS);
      return toUserRow(row!);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateEmailError(input.email);
      throw error;
    }
  }

  async findByEmail(email: string): Promise<UserRow | null> {
    const [row] = await this.db.select(USER_COLUMNS).from(users).where(emailIs(email));
    return row ? toUserRow(row) : null;
  }

  /**
   * Replaces a user's password hash (and fills in a missing full name). With `onlyIfUnusable`,
   * only a user without a usable password (a hash starting with `!`, as the CLI creates) is
   * changed — a conditional UPDATE, so of two processes claiming the same user only one wins.
   * Null when no user matched.
   */
  async setPasswordHash(input: {
    email: string;
    passwordHash: string;
    fullName?: string | null;
    onlyIfUnusable?: boolean;
  }): Promise<UserRow | null> {
    const [row] = await this.db
      .update(users)
      .set({
        passwordHash: input.passwordHash,
        fullName: sql`coalesce(${users.fullName}, ${input.fullName ?? null})`,
      })
      .where(
        and(
          emailIs(input.email),
          input.onlyIfUnusable ? like(users.passwordHash, '!%') : undefined,
        ),
      )
      .returning(USER_COLUMNS);
    return row ? toUserRow(row) : null;
  }
}
