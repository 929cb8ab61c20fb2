import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z } from 'zod';
import { userBody } from '../auth/auth-service.ts';
import { loginResponse, userSchema } from '../auth/schemas.ts';
import {
  DEVICE_COOKIE,
  DEVICE_COOKIE_MAX_AGE_SECONDS,
  SESSION_COOKIE,
} from '../auth/session-token.ts';
import { authServiceOf, sessionTokenOf } from '../middleware/require-user.ts';
import { defineRoute, type Route } from '../openapi/define-route.ts';

const registerBody = z.object({
  email: z.email().max(254),
  password: z.string().min(8, 'must be at least 8 characters').max(256),
  full_name: z.string().trim().min(1).max(200).nullish(),
});

const loginBody = z.object({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(256),
});

function clientKey(c: Parameters<typeof getConnInfo>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'local';
  }
}

/** /api/v1/auth: register, login, me, logout. */
export const authRoutes: Route[] = [
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/register',
    tag: 'auth',
    summary: 'Create an account',
    auth: 'none',
    body: registerBody,
    success: { status: 201, description: 'The new user', schema: userSchema },
    errors: { 409: 'ERR_AUTH_EMAIL_TAKEN' },
    handler: async (c, { ctx, body }) => {
      const input = await body();
      const user = await authServiceOf(ctx, c).register({
        email: input.email,
        password: input.password,
        fullName: input.full_name ?? null,
      });
      return c.json(userBody(user), 201);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/login',
    tag: 'auth',
    summary:
      'Log in: a bearer token, and an HttpOnly cookie for the web app. Failed logins are ' +
      'limited per account and per address (429 with Retry-After); a browser that logged in ' +
      'before (its betaboard_device cookie) is limited only by its own failures',
    auth: 'none',
    body: loginBody,
    success: { status: 200, description: 'A session', schema: loginResponse },
    errors: { 401: 'ERR_AUTH_INVALID_CREDENTIALS', 429: 'ERR_AUTH_RATE_LIMITED' },
    handler: async (c, { ctx, body }) => {
      const input = await body();
      const session = await authServiceOf(ctx, c).login(
        input.email,
        input.password,
        clientKey(c),
        getCookie(c, DEVICE_COOKIE) ?? null,
      );
      setCookie(c, SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: ctx.auth.secureCookies,
        path: '/',
        maxAge: session.expiresInSeconds,
      });
      setCookie(c, DEVICE_COOKIE, session.deviceToken, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: ctx.auth.secureCookies,
        path: '/api/v1/auth/login',
        maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
      });
      return c.json({
        access_token: session.token,
        token_type: 'bearer' as const,
        expires_in: session.expiresInSeconds,
        user: userBody(session.user),
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/auth/me',
    tag: 'auth',
    summary: 'The signed-in user',
    auth: 'user',
    success: { status: 200, description: 'The user', schema: userSchema },
    handler: (c) => c.json(userBody(c.get('user'))),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/logout',
    tag: 'auth',
    summary: 'Revoke the current session',
    auth: 'user',
    success: { status: 204, description: 'Logged out' },
    handler: async (c, { ctx }) => {
      const token = sessionTokenOf(c);
      if (token) await authServiceOf(ctx, c).logout(token);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  }),
];
