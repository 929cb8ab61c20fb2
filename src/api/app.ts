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
import { adminRoutes } from './routes/admin.ts';
import { analyticsAggregateRoutes } from './routes/analytics-aggregate.ts';
import { analyticsPortfolioRoutes } from './routes/analytics-portfolio.ts';
import { authRoutes } from './routes/auth.ts';
import { calculationRoutes } from './routes/calculation.ts';
import { docsPageRoutes, openApiRoutes } from './routes/docs.ts';
import { equityChangesRoutes } from './routes/equity-changes.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { onboardingUploadRoutes } from './routes/onboarding-upload.ts';
import { portfolioDataRoutes } from './routes/portfolio-data.ts';
import { portfoliosRoutes } from './routes/portfolios.ts';
import { positionsRoutes } from './routes/positions.ts';
import { stressScenarioRoutes } from './routes/stress-scenarios.ts';
import { symbolsRoutes } from './routes/symbols.ts';
import { webAppRoutes } from './web/web-app-routes.ts';
import { ResponseCache } from './read-cache/response-cache.ts';
import { limitConcurrentUploads, UploadSlots } from './upload-slots.ts';

/** JSON bodies are small; only the CSV uploads may be large. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;
/** A 10 MB CSV plus the multipart framing and the few form fields around it. */
export const MAX_UPLOAD_BODY_BYTES = MAX_CSV_BYTES + 256 * 1024;

const UPLOAD_PATHS = new Set([
  '/api/v1/onboarding/validate-csv',
  '/api/v1/onboarding/create-portfolio',
]);

/** Multipart uploads: the two above and the positions import of API.md. */
const POSITIONS_IMPORT_PATH = /^\/api\/v1\/portfolios\/[^/]+\/positions\/import$/;
const isUploadPath = (p: string) => UPLOAD_PATHS.has(p) || POSITIONS_IMPORT_PATH.test(p);

/** Routes under /api/v1 that answer without a session. */
const PUBLIC_PATHS = new Set([
  '/api/v1/auth/register',
  '/api/v1/auth/login',
  '/api/v1/onboarding/csv-template',
  '/api/v1/openapi.json',
]);

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
  app.route('/', healthRoutes(ctx));
  app.route('/', metricsRoutes(ctx));
  app.route('/', docsPageRoutes());

  const api = new Hono<AppEnv>();
  api.use('*', csrfProtection(isUploadPath));
  api.use('*', limitBodySize());
  api.use('*', requireDatabase(ctx));
  const userRequired = requireUser(ctx);
  api.use('*', (c, next) => (PUBLIC_PATHS.has(c.req.path) ? next() : userRequired(c, next)));
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
  // Each routes module registers full paths relative to /api/v1 and holds no middleware of
  // its own (a sub-app's `use('*')` mounted at '/' would leak onto every other module).
  api.route('/auth', authRoutes(ctx));
  // (routes modules are mounted below, one line each)
  api.route('/', calculationRoutes(ctx));
  api.route('/', onboardingUploadRoutes(ctx));
  api.route('/', portfoliosRoutes(ctx));
  api.route('/', portfolioDataRoutes(ctx));
  api.route('/', equityChangesRoutes(ctx));
  api.route('/', positionsRoutes(ctx));
  api.route('/', symbolsRoutes(ctx));
  api.route('/', adminRoutes(ctx));
  api.route('/', analyticsPortfolioRoutes(ctx));
  api.route('/', analyticsAggregateRoutes(ctx));
  api.route('/', stressScenarioRoutes(ctx));
  api.route('/', openApiRoutes());
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
