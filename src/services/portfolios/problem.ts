/**
 * A request the portfolio services refuse, in the terms the HTTP layer renders
 * (`{"error": {code, message, details}}`). Services return it rather than throw an API type, so
 * they stay usable from the CLI and keep no dependency on the HTTP layer.
 */
export interface Problem {
  status: 400 | 404 | 409 | 422;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const refused = <T = never>(problem: Problem): Outcome<T> => ({ ok: false, problem });
