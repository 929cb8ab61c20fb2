import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/**
 * Helpers for the query builder. Drizzle returns a `numeric` column as its exact text and a
 * `timestamptz` as a JS `Date`; the repositories answer numbers and ISO-8601 strings, as the
 * raw SQL did with `::float8` and `to_char(…)`.
 */

/** A numeric column's type in a row once read as a number (nullable stays nullable). */
type AsNumber<T> = null extends T ? number | null : number;

/** `T` with the numeric columns `K` as numbers. */
export type WithNumbers<T, K extends keyof T> = {
  [P in keyof T]: P extends K ? AsNumber<T[P]> : T[P];
};

/**
 * The row with its `numeric` columns `keys` as numbers. `Number(text)` is the double
 * PostgreSQL's `numeric::float8` gives (that cast parses the numeric's text with strtod, and both
 * round correctly); the keys keep their place, so the row serialises as before.
 */
export function withNumbers<T extends object, K extends keyof T>(
  row: T,
  keys: readonly K[],
): WithNumbers<T, K> {
  const out = { ...row } as Record<PropertyKey, unknown>;
  for (const key of keys) {
    const value = row[key];
    out[key] = value === null ? null : Number(value);
  }
  return out as WithNumbers<T, K>;
}

/**
 * ISO-8601 UTC to the millisecond: what `to_char(ts AT TIME ZONE 'UTC',
 * 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` wrote (both truncate the microseconds).
 */
export const isoOf = (at: Date): string => at.toISOString();

/**
 * `column = ANY($1::type[])`: the whole list as one array parameter. Drizzle's `inArray` sends
 * one parameter per value, which PostgreSQL caps at 65,535 and PGlite parses one by one.
 */
export function anyOf(
  column: AnyColumn,
  values: readonly unknown[],
  type: 'uuid' | 'text' | 'date' | 'int',
): SQL {
  return sql`${column} = ANY(${sql.param([...values])}::${sql.raw(type)}[])`;
}

/** `T` with the timestamp columns `K` as ISO-8601 strings. */
export type WithIsoTimes<T, K extends keyof T> = {
  [P in keyof T]: P extends K ? (null extends T[P] ? string | null : string) : T[P];
};

/** The row with its timestamp columns `keys` as ISO-8601 strings ({@link isoOf}), in place. */
export function withIsoTimes<T extends object, K extends keyof T>(
  row: T,
  keys: readonly K[],
): WithIsoTimes<T, K> {
  const out = { ...row } as Record<PropertyKey, unknown>;
  for (const key of keys) {
    const value = row[key] as Date | null;
    out[key] = value === null ? null : isoOf(value);
  }
  return out as WithIsoTimes<T, K>;
}
