import { readFile } from 'node:fs/promises';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A local HTTP server that answers with recorded responses, so provider tests run the real
 * client code (URL building, headers, status handling, JSON parsing) against the exact bytes
 * an API sends, with no network. Faults are injected per path.
 */

export const PROVIDER_FIXTURES_DIR = fileURLToPath(
  new URL('../fixtures/providers/', import.meta.url),
);

/** One recorded answer, in the `response` shape of yahoo-finance2's own HTTP fixtures. */
export interface RecordedResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  /** A JSON body (serialised on the way out) … */
  bodyJson?: unknown;
  /** … or a body sent exactly as recorded. */
  bodyText?: string;
}

export interface RecordedRoute {
  method?: string;
  /** Exact, decoded path, e.g. `/v8/finance/chart/AAPL`. */
  path: string;
  /** Query parameters that must all be present with these values (others are ignored). */
  query?: Record<string, string>;
  response: RecordedResponse;
  /** Alternative recordings for the same request, served by a `variant` fault (e.g. `empty`). */
  variants?: Record<string, RecordedResponse>;
}

export type Fault =
  /** Answer with this status (and body) instead of the recording. */
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** Hold the response for `ms` before sending the recording (longer than a client timeout). */
  | { kind: 'delay'; ms: number }
  /** 200 with the recorded body cut in half: what a dropped connection or a buggy proxy gives. */
  | { kind: 'malformed' }
  /** Serve one of the route's recorded variants. */
  | { kind: 'variant'; name: string }
  /** Serve this response. */
  | { kind: 'respond'; response: RecordedResponse };

export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** False when no route matched (answered with a plain 404). */
  matched: boolean;
}

/** `routes.json` in a fixture directory: routes whose responses live in sibling files. */
interface RouteManifest {
  routes: {
    method?: string;
    path: string;
    query?: Record<string, string>;
    file: string;
    variants?: Record<string, string>;
  }[];
}

// Recorded headers describe the original transfer, not the body we re-send.
const DROPPED_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding']);

export class RecordedHttpServer {
  readonly requests: ReceivedRequest[] = [];
  private readonly faults = new Map<string, Fault>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly routes: RecordedRoute[];

  private constructor(
    private readonly server: Server,
    routes: readonly RecordedRoute[],
    readonly baseUrl: string,
  ) {
    // Most specific first, so a route with a query filter wins over a bare one on the same path.
    this.routes = [...routes].sort(
      (a, b) => Object.keys(b.query ?? {}).length - Object.keys(a.query ?? {}).length,
    );
  }

  static async start(routes: readonly RecordedRoute[]): Promise<RecordedHttpServer> {
    // The handler needs the instance, which needs the listening server's port.
    const holder: { instance?: RecordedHttpServer } = {};
    const server = createServer((req, res) => holder.instance!.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    holder.instance = new RecordedHttpServer(server, routes, `http://127.0.0.1:${port}`);
    return holder.instance;
  }

  /** Serves `test/fixtures/providers/<provider>/routes.json`. */
  static async fromFixtures(provider: string): Promise<RecordedHttpServer> {
    return RecordedHttpServer.start(await loadRoutes(path.join(PROVIDER_FIXTURES_DIR, provider)));
  }

  /** Applies `fault` to every request for `path` until cleared. */
  inject(path: string, fault: Fault): void {
    if (fault.kind === 'variant') {
      const routes = this.routes.filter((r) => r.path === path);
      if (!routes.some((r) => r.variants?.[fault.name])) {
        throw new Error(`no route for ${path} has a recorded '${fault.name}' variant`);
      }
    }
    this.faults.set(path, fault);
  }

  clearFaults(path?: string): void {
    if (path === undefined) this.faults.clear();
    else this.faults.delete(path);
  }

  /** Requests received for `path` (all requests when omitted). */
  requestCount(path?: string): number {
    return path === undefined
      ? this.requests.length
      : this.requests.filter((r) => r.path === path).length;
  }

  /** Requests no route matched: usually a test asking for something never recorded. */
  unmatched(): ReceivedRequest[] {
    return this.requests.filter((r) => !r.matched);
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const requestPath = safeDecode(url.pathname);
    const method = req.method ?? 'GET';
    const route = this.routes.find(
      (r) =>
        (r.method ?? 'GET') === method &&
        r.path === requestPath &&
        Object.entries(r.query ?? {}).every(([k, v]) => url.searchParams.get(k) === v),
    );
    this.requests.push({
      method,
      path: requestPath,
      query: url.searchParams,
      headers: req.headers,
      matched: route !== undefined,
    });
    if (!route) {
      send(res, {
        status: 404,
        headers: { 'content-type': 'text/plain' },
        bodyText: `no recorded response for ${method} ${requestPath}${url.search}`,
      });
      return;
    }
    const fault = this.faults.get(requestPath);
    switch (fault?.kind) {
      case undefined:
        send(res, route.response);
        return;
      case 'status':
        send(res, {
          status: fault.status,
          headers: fault.headers ?? { 'content-type': 'text/html' },
          bodyText: fault.body ?? `<html><body><h1>${fault.status}</h1></body></html>`,
        });
        return;
      case 'delay': {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (!res.destroyed) send(res, route.response);
        }, fault.ms);
        this.timers.add(timer);
        // A client that gives up closes the socket; nothing is left to answer.
        res.on('close', () => {
          clearTimeout(timer);
          this.timers.delete(timer);
        });
        return;
      }
      case 'malformed': {
        const text = bodyOf(route.response);
        send(res, {
          status: 200,
          headers: { 'content-type': 'application/json' },
          bodyText: text.slice(0, Math.max(1, Math.floor(text.length / 2))),
        });
        return;
      }
      case 'variant': {
        // inject() checked the path has this variant; a sibling route without one keeps its own.
        send(res, route.variants?.[fault.name] ?? route.response);
        return;
      }
      case 'respond':
        send(res, fault.response);
        return;
    }
  }
}

/** Reads a `routes.json` manifest and the recorded files it names. */
export async function loadRoutes(dir: string): Promise<RecordedRoute[]> {
  const manifest = JSON.parse(
    await readFile(path.join(dir, 'routes.json'), 'utf8'),
  ) as RouteManifest;
  const read = async (file: string): Promise<RecordedResponse> => {
    const recorded = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as {
      response: RecordedResponse;
    };
    return recorded.response;
  };
  return Promise.all(
    manifest.routes.map(async (entry) => {
      const variants: Record<string, RecordedResponse> = {};
      for (const [name, file] of Object.entries(entry.variants ?? {})) {
        variants[name] = await read(file);
      }
      const route: RecordedRoute = {
        path: entry.path,
        response: await read(entry.file),
        variants,
      };
      if (entry.method) route.method = entry.method;
      if (entry.query) route.query = entry.query;
      return route;
    }),
  );
}

function bodyOf(response: RecordedResponse): string {
  if (response.bodyText !== undefined) return response.bodyText;
  return response.bodyJson === undefined ? '' : JSON.stringify(response.bodyJson);
}

function send(res: ServerResponse, response: RecordedResponse): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    if (!DROPPED_HEADERS.has(name.toLowerCase())) res.setHeader(name, value);
  }
  res.end(bodyOf(response));
}

function safeDecode(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}
