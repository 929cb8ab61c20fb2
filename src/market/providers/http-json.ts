import type { z } from 'zod';
import { fail, ProviderError, type ProviderErrorCode, type SymbolResult } from '../provider.ts';

/**
 * The HTTP half every network provider shares: one attempt per request, a deadline, and the
 * mapping of what came back (status, body, silence) onto ProviderError codes. Retries, rate
 * limits and circuit breaking belong to the resilience layer that wraps providers, so nothing
 * here ever tries twice.
 */

export type FetchFn = typeof fetch;

export interface HttpTarget {
  /** Provider name, carried by every error. */
  readonly provider: string;
  readonly fetch: FetchFn;
  readonly timeoutMs: number;
}

/** A request's own timer joined with the caller's signal. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** True once our timer (not the caller) aborted the request. */
  readonly timedOut: boolean;
  dispose(): void;
}

/**
 * Our own timer rather than AbortSignal.timeout: an abort must say whether *we* gave up (a
 * retryable `timeout`) or the caller did (not the provider's fault, so rethrown as is).
 */
export function startDeadline(timeoutMs: number, caller?: AbortSignal): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  const onCallerAbort = () => controller.abort(caller?.reason);
  if (caller?.aborted) onCallerAbort();
  else caller?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    dispose() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/**
 * What a failed fetch (or body read) becomes. A caller abort is returned as the caller's own
 * reason, so it propagates instead of being counted against the provider.
 */
export function transportError(
  target: HttpTarget,
  what: string,
  deadline: Deadline,
  caller: AbortSignal | undefined,
  error: unknown,
): unknown {
  if (caller?.aborted) return caller.reason;
  if (deadline.timedOut) {
    return new ProviderError(
      'timeout',
      `${target.provider} did not answer ${what} within ${target.timeoutMs} ms`,
      target.provider,
      { retryable: true, cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(
    'http_error',
    `${target.provider} request for ${what} failed: ${message}`,
    target.provider,
    { retryable: true, cause: error },
  );
}

/** The first useful sentence of an error body, for messages (APIs put it in different keys). */
export function describeBody(text: string): string {
  let detail = text;
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === 'object') {
      const record = body as Record<string, unknown>;
      const nested = Object.values(record).find(
        (v): v is { error: { description?: unknown } } =>
          !!v && typeof v === 'object' && 'error' in v && !!v.error && typeof v.error === 'object',
      );
      const candidate =
        record['Error Message'] ??
        record.message ??
        record.error ??
        nested?.error.description ??
        record.status;
      if (typeof candidate === 'string') detail = candidate;
    }
  } catch {
    // Not JSON: an HTML error page or plain text; its start is the best we have.
  }
  detail = detail
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return detail.length > 160 ? `${detail.slice(0, 157)}...` : detail;
}

/**
 * The error an HTTP status means, or null for 2xx. `notFound` says what a 404 means for this
 * endpoint: `unknown_symbol` on a per-ticker path, `http_error` elsewhere.
 */
export function errorForStatus(
  provider: string,
  status: number,
  what: string,
  bodyText: string,
  notFound: ProviderErrorCode = 'unknown_symbol',
): ProviderError | null {
  if (status >= 200 && status < 300) return null;
  const detail = describeBody(bodyText);
  const suffix = detail ? `: ${detail}` : '';
  if (status === 404) {
    return new ProviderError(
      notFound,
      `${provider} found nothing for ${what} (HTTP 404${suffix})`,
      provider,
      notFound === 'http_error' ? { status, retryable: false } : { status },
    );
  }
  if (status === 429) {
    return new ProviderError(
      'rate_limited',
      `${provider} rate-limited the request for ${what} (HTTP 429${suffix})`,
      provider,
      { status, retryable: true },
    );
  }
  if (status >= 500) {
    return new ProviderError(
      'http_error',
      `${provider} failed on ${what} (HTTP ${status}${suffix})`,
      provider,
      { status, retryable: true },
    );
  }
  // 401/403 and other 4xx: asking again will not help until the key, plan or request changes.
  const hint = status === 401 || status === 403 ? '; check the API key and plan' : '';
  return new ProviderError(
    'http_error',
    `${provider} refused the request for ${what} (HTTP ${status}${suffix})${hint}`,
    provider,
    { status, retryable: false },
  );
}

export function malformed(provider: string, what: string, detail: string): ProviderError {
  return new ProviderError(
    'malformed_response',
    `${provider} returned an unusable response for ${what}: ${detail}`,
    provider,
  );
}

export interface JsonRequest {
  url: string | URL;
  /** What is asked for, used in messages instead of the URL (which may carry an API key). */
  what: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  notFound?: ProviderErrorCode;
}

/** One GET returning parsed JSON, or a thrown ProviderError (or the caller's abort reason). */
export async function getJson(target: HttpTarget, request: JsonRequest): Promise<unknown> {
  const deadline = startDeadline(target.timeoutMs, request.signal);
  try {
    let status: number;
    let text: string;
    try {
      const response = await target.fetch(request.url, {
        headers: { accept: 'application/json', ...request.headers },
        signal: deadline.signal,
      });
      status = response.status;
      // The body is read under the same deadline: a server can stall mid-body too.
      text = await response.text();
    } catch (error) {
      throw transportError(target, request.what, deadline, request.signal, error);
    }
    const statusError = errorForStatus(
      target.provider,
      status,
      request.what,
      text,
      request.notFound,
    );
    if (statusError) throw statusError;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw malformed(target.provider, request.what, `body is not JSON (${describeBody(text)})`);
    }
  } finally {
    deadline.dispose();
  }
}

