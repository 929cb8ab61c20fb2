import type { Hono } from 'hono';
import { createApp } from '../../src/api/app.ts';
import type { AppContext } from '../../src/api/app-context.ts';
import type { AppEnv } from '../../src/api/app-env.ts';
import { LoginRateLimiter } from '../../src/api/auth/login-rate-limiter.ts';
import type { Database } from '../../src/db/database.ts';
import type { JobQueue } from '../../src/jobs/job-queue.ts';
import { createLogger } from '../../src/logger.ts';
import { getSampleProvider } from '../../src/market/create-provider.ts';
import type { MarketDataProvider } from '../../src/market/provider.ts';
import { SymbolCache } from '../../src/pipeline/symbol-cache.ts';

export interface TestApp {
  app: Hono<AppEnv>;
  ctx: AppContext;
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  /**
   * A request with an optional JSON body (an object is serialised, a string is sent as it is,
   * so malformed JSON can be tested) and an optional bearer token.
   */
  send(method: string, path: string, body?: unknown, token?: string): Promise<Response>;
  /** Registers (if new) and logs in; returns the bearer token. */
  login(email: string, options?: { password?: string }): Promise<string>;
}

/** The real app over a test database, driven through `app.request()`. */
export async function createTestApp(
  database: Database | null | (() => Database | null),
  options: {
    jobs?: JobQueue | null;
    marketData?: MarketDataProvider;
    now?: () => Date;
    loginLimiter?: LoginRateLimiter;
    /** Serve a built web app from this directory (see createApp). */
    webDistDir?: string;
    maxUploadsPerUser?: number;
  } = {},
): Promise<TestApp> {
  const ctx: AppContext = {
    getDatabase: typeof database === 'function' ? database : () => database,
    getJobs: () => options.jobs ?? null,
    marketData: options.marketData ?? (await getSampleProvider()),
    cache: new SymbolCache(),
    logger: createLogger('silent'),
    auth: {
      tokenTtlSeconds: 3600,
      secureCookies: false,
      loginLimiter: options.loginLimiter ?? new LoginRateLimiter(),
    },
    now: options.now ?? (() => new Date()),
  };
  const app = createApp(ctx, {
    webDistDir: options.webDistDir,
    maxUploadsPerUser: options.maxUploadsPerUser,
  });
  const request = (path: string, init: RequestInit & { token?: string } = {}) => {
    const { token, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return Promise.resolve(app.request(path, { ...rest, headers }));
  };
  const send = (method: string, path: string, body?: unknown, token?: string) =>
    request(path, {
      method,
      ...(token ? { token } : {}),
      ...(body === undefined
        ? {}
        : {
            body: typeof body === 'string' ? body : JSON.stringify(body),
            headers: { 'content-type': 'application/json' },
          }),
    });
  const login = async (email: string, opts: { password?: string } = {}) => {
    const password = opts.password ?? 'correct horse battery';
    const json = { 'content-type': 'application/json' };
    await request('/api/v1/auth/register', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email, password, full_name: email.split('@')[0] }),
    });
    const res = await request('/api/v1/auth/login', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  return { app, ctx, request, send, login };
}
