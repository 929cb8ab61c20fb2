import type { Db } from '../db/database.ts';
import { UserRepository, type UserRow } from '../db/repositories/user-repository.ts';

/**
 * The owner of portfolios created from the CLI. A user created here has no usable password
 * (the hash starts with `!`, which no scrypt hash does) until one is set through the API.
 */
export async function ensureCliUser(db: Db, email: string): Promise<UserRow> {
  const users = new UserRepository(db);
  return (
    (await users.findByEmail(email)) ??
    (await users.create({ email, passwordHash: '!no-password', fullName: null }))
  );
}
