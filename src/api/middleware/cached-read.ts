import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { CachedResponse, ResponseCache } from '../read-cache/response-cache.ts';
import { requestReadVersion } from '../read-cache/request-read-version.ts';

/**
 * Dashboard and analytics reads change only when a write lands (a calculation, an edit, the
 * nightly batch), so each GET is keyed by the user, the URL, the day and the database's read
 * version (read before the handler runs: a write committed while the handler reads makes the
 * entry newer than its key, never older). A repeated request is answered from memory.
 *
 * The ETag is a hash of the user and the body, so every `serve` process gives the same response
 * the same tag and a client that sends it back gets a 304 from any of them — but only for a body
 * this very user was sent, and only once this process has that body for this key (from its
 * memory, or after running the handler).
 *
 * The owner check is not skipped: an entry exists only for a user the handler answered 200, and
 * a portfolio deleted, transferred or edited is a counted write that moves the version, so the
 * next request runs the handler again.
 */
export function cachedRead(cache: ResponseCache, now: () => Date): MiddlewareHandler<AppEnv> {
  /** Keys whose handler is running now, and what it will store (null: nothing cacheable). */
  const running = new Map<string, Promise<CachedResponse | null>>();
  return async (c, next) => {
    if (c.req.method !== 'GET') return next();
    const version = await requestReadVersion(c);
    const user = c.get('user').id;
    const url = c.req.url;
    const query = url.indexOf('?');
    const day = now().toISOString().slice(0, 10);
    const key = `${user}|${version}|${day}|${c.req.path}${query < 0 ? '' : url.slice(query)}`;

    // Same key, handler already running: it read the same version after every write this
    // request could have seen, so its answer is as fresh as a run of our own.
    const inFlight = running.get(key);
    const hit = cache.get(key) ?? (inFlight ? await inFlight : undefined);
    if (hit) {
      const headers = { etag: hit.etag, 'cache-control': CACHE_CONTROL };
      if (matches(c.req.header('if-none-match'), hit.etag)) return c.body(null, 304, headers);
      return c.body(hit.body, 200, { ...headers, 'content-type': hit.contentType });
    }
    let settle!: (entry: CachedResponse | null) => void;
    const mine = new Promise<CachedResponse | null>((resolve) => (settle = resolve));
    if (!running.has(key)) running.set(key, mine);
    let entry: CachedResponse | null = null;
    try {
      await next();
      entry = await cacheable(c.res, user);
    } finally {
      settle(entry);
      if (running.get(key) === mine) running.delete(key);
    }
    if (!entry) return;
    cache.set(key, entry);
    const { etag } = entry;
    if (matches(c.req.header('if-none-match'), etag)) {
      c.res = new Response(null, {
        status: 304,
        headers: { etag, 'cache-control': CACHE_CONTROL },
      });
      return;
    }
    c.res.headers.set('etag', etag);
    c.res.headers.set('cache-control', CACHE_CONTROL);
  };
}

/** A 200 JSON response as the cache keeps it, with its ETag; null for anything else. */
async function cacheable(res: Response, user: string): Promise<CachedResponse | null> {
  const contentType = res.headers.get('content-type') ?? '';
  if (res.status !== 200 || !contentType.startsWith('application/json')) return null;
  const body = await res.clone().text();
  const etag = `"${createHash('sha256').update(`${user}\n${body}`).digest('base64url').slice(0, 32)}"`;
  return { body, contentType, etag };
}

/** The client may keep the body but must revalidate it before each use. */
const CACHE_CONTROL = 'private, no-cache';

/** `If-None-Match` may list several tags, weak or strong; any equal one matches. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*');
}
