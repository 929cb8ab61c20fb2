import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { httpRequestDurationSeconds } from '../../observability/metrics.ts';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The route pattern a request was for (`/api/v1/portfolios/:id`), never the raw path, so the
 * label's values are bounded by the routes we register. Middleware entries (method ALL, e.g.
 * `/api/v1/*`) are skipped: a request rejected by the auth middleware still counts against the
 * route it was aimed at, and one that matched no route is `unmatched`.
 */
function routeLabel(c: Parameters<MiddlewareHandler>[0]): string {
  const routes = matchedRoutes(c);
  const responder = routes[c.req.routeIndex];
  if (responder && responder.method !== 'ALL') return responder.path;
  return routes.find((r) => r.method !== 'ALL')?.path ?? 'unmatched';
}

/** Times every request into `betaboard_http_request_duration_seconds`. Register it first. */
export function requestMetrics(): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : 'OTHER';
      httpRequestDurationSeconds.observe(
        { method, route: routeLabel(c), status: String(c.res.status) },
        (performance.now() - started) / 1000,
      );
    }
  };
}
