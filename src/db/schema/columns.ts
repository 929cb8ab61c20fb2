import { numeric, timestamp } from 'drizzle-orm/pg-core';

/**
 * Money is stored exactly (SPEC §1). `mode: 'number'` would round-trip through float64 on read,
 * which is what analytics want anyway, but writers keep passing strings so nothing is lost on
 * the way in.
 */
export const money = (name: string) => numeric(name, { precision: 24, scale: 2 });
/** Per-share prices: entry/exit/strike at the CSV's 4 decimals, marks and closes at 6. */
export const price = (name: string) => numeric(name, { precision: 24, scale: 6 });
export const quantity = (name: string) => numeric(name, { precision: 24, scale: 6 });

export const createdAt = () =>
  timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
export const deletedAt = () => timestamp('deleted_at', { withTimezone: true });

/** SQL `IN (...)` list for check constraints built from a TS tuple, so the two never drift. */
export function inList(values: readonly string[]): string {
  return values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
}
