import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { ApiError } from '../api-error.ts';
import type { AppEnv } from '../app-env.ts';
import { SESSION_COOKIE } from '../auth/session-token.ts';

/** The header the web app sends with every request; a cross-site form or link cannot set it. */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'betaboard';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether the request carries a body. Over HTTP that is what its headers say: a request with
 * neither Content-Length nor Transfer-Encoding has none (a browser's bodiless DELETE sends
 * neither, and the node adapter still gives it an empty body stream). A Request built
 * in-process (`app.request()`, tests) has no such headers, so its body stream decides.
 */
function hasBody(request: Request, overHttp: boolean): boolean {
  const length = request.headers.get('content-length');
  if (length !== null) return Number(length) > 0;
  if (request.headers.get('transfer-encoding') !== null) return true;
  return !overHttp && request.body !== null;
}

function mediaTypeOf(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The host of an Origin header; null for `null` (sandboxed, file:) or garbage. */
function originHostOf(origin: string): string | null {
  if (origin === 'null') return null;
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

/**
 * Cross-site request forgery protection for requests a browser may send on its own.
 *
 * A request that authenticates with `Authorization: Bearer` is never checked: a browser does
 * not attach that header by itself, so API clients keep working unchanged. Every other unsafe
 * request (POST/PUT/PATCH/DELETE):
 * - with an `Origin` header must come from this server's own origin (a cross-site form or
 *   fetch is refused, login included);
 * - when it carries the session cookie, must also send `X-Requested-With: betaboard` — setting
 *   a custom header needs a CORS preflight that this server never grants to other origins;
 * - with a body must send the media type the route reads: multipart/form-data on the upload
 *   routes, JSON everywhere else (415 otherwise), so an HTML form's text/plain or urlencoded
 *   body cannot pass for JSON.
 */
export function csrfProtection(isUploadPath: (path: string) => boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!UNSAFE_METHODS.has(c.req.method)) return next();
    if (/^Bearer\s/i.test(c.req.header('authorization')?.trim() ?? '')) return next();

    const origin = c.req.header('origin');
    if (origin !== undefined) {
      if (originHostOf(origin) !== new URL(c.req.url).host) {
        throw new ApiError(
          403,
          'ERR_CSRF_ORIGIN',
          'This request came from another site; it is only accepted from the Betaboard web app',
        );
      }
    }

    if (getCookie(c, SESSION_COOKIE) !== undefined) {
      if (c.req.header(CSRF_HEADER)?.toLowerCase() !== CSRF_HEADER_VALUE) {
        throw new ApiError(
          403,
          'ERR_CSRF_HEADER',
          `A request authenticated by the session cookie must send the header "X-Requested-With: ${CSRF_HEADER_VALUE}"`,
        );
      }
    }

    const overHttp = (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined;
    if (hasBody(c.req.raw, overHttp)) {
      const mediaType = mediaTypeOf(c.req.header('content-type') ?? null);
      if (isUploadPath(c.req.path)) {
        if (mediaType !== 'multipart/form-data') {
          throw new ApiError(
            415,
            'ERR_UNSUPPORTED_MEDIA_TYPE',
            `This upload must be sent as multipart/form-data, not ${mediaType || 'an untyped body'}`,
          );
        }
      } else if (!isJson(mediaType)) {
        throw new ApiError(
          415,
          'ERR_UNSUPPORTED_MEDIA_TYPE',
          `The body must be JSON (Content-Type: application/json), not ${mediaType || 'an untyped body'}`,
        );
      }
    }
    await next();
  };
}
