import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An error a client can act on: status, a stable code and a sentence a person understands.
 * Routes and services throw it; the app's error handler renders API.md's envelope
 * `{"error": {"code", "message", "details"?}}`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): { error: { code: string; message: string; details?: Record<string, unknown> } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export const notFound = (what: string, code = 'ERR_NOT_FOUND') =>
  new ApiError(404, code, `${what} was not found`);
