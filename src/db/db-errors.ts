/**
 * PostgreSQL errors as both engines report them. Drizzle wraps the driver error ("Failed query:
 * …") and keeps the original as `cause`; the SQLSTATE code is what callers should branch on.
 */
export interface PgErrorInfo {
  code: string;
  message: string;
  constraint: string | undefined;
}

export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_CHECK_VIOLATION = '23514';

export function pgErrorOf(error: unknown): PgErrorInfo | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const candidate = current as {
      code?: unknown;
      message?: unknown;
      constraint?: unknown;
      cause?: unknown;
    };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return {
        code: candidate.code,
        message: String(candidate.message ?? ''),
        constraint: typeof candidate.constraint === 'string' ? candidate.constraint : undefined,
      };
    }
    current = candidate.cause;
  }
  return null;
}

export const isUniqueViolation = (error: unknown) => pgErrorOf(error)?.code === PG_UNIQUE_VIOLATION;
export const isCheckViolation = (error: unknown) => pgErrorOf(error)?.code === PG_CHECK_VIOLATION;
export const isForeignKeyViolation = (error: unknown) =>
  pgErrorOf(error)?.code === PG_FOREIGN_KEY_VIOLATION;
