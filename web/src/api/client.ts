import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError, apiErrorFrom } from './errors.ts';
import type { paths } from './schema';

/**
 * Sent with every request. The server requires it on cookie-authenticated POST/PUT/DELETE:
 * another site can make the browser send the cookie, but not this header (CSRF protection).
 */
export const CSRF_HEADERS = { 'X-Requested-With': 'betaboard' } as const;

const csrfHeader: Middleware = {
  onRequest({ request }) {
    request.headers.set('X-Requested-With', CSRF_HEADERS['X-Requested-With']);
    return request;
  },
};

/** The typed API client; the session is the HttpOnly cookie the browser sends by itself. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrfHeader);

/** What every openapi-fetch call returns, reduced to what `unwrap` needs. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful call; an ApiError (status, code, message, details) otherwise. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw apiErrorFrom(response, error);
  return data as T;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/**
 * A call outside the generated types: routes API.md documents that this server build does not
 * have yet (custom stress scenarios). Same headers and error handling as the typed client.
 */
export async function apiFetch<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('X-Requested-With', CSRF_HEADERS['X-Requested-With']);
  if (init.body && typeof init.body === 'string') headers.set('Content-Type', 'application/json');
  const response = await fetch(path, { ...init, headers, credentials: 'same-origin' });
  const body = parseJson(await response.text());
  if (!response.ok) throw apiErrorFrom(response, body);
  return body as T;
}

/** Downloads a file the API serves (log, template) through the session cookie. */
export async function downloadFromApi(path: string, fallbackName: string): Promise<void> {
  const response = await fetch(path, { headers: CSRF_HEADERS, credentials: 'same-origin' });
  if (!response.ok) throw apiErrorFrom(response, parseJson(await response.text()));
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  saveBlob(await response.blob(), name);
}

export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export { ApiError };
