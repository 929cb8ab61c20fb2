/**
 * Lots given as JSON (API.md: POST /portfolios/{id}/positions) checked by exactly the rules and
 * error codes of a CSV row (SPEC §2): each lot becomes the row a CSV would have held and goes
 * through the same row validator, so an API client and an upload can never be told different
 * things. `row` in an error is the lot's index in the array (0-based), `field` its JSON name.
 */
import { hundredYearsBefore } from './parse-positions-csv.ts';
import {
  COLUMN_HEADER,
  POSITION_CSV_COLUMNS,
  type ColumnKey,
  type CsvError,
  type ParsedPosition,
  type RowValues,
} from './position-csv-schema.ts';
import { validatePositionRow } from './validate-position-row.ts';

/** A lot's JSON field for each CSV column. */
export const LOT_FIELDS: Readonly<Record<ColumnKey, string>> = {
  symbol: 'symbol',
  quantity: 'quantity',
  entryPrice: 'entry_price',
  entryDate: 'entry_date',
  investmentClass: 'investment_class',
  investmentSubtype: 'investment_subtype',
  underlyingSymbol: 'underlying_symbol',
  strikePrice: 'strike_price',
  expirationDate: 'expiration_date',
  optionType: 'option_type',
  exitDate: 'exit_date',
  exitPrice: 'exit_price',
};

const FIELD_OF_HEADER = new Map(
  POSITION_CSV_COLUMNS.map((c) => [COLUMN_HEADER[c.key], LOT_FIELDS[c.key]]),
);

export const MAX_NOTES_LENGTH = 1000;
// Line breaks and tabs are text; other control characters are not.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export interface ValidatedLot extends ParsedPosition {
  notes: string | null;
}

export interface LotsResult {
  lots: ValidatedLot[];
  errors: CsvError[];
}

/** A JSON value as the CSV cell that would have held it. */
function cellOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NaN';
  return JSON.stringify(value);
}

/** A lot's notes: null when absent, else the trimmed text; an error message when invalid. */
export function checkNotes(value: unknown): { notes: string | null } | { error: string } {
  if (value === null || value === undefined) return { notes: null };
  if (typeof value !== 'string') return { error: 'Notes must be text' };
  const text = value.trim();
  if (text.length > MAX_NOTES_LENGTH) {
    return { error: `Notes are ${text.length} characters long; at most ${MAX_NOTES_LENGTH}` };
  }
  if (CONTROL.test(text)) return { error: 'Notes contain a control character' };
  return { notes: text === '' ? null : text };
}

/**
 * Every lot checked (all errors at once). A lot whose symbol and entry date repeat another lot
 * of the request, or a lot the portfolio already holds (`heldKeys`: `SYMBOL|YYYY-MM-DD`), is
 * ERR_POS_023 as in an upload.
 */
export function validateLots(
  lots: readonly Record<string, unknown>[],
  ctx: { today: string; heldKeys: ReadonlySet<string> },
): LotsResult {
  const valid: ValidatedLot[] = [];
  const errors: CsvError[] = [];
  const firstIndexOf = new Map<string, number>();
  const oldestEntryDate = hundredYearsBefore(ctx.today);
  lots.forEach((lot, index) => {
    const values = Object.fromEntries(
      POSITION_CSV_COLUMNS.map((c) => [c.key, cellOf(lot[LOT_FIELDS[c.key]])]),
    ) as RowValues;
    const row = validatePositionRow(values, { line: index, today: ctx.today, oldestEntryDate });
    const rowErrors = row.errors.map((e) => ({
      ...e,
      field: e.field === null ? null : (FIELD_OF_HEADER.get(e.field) ?? e.field),
      // The messages name the CSV columns a person reads in the template; keep them.
    }));
    const notes = checkNotes(lot.notes);
    if ('error' in notes) {
      rowErrors.push({
        row: index,
        symbol: row.key?.symbol ?? null,
        field: 'notes',
        code: 'ERR_POS_026',
        message: notes.error,
      });
    }
    let duplicate = false;
    if (row.key !== null) {
      const key = `${row.key.symbol}|${row.key.entryDate}`;
      const first = firstIndexOf.get(key);
      if (ctx.heldKeys.has(key)) {
        duplicate = true;
        rowErrors.push({
          row: index,
          symbol: row.key.symbol,
          field: 'symbol',
          code: 'ERR_POS_023',
          message:
            `The portfolio already holds ${row.key.symbol} with entry date ${row.key.entryDate}; ` +
            'correct that lot instead, or use another entry date',
        });
      } else if (first !== undefined) {
        duplicate = true;
        rowErrors.push({
          row: index,
          symbol: row.key.symbol,
          field: 'symbol',
          code: 'ERR_POS_023',
          message:
            `${row.key.symbol} with entry date ${row.key.entryDate} is also lot ${first}; ` +
            'combine the two into one lot or correct one of the dates',
        });
      } else {
        firstIndexOf.set(key, index);
      }
    }
    errors.push(...rowErrors);
    if (row.position !== null && !duplicate && !('error' in notes)) {
      valid.push({ ...row.position, notes: notes.notes });
    }
  });
  return { lots: errors.length === 0 ? valid : [], errors };
}
