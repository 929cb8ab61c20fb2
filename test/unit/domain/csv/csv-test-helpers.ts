import {
  POSITION_CSV_COLUMNS,
  parsePositionsCsv,
  type ColumnKey,
  type ParsePositionsCsvResult,
} from '../../../../src/domain/csv/parse-positions-csv.ts';

/** A fixed upload date, so "future" and "100 years ago" never depend on the clock. */
export const TODAY = '2026-03-10';

export const HEADER = POSITION_CSV_COLUMNS.map((c) => c.header).join(',');

/** A quoted cell when it needs quoting (comma, quote or line break), else as is. */
export function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A 12-column data line; unspecified cells are blank. */
export function row(cells: Partial<Record<ColumnKey, string>>): string {
  return POSITION_CSV_COLUMNS.map((c) => cell(cells[c.key] ?? '')).join(',');
}

/** A valid long-stock row with `overrides` applied. */
export function stock(overrides: Partial<Record<ColumnKey, string>> = {}): string {
  return row({
    symbol: 'AAPL',
    quantity: '100',
    entryPrice: '150',
    entryDate: '2024-01-02',
    ...overrides,
  });
}

/** Parses lines joined with LF (plus a final LF), as uploaded on TODAY. */
export function parseLines(lines: readonly string[], today = TODAY): ParsePositionsCsvResult {
  return parsePositionsCsv({ text: lines.join('\n') + '\n', today });
}
