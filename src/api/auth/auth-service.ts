import type { Db } from '../../db/database.ts';
import { AuthSessionRepository } from '../../db/repositories/auth-session-repository.ts';
import { LoginThrottleRepository } from '../../db/repositories/login-throttle-repository.ts';
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
  private readonly throttle: LoginThrottleRepository;

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
    this.throttle = new LoginThrottleRepository(db);
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

  /**
   * Logs in. Failed logins are limited per account and per client address — but a browser the
   * account's owner has logged in from before (its device cookie) is judged only by its own
   * failures, so other people's wrong guesses can neither lock the owner out nor lock out a
   * colleague behind the same address. The right password clears the account's and the
   * device's counters, never the address's: logging into one's own account does not buy more
   * guesses against others.
   */
  async login(
    email: string,
    password: string,
    clientKey: string,
    deviceToken?: string | null,
  ): Promise<IssuedSession & { deviceToken: string }> {
    const limiter = this.options.limiter;
    const accountKey = `account:${email.trim().toLowerCase()}`;
    const addressKey = `address:${clientKey}`;
    const row = await this.users.findByEmail(email);
    const deviceHash = deviceToken ? hashSessionToken(deviceToken) : null;
    const deviceKey = deviceHash ? `device:${deviceHash}` : null;
    const trusted =
      row !== null &&
      deviceHash !== null &&
      (await this.throttle.deviceOwner(deviceHash)) === row.id &&
      (await limiter.retryAfterSeconds([deviceKey!], this.throttle)) === 0;
    if (!trusted) {
      const wait = await limiter.retryAfterSeconds([accountKey, addressKey], this.throttle);
      if (wait > 0) {
        throw new ApiError(
          429,
          'ERR_AUTH_RATE_LIMITED',
          `Too many failed logins; try again in ${wait} seconds (a browser you have logged in ` +
            'from before is not affected)',
          { retry_after_seconds: wait },
        );
      }
    }
    // Same answer for an unknown e-mail and a wrong password: no account enumeration.
    if (!row || !(await verifyPassword(password, row.passwordHash))) {
      await limiter.recordFailure(trusted ? [deviceKey!] : [accountKey, addressKey], this.throttle);
      throw new ApiError(401, 'ERR_AUTH_INVALID_CREDENTIALS', 'E-mail or password is incorrect');
    }
    await limiter.recordSuccess(deviceKey ? [accountKey, deviceKey] : [accountKey], this.throttle);
    const device = trusted && deviceToken ? deviceToken : newSessionToken();
    await this.throttle.rememberDevice(hashSessionToken(device), row.id);
    const now = this.options.now();
    await this.sessions.deleteExpired(now);
    const token = newSessionToken();
    await this.sessions.create({
      userId: row.id,
      tokenHash: hashSessionToken(token),
      expiresAt: new Date(now.getTime() + this.options.tokenTtlSeconds * 1000),
    });
    return {
      token,
      expiresInSeconds: this.options.tokenTtlSeconds,
      user: publicUser(row),
      deviceToken: device,
    };
  }

  /** Who a token's live session belongs to and when it ends; null if unknown or expired. */
  async liveSession(tokenHash: string): Promise<{ user: AuthUser; expiresAt: Date } | null> {
    const found = await this.sessions.findLiveSession(tokenHash, this.options.now());
    return found ? { user: publicUser(found.user), expiresAt: found.expiresAt } : null;
  }

  async logout(token: string): Promise<void> {
    await this.sessions.deleteByTokenHash(hashSessionToken(token));
  }
}
