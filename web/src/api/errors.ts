/** An API error as the server reports it: `{error: {code, message, details?}}` plus the status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Seconds to wait before a retry (429 answers carry it in the details). */
  get retryAfterSeconds(): number | null {
    const value = this.details?.retry_after_seconds;
    return typeof value === 'number' ? value : null;
  }
}

interface ErrorEnvelope {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** Builds an ApiError from a failed response and its parsed body (whatever shape it has). */
export function apiErrorFrom(response: Response, body: unknown): ApiError {
  const envelope = (body && typeof body === 'object' ? body : {}) as ErrorEnvelope;
  const e = envelope.error;
  const code = typeof e?.code === 'string' ? e.code : `HTTP_${response.status}`;
  const message =
    typeof e?.message === 'string' && e.message
      ? e.message
      : response.status >= 500
        ? 'The server hit an unexpected error. Try again in a moment.'
        : `The request failed (HTTP ${response.status}).`;
  const details =
    e?.details && typeof e.details === 'object'
      ? (e.details as Record<string, unknown>)
      : undefined;
  return new ApiError(response.status, code, message, details);
}

/** A sentence for any thrown value: the API's message, or a network failure in words. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'Could not reach the server. Check your connection.';
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
