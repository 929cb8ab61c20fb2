import { sql, type SQL } from 'drizzle-orm';

/**
 * Parameters for the bulk (`unnest`) writes of the portfolio refresh, shaped for what PGlite's
 * WebAssembly build parses slowly: it pays per value, and the nightly refresh writes ~10⁶ values.
 */

/**
 * Money as decimal text with the 15 significant digits PostgreSQL's own float8 → numeric cast
 * keeps, so the stored value is the one a float8 parameter would give; numeric input costs a
 * fraction of float8 input (strtod) on PGlite. Bind it as `::numeric[]`.
 */
export const moneyText = (x: number | null): string | null =>
  x === null ? null : x.toPrecision(15);

/** ASCII record separator. JSON.stringify escapes every control character, so it never occurs inside. */
const RS = '\x1e';

/** Stands for SQL NULL; JSON.stringify never produces it (JSON's null is lower case). */
const NULL_MARK = 'NULL';

/**
 * JSON documents as a `text[]` expression (null and undefined become SQL NULL): sent as one
 * text and split on the server. As a `text[]` parameter each document's quotes are escaped,
 * then re-parsed element by element, which cost several times the insert itself.
 */
export function jsonTextArray(values: readonly unknown[]): SQL {
  const text = values.map((v) => (v === null || v === undefined ? NULL_MARK : JSON.stringify(v)));
  return sql`string_to_array(${text.join(RS)}::text, ${RS}::text, ${NULL_MARK}::text)`;
}

/**
 * A column of repeated values as its distinct values and, per row, a 1-based index into them:
 * bind `distinct` as an array and select `(array)[index]` (constant time for fixed-size types
 * such as uuid). Sending each uuid once instead of once per row halves its input cost.
 */
export function indexedValues<T>(values: readonly T[]): { distinct: T[]; index: number[] } {
  const at = new Map<T, number>();
  const distinct: T[] = [];
  const index = values.map((v) => {
    let i = at.get(v);
    if (i === undefined) {
      distinct.push(v);
      at.set(v, (i = distinct.length));
    }
    return i;
  });
  return { distinct, index };
}
