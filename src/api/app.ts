import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { MAX_CSV_BYTES } from '../domain/csv/parse-positions-csv.ts';
import { ApiError } from './api-error.ts';
import type { AppContext } from './app-context.ts';
import type { AppEnv } from './app-env.ts';
import { cachedRead } from './middleware/cached-read.ts';
import { csrfProtection } from './middleware/csrf-protection.ts';
import { requireDatabase } from './middleware/require-database.ts';
import { requestMetrics } from './middleware/request-metrics.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { requireAdmin, requireUser } from './middleware/require-user.ts';
import { ALL_ROUTES } from './openapi/all-route-docs.ts';
import { API_PREFIX, pathMatcher, registerRoutes } from './openapi/define-route.ts';
import { docsAssetRoutes } from './routes/docs.ts';
import { webAppRoutes } from './web/web-app-routes.ts';
import { ResponseCache } from './read-cache/response-cache.ts';
import { limitConcurrentUploads, UploadSlots } from './upload-slots.ts';

/** JSON bodies are small; only the CSV uploads may be large. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;
/** A 10 MB CSV plus the multipart framing and the few form fields around it. */
export const MAX_UPLOAD_BODY_BYTES = MAX_CSV_BYTES + 256 * 1024;

const apiRoutes = ALL_ROUTES.filter((r) => r.path.startsWith(`${API_PREFIX}/`));
const rootRoutes = ALL_ROUTES.filter((r) => !r.path.startsWith(`${API_PREFIX}/`));

/** Multipart uploads (the routes declaring a multipart body), whatever the method. */
const isUploadPath = pathMatcher(apiRoutes.filter((r) => r.multipart).map((r) => r.path));

/** Routes under /api/v1 that answer without a session (declared `auth: 'none'`). */
const isPublicPath = pathMatcher(apiRoutes.filter((r) => r.auth === 'none').map((r) => r.path));

/** Role admin is enforced for /api/v1/admin/*: exactly the routes declared `auth: 'admin'`. */
const ADMIN_PREFIX = `${API_PREFIX}/admin/`;
for (const route of ALL_ROUTES) {
  if ((route.auth === 'admin') !== route.path.startsWith(ADMIN_PREFIX)) {
    throw new Error(
      `${route.method} ${route.path}: auth 'admin' is exactly the routes under ${ADMIN_PREFIX}`,
    );
  }
}

/**
 * The size limit is enforced while the body streams in (hono's bodyLimit counts bytes as they
 * arrive and stops reading past the limit), so a 1 GB upload never sits in memory.
 */
function limitBodySize(): MiddlewareHandler<AppEnv> {
  const uploads = bodyLimit({
    maxSize: MAX_UPLOAD_BODY_BYTES,
    onError: () => {
      throw new ApiError(
        413,
        'ERR_CSV_001',
        `The upload is larger than the ${MAX_CSV_BYTES / (1024 * 1024)} MB limit`,
      );
    },
  });
  const json = bodyLimit({
    maxSize: MAX_JSON_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, 'ERR_BODY_TOO_LARGE', 'The request body is larger than 1 MB');
    },
  });
  return (c, next) => (isUploadPath(c.req.path) ? uploads(c, next) : json(c, next));
}

export interface AppOptions {
  /** The built web app (web/dist) served at `/`; omitted: no web app (API-only tests). */
  webDistDir?: string;
  /** Uploads one user may have in progress at once (default 2); more get a 429. */
  maxUploadsPerUser?: number;
  /** Memory for dashboard and analytics responses kept between requests (default 64 MB). */
  readCacheBytes?: number;
}

export const DEFAULT_READ_CACHE_BYTES = 64 * 1024 * 1024;

/** The whole HTTP surface; tests drive it through `app.request()` without opening a port. */
export function createApp(ctx: AppContext, options: AppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requestMetrics());
  app.use('*', securityHeaders());
  registerRoutes(app, rootRoutes, ctx);
  app.route('/', docsAssetRoutes());

  const api = new Hono<AppEnv>();
  api.use('*', csrfProtection(isUploadPath));
  api.use('*', limitBodySize());
  api.use('*', requireDatabase(ctx));
  const userRequired = requireUser(ctx);
  api.use('*', (c, next) => (isPublicPath(c.req.path) ? next() : userRequired(c, next)));
  api.use('/admin/*', requireAdmin());
  api.use('*', limitConcurrentUploads(new UploadSlots(options.maxUploadsPerUser), isUploadPath));
  const readCache = new ResponseCache(options.readCacheBytes ?? DEFAULT_READ_CACHE_BYTES);
  api.use(
    '/data/*',
    cachedRead(readCache, () => ctx.now()),
  );
  api.use(
    '/analytics/*',
    cachedRead(readCache, () => ctx.now()),
  );
  registerRoutes(api, apiRoutes, ctx, API_PREFIX);
  app.route('/api/v1', api);
  if (options.webDistDir) app.route('/', webAppRoutes(options.webDistDir));

  app.notFound((c) =>
    c.json(
      { error: { code: 'ERR_NOT_FOUND', message: `No route for ${c.req.method} ${c.req.path}` } },
      404,
    ),
  );
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      const retryAfter = error.details?.retry_after_seconds;
      if (typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
      return c.json(error.toBody(), error.status);
    }
    if (error instanceof HTTPException) {
      return c.json(
        { error: { code: `ERR_HTTP_${error.status}`, message: error.message || 'Bad request' } },
        error.status,
      );
    }
    ctx.logger.error({ err: error, path: c.req.path }, 'unhandled error');
    return c.json(
      {
        error: {
          code: 'ERR_INTERNAL',
          message: 'The server hit an unexpected error; it has been logged.',
        },
      },
      500,
    );
  });
  return app;
}
