import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import { isUniqueViolation } from '../db-errors.ts';
import type { UserRole } from '../schema/enums.ts';

export interface UserRow {
  id: string;
  email: string;
  passwordHash: string;
  fullName: string | null;
  role: UserRole;
  createdAt: string;
}

export class DuplicateEmailError extends Error {
  constructor(readonly email: string) {
    super(`An account with the e-mail ${email} already exists`);
    this.name = 'DuplicateEmailError';
  }
}

const COLUMNS = sql`id, email, password_hash AS "passwordHash", full_name AS "fullName", role,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

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
      const rows = await queryRows<UserRow>(
        this.db,
        sql`INSERT INTO users (email, password_hash, full_name, role)
            VALUES (${input.email.trim()}, ${input.passwordHash}, ${input.fullName}, ${input.role ?? 'user'})
            RETURNING ${COLUMNS}`,
      );
      return rows[0]!;
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateEmailError(input.email);
      throw error;
    }
  }

  async findByEmail(email: string): Promise<UserRow | null> {
    const rows = await queryRows<UserRow>(
      this.db,
      sql`SELECT ${COLUMNS} FROM users WHERE lower(email) = lower(${email.trim()})`,
    );
    return rows[0] ?? null;
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
    const rows = await queryRows<UserRow>(
      this.db,
      sql`UPDATE users SET password_hash = ${input.passwordHash},
            full_name = COALESCE(full_name, ${input.fullName ?? null})
          WHERE lower(email) = lower(${input.email.trim()})
            ${input.onlyIfUnusable ? sql`AND password_hash LIKE '!%'` : sql``}
          RETURNING ${COLUMNS}`,
    );
    return rows[0] ?? null;
  }

  async findById(id: string): Promise<UserRow | null> {
    const rows = await queryRows<UserRow>(
      this.db,
      sql`SELECT ${COLUMNS} FROM users WHERE id = ${id}`,
    );
    return rows[0] ?? null;
  }
}
