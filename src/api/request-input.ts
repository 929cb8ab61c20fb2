import type { Context } from 'hono';
import { z } from 'zod';
import {
  EARLIEST_SUPPORTED_DATE,
  isIsoDate,
  isSupportedDate,
  LATEST_SUPPORTED_DATE,
} from '../domain/dates.ts';
import { ApiError } from './api-error.ts';
import { rejectControlCharacters } from './text-input.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function issuesOf(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    // A field the request does not take is named as the field itself, so a form can show it.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...at, key].join('.'), message: issue.message }));
    }
    return [{ field: at.join('.') || '(body)', message: issue.message }];
  });
}

function validationError(error: z.ZodError, where: string): ApiError {
  const issues = issuesOf(error);
  const first = issues[0];
  return new ApiError(
    422,
    'ERR_VALIDATION',
    first ? `Invalid ${where}: ${first.field}: ${first.message}` : `Invalid ${where}`,
    { issues },
  );
}

/** The JSON body checked against `schema`: 400 when it is not JSON, 422 when it does not fit. */
export async function readJsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new ApiError(400, 'ERR_INVALID_JSON', 'The request body is not valid JSON');
  }
  rejectControlCharacters(body);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error, 'request body');
  return parsed.data;
}

/** Query parameters checked against `schema` (values arrive as strings; use z.coerce). */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  rejectControlCharacters(c.req.query());
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw validationError(parsed.error, 'query');
  return parsed.data;
}

/** A path id that must be a UUID: anything else is a 400, never a database error. */
export function uuidParam(c: Context, name: string): string {
  const value = c.req.param(name) ?? '';
  if (!UUID.test(value)) {
    throw new ApiError(
      400,
      'ERR_INVALID_ID',
      `${name} must be a UUID, got "${value.slice(0, 64)}"`,
    );
  }
  return value.toLowerCase();
}

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/**
 * Every date parameter of the API (query and body): a real calendar date as YYYY-MM-DD within
 * the supported range, so year 0000 is a 422 rather than a database error.
 */
export const apiDate = z
  .string()
  .refine(isIsoDate, 'expected a real calendar date as YYYY-MM-DD')
  .refine(
    (text) => !isIsoDate(text) || isSupportedDate(text),
    `must be between ${EARLIEST_SUPPORTED_DATE} and ${LATEST_SUPPORTED_DATE}`,
  )
  .meta({ format: 'date' })
  .describe(`YYYY-MM-DD, ${EARLIEST_SUPPORTED_DATE} to ${LATEST_SUPPORTED_DATE}`);
