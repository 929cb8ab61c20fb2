import type { Db } from '../../db/database.ts';
import { AuthSessionRepository } from '../../db/repositories/auth-session-repository.ts';
import {
  DuplicateEmailError,
  UserRepository,
  type UserRow,
} from '../../db/repositories/user-repository.ts';
import type { UserRole } from '../../db/schema/enums.ts';
import { ApiError } from '../api-error.ts';
import type { AuthUser } from '../app-env.ts';
import type { LoginRateLimiter } from './login-rate-limiter.ts';
import { hashPassword, verifyPassword } from '../../security/password.ts';
import { hashSessionToken, newSessionToken } from './session-token.ts';

export const publicUser = (row: UserRow): AuthUser => ({
  id: row.id,
  email: row.email,
  fullName: row.fullName,
  role: row.role,
});

export const userBody = (user: AuthUser) => ({
  id: user.id,
  email: user.email,
  full_name: user.fullName,
  role: user.role,
});

export interface IssuedSession {
  token: string;
  expiresInSeconds: number;
  user: AuthUser;
}

/** Registration, login and token checks; the routes only translate HTTP to these calls. */
export class AuthService {
  private readonly users: UserRepository;
  private readonly sessions: AuthSessionRepository;

  constructor(
    db: Db,
    private readonly options: {
      tokenTtlSeconds: number;
      limiter: LoginRateLimiter;
      now: () => Date;
    },
  ) {
    this.users = new UserRepository(db);
    this.sessions = new AuthSessionRepository(db);
  }

  async register(input: {
    email: string;
    password: string;
    fullName: string | null;
    role?: UserRole;
  }): Promise<AuthUser> {
    try {
      const row = await this.users.create({
        email: input.email,
        passwordHash: await hashPassword(input.password),
        fullName: input.fullName,
        role: input.role ?? 'user',
      });
      return publicUser(row);
    } catch (error) {
      if (error instanceof DuplicateEmailError) {
        throw new ApiError(
          409,
          'ERR_AUTH_EMAIL_TAKEN',
          'An account with this e-mail already exists',
        );
      }
      throw error;
    }
  }

  async login(email: string, password: string, clientKey: string): Promise<IssuedSession> {
    const keys = [`email:${email.trim().toLowerCase()}`, `client:${clientKey}`];
    const wait = this.options.limiter.retryAfterSeconds(keys);
    if (wait > 0) {
      throw new ApiError(
        429,
        'ERR_AUTH_RATE_LIMITED',
        `Too many failed logins; try again in ${wait} seconds`,
        { retry_after_seconds: wait },
      );
    }
    const row = await this.users.findByEmail(email);
    // Same answer for an unknown e-mail and a wrong password: no account enumeration.
    if (!row || !(await verifyPassword(password, row.passwordHash))) {
      this.options.limiter.recordFailure(keys);
      throw new ApiError(401, 'ERR_AUTH_INVALID_CREDENTIALS', 'E-mail or password is incorrect');
    }
    this.options.limiter.recordSuccess(keys);
    const now = this.options.now();
    await this.sessions.deleteExpired(now);
    const token = newSessionToken();
    await this.sessions.create({
      userId: row.id,
      tokenHash: hashSessionToken(token),
      expiresAt: new Date(now.getTime() + this.options.tokenTtlSeconds * 1000),
    });
    return { token, expiresInSeconds: this.options.tokenTtlSeconds, user: publicUser(row) };
  }

  async userForToken(token: string): Promise<AuthUser | null> {
    const row = await this.sessions.findUserByTokenHash(
      hashSessionToken(token),
      this.options.now(),
    );
    return row ? publicUser(row) : null;
  }

  async logout(token: string): Promise<void> {
    await this.sessions.deleteByTokenHash(hashSessionToken(token));
  }
}
