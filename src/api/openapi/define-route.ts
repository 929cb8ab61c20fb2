import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import type { AppEnv } from '../app-env.ts';
import { readJsonBody, readQuery } from '../request-input.ts';
import type { RouteDoc } from './route-doc.ts';

/** Every API route's path starts with this; the other declared routes sit on the root app. */
export const API_PREFIX = '/api/v1';

type Output<S> = S extends z.ZodType ? z.output<S> : never;

/** What a handler gets besides the Hono context: the app's context and its declared inputs. */
export interface RouteInput<Q, B> {
  ctx: AppContext;
  /** The query checked against the declared `query` schema (control characters, then zod). */
  query(): Output<Q>;
  /** The JSON body checked against the declared `body` schema (400 not JSON, 422 invalid). */
  body(): Promise<Output<B>>;
}

type Handler<Q, B> = (c: Context<AppEnv>, input: RouteInput<Q, B>) => Response | Promise<Response>;

/** One endpoint: its OpenAPI description and its handler, written once. */
export interface Route extends RouteDoc {
  handler: Handler<z.ZodObject | undefined, z.ZodType | undefined>;
}

/**
 * Declares an endpoint once: method, path (OpenAPI style, `{id}`), auth, tag, summary, input
 * and response schemas, error statuses and the handler. `registerRoutes` adds it to the Hono
 * app and `buildOpenApiDocument` describes it from the same object. Inputs are read when the
 * handler asks (`input.query()`, `await input.body()`), so each handler keeps its own order of
 * checks (ownership before the body, for instance).
 */
export function defineRoute<
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(route: Omit<RouteDoc, 'query' | 'body'> & { query?: Q; body?: B; handler: Handler<Q, B> }) {
  return route as unknown as Route;
}

/** `/portfolios/{id}` (OpenAPI) as Hono writes it: `/portfolios/:id`. */
export const honoPath = (openApiPath: string) => openApiPath.replace(/\{([^}]+)\}/g, ':$1');

/**
 * A test for request paths (`c.req.path`) matching any of the given declared paths, whatever
 * the method: each `{param}` matches one path segment.
 */
export function pathMatcher(paths: readonly string[]): (path: string) => boolean {
  const exact = new Set(paths.filter((p) => !p.includes('{')));
  const patterns = paths
    .filter((p) => p.includes('{'))
    .map((p) => {
      const source = p
        .split(/\{[^}]+\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]+');
      return new RegExp(`^${source}$`);
    });
  return (path) => exact.has(path) || patterns.some((re) => re.test(path));
}

/**
 * Adds the routes to `app`, in their order, with `prefix` (the path the app is mounted at)
 * taken off their paths.
 */
export function registerRoutes(
  app: Hono<AppEnv>,
  routes: readonly Route[],
  ctx: AppContext,
  prefix = '',
): void {
  for (const route of routes) {
    if (!route.path.startsWith(prefix)) throw new Error(`${route.path} is not under ${prefix}`);
    app.on(route.method.toUpperCase(), honoPath(route.path.slice(prefix.length)), (c) =>
      route.handler(c, {
        ctx,
        query: () => readQuery(c, route.query!),
        body: () => readJsonBody(c, route.body!),
      }),
    );
  }
}
