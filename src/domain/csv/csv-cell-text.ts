/**
 * Reading single CSV cells: decimal numbers kept as exact text, spreadsheet-formula detection,
 * and quoting a cell back to the user in a message.
 */

export interface ParsedDecimal {
  value: number;
  /** Canonical exact text: no '+', '$', thousands separators, leading or trailing zeros. */
  text: string;
  /** Decimal places that matter (trailing zeros do not: `1.50` has 1). */
  decimals: number;
  /** Digits before the decimal point, ignoring leading zeros. */
  integerDigits: number;
}

/**
 * Longest cell considered a number at all. Nothing valid comes close (12 integer digits, 6
 * decimals, separators); capping keeps a megabyte-long cell from reaching the regex.
 */
const MAX_NUMBER_TEXT = 40;

// Optional sign, optional '$' (brokerage exports write prices that way), then either
// comma-grouped thousands or plain digits, then an optional fraction.
const DECIMAL = /^([+-]?)\$?(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$/;

/**
 * Parses `-1,234.50`-style text. `allowDollar` admits a currency sign for price columns only:
 * "$100" shares is not something anyone means. Exponents (`1e3`) are refused: no one types them,
 * and a spreadsheet writes them only when it has already lost precision.
 */
export function parseDecimal(raw: string, allowDollar: boolean): ParsedDecimal | null {
  if (raw.length === 0 || raw.length > MAX_NUMBER_TEXT) return null;
  if (!allowDollar && raw.includes('$')) return null;
  const match = DECIMAL.exec(raw);
  if (match === null) return null;
  const sign = match[1] ?? '';
  const integerPart = (match[2] ?? '').replace(/,/g, '').replace(/^0+(?=\d)/, '');
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  if (integerPart === '' && (match[3] ?? '') === '') return null; // '', '-', '.', '$'
  const integer = integerPart === '' ? '0' : integerPart;
  const magnitude = fraction === '' ? integer : `${integer}.${fraction}`;
  const value = Number(magnitude);
  const negative = sign === '-' && value !== 0;
  return {
    value: negative ? -value : value,
    text: negative ? `-${magnitude}` : magnitude,
    decimals: fraction.length,
    integerDigits: integer === '0' ? 0 : integer.length,
  };
}

/**
 * What follows the sign of "-100", "+2.5" or "-$1,000". Written so no input can make it backtrack
 * more than linearly (cells can be megabytes long); "has a digit" is checked separately.
 */
const SIGNED_NUMBER_TAIL = /^\$?[\d,]*(?:\.\d*)?$/;

/**
 * True for a cell a spreadsheet would run as a formula (CSV injection): `=` or `@` followed by
 * anything, or `+`/`-` followed by something that is not a number. `-100` is a short quantity,
 * `-SUM(A1)` or `+cmd|...` is not data. Such cells are rejected for their column rather than
 * stored, so no later export of the portfolio can hand them back to a spreadsheet.
 */
export function looksLikeFormula(cell: string): boolean {
  const first = cell.charAt(0);
  if (first === '=' || first === '@') return true;
  if (first !== '+' && first !== '-') return false;
  // A lone "-" is a placeholder for "nothing", not a formula; the column reports it as invalid.
  const tail = cell.slice(1);
  return tail !== '' && !(SIGNED_NUMBER_TAIL.test(tail) && /\d/.test(tail));
}

/** How many characters of a cell a message repeats; longer cells are cut with an ellipsis. */
export const ECHO_LIMIT = 40;

/**
 * A cell as a message shows it: double-quoted, control characters escaped (a quoted cell may hold
 * newlines), and cut to ECHO_LIMIT characters so a megabyte cell gives a readable message.
 */
export function show(cell: string): string {
  const cut = cell.length > ECHO_LIMIT ? `${cell.slice(0, ECHO_LIMIT)}…` : cell;
  return JSON.stringify(cut);
}

/** Shortens a value (e.g. a symbol) kept in an error's `symbol` field. */
export function clip(value: string): string {
  return value.length > ECHO_LIMIT ? `${value.slice(0, ECHO_LIMIT)}…` : value;
}

/** Describes the first character outside `allowed`, e.g. `" " (a space)` or `"/"`. */
export function firstInvalidCharacter(value: string, allowed: RegExp): string | null {
  for (const ch of value) {
    if (allowed.test(ch)) continue;
    if (ch === ' ') return '" " (a space)';
    if (ch === '\t') return 'a tab';
    if (ch === '\n' || ch === '\r') return 'a line break';
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) {
      return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    }
    return JSON.stringify(ch);
  }
  return null;
}
