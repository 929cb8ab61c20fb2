import { createHash } from 'node:crypto';

/** Longest message a run's log or error list keeps (a status poll stays small). */
export const MAX_RUN_MESSAGE_CHARS = 1_000;
/** Symbols named in one log line; the rest are counted. */
export const MAX_LISTED_SYMBOLS = 50;

/**
 * An error's message fit for a run's log, errors and status: a database error says what failed
 * (the driver's reason) without the statement and its parameters — which may be thousands of
 * symbols, or a user's data — and any message is cut to a bounded length.
 */
export function runErrorMessage(error: unknown): string {
  const e = error as { message?: unknown; cause?: { message?: unknown } } | null;
  let message = typeof e?.message === 'string' ? e.message : String(error);
  if (message.startsWith('Failed query:')) {
    const cause = typeof e?.cause?.message === 'string' ? e.cause.message : null;
    const table = /\b(?:INSERT INTO|UPDATE|DELETE FROM|FROM)\s+"?(\w+)"?/i.exec(message)?.[1];
    message = `database error${table ? ` on ${table}` : ''}: ${cause ?? 'the statement failed'}`;
  }
  return boundMessage(message);
}

export function boundMessage(message: string): string {
  return message.length > MAX_RUN_MESSAGE_CHARS
    ? `${message.slice(0, MAX_RUN_MESSAGE_CHARS - 1)}…`
    : message;
}

/** "A, B, C" — or the first MAX_LISTED_SYMBOLS and "… and N more". */
export function listSymbols(symbols: readonly string[], max = MAX_LISTED_SYMBOLS): string {
  if (symbols.length <= max) return symbols.join(', ');
  return `${symbols.slice(0, max).join(', ')} … and ${symbols.length - max} more`;
}

/**
 * A bounded key for a set of symbols (a unique index cannot hold thousands of them: a btree
 * row is at most ~2.7 kB): the count and a SHA-256 of the sorted list.
 */
export function symbolSetKey(symbols: readonly string[]): string {
  const sorted = [...symbols].sort();
  const digest = createHash('sha256').update(sorted.join(',')).digest('hex').slice(0, 32);
  return `symbols|${sorted.length}|${digest}`;
}