/** Checks a parsed body against the shape the code relies on; a mismatch is malformed_response. */
export function parseShape<S extends z.ZodType>(
  provider: string,
  what: string,
  schema: S,
  body: unknown,
): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw malformed(provider, what, `unexpected shape${where}: ${issue?.message ?? 'invalid'}`);
}

/**
 * Runs `run` for each distinct symbol (a few at a time) and keys the answers by symbol in
 * request order. A ProviderError thrown for one symbol becomes that symbol's failure and never
 * touches the others; a caller abort rejects the whole call, as the interface expects.
 */
export async function perSymbol<T>(
  symbols: readonly string[],
  options: { concurrency: number; signal?: AbortSignal },
  run: (symbol: string) => Promise<SymbolResult<T>>,
): Promise<Map<string, SymbolResult<T>>> {
  const unique = [...new Set(symbols)];
  const results = new Map<string, SymbolResult<T>>();
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const symbol = unique[next++]!;
      options.signal?.throwIfAborted();
      try {
        results.set(symbol, await run(symbol));
      } catch (error) {
        if (error instanceof ProviderError && !options.signal?.aborted) {
          results.set(symbol, fail(error));
        } else {
          throw error;
        }
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, unique.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return new Map(unique.map((s) => [s, results.get(s)!]));
}

/** `${base}${path}` with query parameters, tolerating a trailing slash on the base. */
export function buildUrl(
  base: string,
  path: string,
  query: Record<string, string | number | undefined> = {},
): URL {
  const url = new URL(base.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

/** What the options of every per-symbol HTTP provider share. */
export interface HttpProviderOptions {
  /** The service's origin; tests point it at a recorded server. */
  baseUrl?: string;
  /** The transport (default: global fetch). */
  fetch?: FetchFn;
  /** Budget for one request. Default 20 s. */
  timeoutMs?: number;
  /** The clock for the latest completed session and earnings dates; injectable for tests. */
  now?: () => Date;
  /** How many symbols one call fetches at once (each symbol is its own request). Default 4. */
  concurrency?: number;
}

/** Those options with their defaults applied. */
export function httpProviderBasics(
  provider: string,
  options: HttpProviderOptions,
): { target: HttpTarget; now: () => Date; concurrency: number } {
  return {
    target: {
      provider,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      timeoutMs: options.timeoutMs ?? 20_000,
    },
    now: options.now ?? (() => new Date()),
    concurrency: options.concurrency ?? 4,
  };
}
