import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ReadVersionRepository } from '../../db/repositories/read-version-repository.ts';
import type { AppEnv } from '../app-env.ts';
import type { ResponseCache } from '../read-cache/response-cache.ts';

/**
 * Dashboard and analytics reads change only when a write lands (a calculation, an edit, the
 * nightly batch), so each GET is keyed by the user, the URL, the day and the database's read
 * version (one single-row-per-session sum, read before the handler runs: a write committed
 * while the handler reads makes the entry newer than its key, never older). A repeated request
 * is answered from memory, and a client that sends the ETag back gets a 304.
 *
 * The owner check is not skipped: an entry exists only for a user the handler answered 200, and
 * a 304 is only sent for an entry of this very key (or after the handler ran).
 */
export function cachedRead(cache: ResponseCache, now: () => Date): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'GET') return next();
    const version = await new ReadVersionRepository(c.get('database').db).current();
    const url = new URL(c.req.url);
    const day = now().toISOString().slice(0, 10);
    const key = `${c.get('user').id}|${version}|${day}|${url.pathname}${url.search}`;
    const etag = `"${createHash('sha256').update(key).digest('base64url').slice(0, 32)}"`;
    const headers = { etag, 'cache-control': 'private, no-cache' };

    const hit = cache.get(key);
    if (hit) {
      if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
      return c.body(hit.body, 200, { ...headers, 'content-type': hit.contentType });
    }
    await next();
    const contentType = c.res.headers.get('content-type') ?? '';
    if (c.res.status !== 200 || !contentType.startsWith('application/json')) return;
    const body = await c.res.clone().text();
    cache.set(key, { body, contentType, etag });
    if (matches(c.req.header('if-none-match'), etag)) {
      c.res = new Response(null, { status: 304, headers });
      return;
    }
    c.res.headers.set('etag', etag);
    c.res.headers.set('cache-control', headers['cache-control']);
  };
}

/** `If-None-Match` may list several tags, weak or strong; any equal one matches. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*');
}
