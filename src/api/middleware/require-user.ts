import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { ApiError } from '../api-error.ts';
import type { AppContext } from '../app-context.ts';
import type { AppEnv, AuthUser } from '../app-env.ts';
import { AuthService } from '../auth/auth-service.ts';
import { SessionCache } from '../auth/session-cache.ts';
import { hashSessionToken, SESSION_COOKIE } from '../auth/session-token.ts';
import { requestReadVersion } from '../read-cache/request-read-version.ts';

/** The bearer token, else the web app's HttpOnly cookie. */
export function sessionTokenOf(c: Context): string | null {
  const header = c.req.header('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    return match ? match[1]! : null;
  }
  return getCookie(c, SESSION_COOKIE) ?? null;
}

export function authServiceOf(ctx: AppContext, c: Context<AppEnv>): AuthService {
  return new AuthService(c.get('database').db, {
    tokenTtlSeconds: ctx.auth.tokenTtlSeconds,
    limiter: ctx.auth.loginLimiter,
    now: ctx.now,
  });
}

/**
 * 401 without a valid session; sets `user` for the route. A session looked up once is kept in
 * memory under the read version (see SessionCache), so a request with a known, unexpired token
 * reaches its handler without a database round trip.
 */
export function requireUser(ctx: AppContext): MiddlewareHandler<AppEnv> {
  const sessions = new SessionCache();
  return async (c, next) => {
    const token = sessionTokenOf(c);
    const user = token ? await userForToken(ctx, c, sessions, token) : null;
    if (!user) {
      throw new ApiError(
        401,
        'ERR_AUTH_REQUIRED',
        token
          ? 'The session has expired or was revoked; log in again'
          : 'Log in to use this endpoint',
      );
    }
    c.set('user', user);
    await next();
  };
}

async function userForToken(
  ctx: AppContext,
  c: Context<AppEnv>,
  sessions: SessionCache,
  token: string,
): Promise<AuthUser | null> {
  // The version first: a session ended after this read moves it, so the entry stored below is
  // never used past its end.
  const version = await requestReadVersion(c);
  const tokenHash = hashSessionToken(token);
  return sessions.user(tokenHash, version, ctx.now(), () =>
    authServiceOf(ctx, c).liveSession(tokenHash),
  );
}

/** Admin routes: a signed-in user without the admin role gets 403. */
export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get('user').role !== 'admin') {
      throw new ApiError(403, 'ERR_FORBIDDEN', 'This endpoint needs the admin role');
    }
    await next();
  };
}
