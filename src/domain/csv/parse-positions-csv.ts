/**
 * The positions CSV of SPEC §2, from uploaded text (or bytes) to parsed positions and every error
 * at once. Pure: the HTTP layer reads the upload, this decides what it means, and a caller writes
 * nothing unless `errors` is empty.
 */
import { isIsoDate } from '../dates.ts';
import { readCsvTokens } from './csv-tokenizer.ts';
import { clip, show } from './csv-cell-text.ts';
import {
  COLUMN_HEADER,
  POSITION_CSV_COLUMNS,
  type ColumnKey,
  type CsvError,
  type CsvErrorCode,
  type ParsedPosition,
  type RowValues,
} from './position-csv-schema.ts';
import { validatePositionRow } from './validate-position-row.ts';

export type {
  ColumnKey,
  CsvError,
  CsvErrorCode,
  InvestmentClass,
  OptionType,
  ParsedPosition,
  PositionType,
} from './position-csv-schema.ts';
export { POSITION_CSV_COLUMNS } from './position-csv-schema.ts';

/** SPEC §2's size limit [ERR_CSV_001], exported so the HTTP layer can stop reading at it. */
export const MAX_CSV_BYTES = 10 * 1024 * 1024;

/**
 * Errors kept in the result. A 10 MB file of one-character rows would otherwise make millions of
 * error objects and take the server down; nobody reads past the first thousands, and
 * `totalErrors` still counts all of them.
 */
export const MAX_REPORTED_ERRORS = 10_000;

interface CommonInput {
  /** YYYY-MM-DD, the date entry and exit dates may not be after. */
  today: string;
  /** The upload's file name; checked for `.csv` [ERR_CSV_002] when given. */
  fileName?: string;
  /** Size of the upload in bytes; computed from the text (as UTF-8) when absent. */
  byteLength?: number;
}

export type ParsePositionsCsvInput = CommonInput &
  ({ text: string; bytes?: undefined } | { bytes: Uint8Array; text?: undefined });

export interface ParsePositionsCsvResult {
  /** Rows without errors, in file order. Not to be stored unless `errors` is empty. */
  positions: ParsedPosition[];
  /** In file order, file-level problems first; at most MAX_REPORTED_ERRORS. */
  errors: CsvError[];
  /** Number of errors found, including any beyond MAX_REPORTED_ERRORS. */
  totalErrors: number;
}

/** Rows read between two pauses of `parsePositionsCsvInSteps`. */
export const CSV_ROWS_PER_STEP = 2_000;

export function parsePositionsCsv(input: ParsePositionsCsvInput): ParsePositionsCsvResult {
  const steps = parsePositionsCsvInSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same parse as `parsePositionsCsv`, pausing (a `yield`) after every `rowsPerStep` rows, so
 * a server can let other requests run while a 10 MB file is read: the caller resumes it when
 * it likes (e.g. after `setImmediate`). Pure: no timers or I/O here.
 */
export function* parsePositionsCsvInSteps(
  input: ParsePositionsCsvInput,
  rowsPerStep = CSV_ROWS_PER_STEP,
): Generator<void, ParsePositionsCsvResult, void> {
  if (!isIsoDate(input.today)) {
    throw new RangeError(`parsePositionsCsv: today '${input.today}' is not a YYYY-MM-DD date`);
  }
  const positions: ParsedPosition[] = [];
  const errors: CsvError[] = [];
  let totalErrors = 0;
  const report = (error: CsvError): void => {
    totalErrors++;
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(error);
  };
  const fileError = (code: CsvErrorCode, message: string, row: number | null = null): void =>
    report({ row, symbol: null, field: null, code, message });
  const result = (): ParsePositionsCsvResult => ({ positions, errors, totalErrors });

  // File-level checks come first: a wrong file type or a huge upload is not worth reading.
  const fileName = input.fileName?.trim();
  if (fileName !== undefined && !fileName.toLowerCase().endsWith('.csv')) {
    fileError(
      'ERR_CSV_002',
      `File ${show(fileName)} is not a .csv file; export the spreadsheet as CSV ` +
        '(comma-separated values) and upload that',
    );
  }
  const size = input.byteLength ?? input.bytes?.byteLength ?? textSize(input.text ?? '');
  if (size > MAX_CSV_BYTES) {
    fileError(
      'ERR_CSV_001',
      `The file is ${(size / 1024 / 1024).toFixed(1)} MB (${size} bytes); the limit is 10 MB ` +
        `(${MAX_CSV_BYTES} bytes). Split the positions into several portfolios or remove ` +
        'closed positions',
    );
  }
  if (totalErrors > 0) return result();

  const text = input.text ?? decodeUtf8(input.bytes);
  if (text === null) {
    fileError(
      'ERR_CSV_006',
      'The file is not UTF-8 text (it may be a spreadsheet, or saved in another encoding); ' +
        'save it as "CSV UTF-8" and upload it again',
    );
    return result();
  }
  // A UTF-16 file read as UTF-8 is "valid" but full of NULs; U+FFFD means a caller decoded
  // invalid bytes leniently. Neither can be trusted as positions.
  if (text.includes('\u0000') || text.includes('\uFFFD')) {
    fileError(
      'ERR_CSV_006',
      'The file contains characters that are not text (it may be UTF-16, or a spreadsheet ' +
        'file renamed to .csv); save it as "CSV UTF-8" and upload it again',
    );
    return result();
  }

  let header: ResolvedHeader | null = null;
  let headerLine = 0;
  let dataRows = 0;
  const firstLineOf = new Map<string, number>();
  const oldestEntryDate = hundredYearsBefore(input.today);

  let sinceStep = 0;
  for (const token of readCsvTokens(text)) {
    if (++sinceStep >= rowsPerStep) {
      sinceStep = 0;
      yield;
    }
    if (token.kind === 'error') {
      fileError('ERR_CSV_006', token.message, token.line);
      if (header === null) return result();
      continue;
    }
    if (header === null) {
      headerLine = token.line;
      header = resolveHeader(token.fields);
      for (const problem of header.problems) {
        report({ row: token.line, symbol: null, ...problem });
      }
      // Without every required column the rows cannot be read; with only unknown or repeated
      // columns they can, and their errors are worth reporting in the same pass.
      if (header.problems.some((p) => p.code === 'ERR_CSV_004')) return result();
      continue;
    }

    const cells = token.fields;
    if (isBlankRow(cells)) continue; // a spreadsheet's ",,,," row
    dataRows++;
    if (hasExtraValues(cells, header.width)) {
      const symbolCell = cellAt(cells, header.indexes.get('symbol'));
      report({
        row: token.line,
        symbol: symbolCell === '' ? null : clip(symbolCell.toUpperCase()),
        field: null,
        code: 'ERR_CSV_006',
        message:
          `This row has ${cells.length} values but the header has ${header.width} columns; ` +
          'a value containing a comma (e.g. 1,000) must be in double quotes ("1,000")',
      });
      continue;
    }

    const values = rowValues(cells, header.indexes);
    const row = validatePositionRow(values, {
      line: token.line,
      today: input.today,
      oldestEntryDate,
    });
    for (const error of row.errors) report(error);

    // Duplicate (symbol, entry date) [ERR_POS_023]: the database keeps one lot per pair.
    let duplicate = false;
    if (row.key !== null) {
      const key = `${row.key.symbol}\u0000${row.key.entryDate}`;
      const first = firstLineOf.get(key);
      if (first === undefined) firstLineOf.set(key, token.line);
      else {
        duplicate = true;
        report({
          row: token.line,
          symbol: clip(row.key.symbol),
          field: COLUMN_HEADER.symbol,
          code: 'ERR_POS_023',
          message:
            `${row.key.symbol} with Entry Date ${row.key.entryDate} already appears on line ` +
            `${first}; combine the two lots into one row or correct one of the dates`,
        });
      }
    }
    if (row.position !== null && !duplicate) positions.push(row.position);
  }

  if (header === null) {
    fileError(
      'ERR_CSV_003',
      'The file is empty (or holds only comments and blank lines); it needs a header row and ' +
        'at least one position',
    );
  } else if (dataRows === 0 && totalErrors === 0) {
    fileError(
      'ERR_CSV_003',
      'The file has a header but no positions; add one row per position below it',
      headerLine,
    );
  }
  return result();
}

function isBlankRow(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}

/** Non-blank values past the header's last column (blank ones are trailing commas). */
function hasExtraValues(cells: readonly string[], width: number): boolean {
  for (let i = width; i < cells.length; i++) if ((cells[i] ?? '').trim() !== '') return true;
  return false;
}

function cellAt(cells: readonly string[], index: number | undefined): string {
  return index === undefined ? '' : (cells[index] ?? '').trim();
}

/** Written as one literal so every row object has the same shape (this runs per row). */
function rowValues(cells: readonly string[], at: ReadonlyMap<ColumnKey, number>): RowValues {
  return {
    symbol: cellAt(cells, at.get('symbol')),
    quantity: cellAt(cells, at.get('quantity')),
    entryPrice: cellAt(cells, at.get('entryPrice')),
    entryDate: cellAt(cells, at.get('entryDate')),
    investmentClass: cellAt(cells, at.get('investmentClass')),
    investmentSubtype: cellAt(cells, at.get('investmentSubtype')),
    underlyingSymbol: cellAt(cells, at.get('underlyingSymbol')),
    strikePrice: cellAt(cells, at.get('strikePrice')),
    expirationDate: cellAt(cells, at.get('expirationDate')),
    optionType: cellAt(cells, at.get('optionType')),
    exitDate: cellAt(cells, at.get('exitDate')),
    exitPrice: cellAt(cells, at.get('exitPrice')),
  };
}

interface HeaderProblem {
  code: 'ERR_CSV_004' | 'ERR_CSV_005';
  field: string | null;
  message: string;
}

interface ResolvedHeader {
  /** Cell index of each column present. */
  indexes: Map<ColumnKey, number>;
  /** Number of header cells after dropping trailing empty ones. */
  width: number;
  problems: HeaderProblem[];
}

/**
 * Matches header cells to columns case-insensitively after trimming (SPEC §2). Runs of spaces and
 * underscores also count as one space, so `entry_date` or `Entry  Date` still match.
 */
export function normalizeHeaderName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');
}

const COLUMN_BY_NAME = new Map<string, ColumnKey>(
  POSITION_CSV_COLUMNS.map((c) => [normalizeHeaderName(c.header), c.key]),
);

function resolveHeader(rawCells: readonly string[]): ResolvedHeader {
  // Spreadsheets often save trailing empty header cells (`Symbol,...,Exit Price Per Share,,`).
  let width = rawCells.length;
  while (width > 0 && (rawCells[width - 1] ?? '').trim() === '') width--;
  const indexes = new Map<ColumnKey, number>();
  const problems: HeaderProblem[] = [];
  const expected = POSITION_CSV_COLUMNS.map((c) => c.header).join(', ');

  for (let i = 0; i < width; i++) {
    const raw = (rawCells[i] ?? '').trim();
    if (raw === '') {
      problems.push({
        code: 'ERR_CSV_005',
        field: null,
        message: `Header column ${i + 1} has no name; remove the empty column or name it`,
      });
      continue;
    }
    const key = COLUMN_BY_NAME.get(normalizeHeaderName(raw));
    if (key === undefined) {
      problems.push({
        code: 'ERR_CSV_005',
        field: clip(raw),
        message: `Header column ${i + 1} ${show(raw)} is not a known column; expected: ${expected}`,
      });
    } else if (indexes.has(key)) {
      problems.push({
        code: 'ERR_CSV_005',
        field: COLUMN_HEADER[key],
        message:
          `Header column ${i + 1} ${show(raw)} repeats column ${(indexes.get(key) ?? 0) + 1} ` +
          `(${COLUMN_HEADER[key]}); keep only one`,
      });
    } else {
      indexes.set(key, i);
    }
  }
  for (const column of POSITION_CSV_COLUMNS) {
    if (column.required && !indexes.has(column.key)) {
      problems.push({
        code: 'ERR_CSV_004',
        field: column.header,
        message:
          `Required column "${column.header}" is missing from the header (the first line that ` +
          'is not a comment); the template shows every column',
      });
    }
  }
  return { indexes, width, problems };
}

/** The same month and day 100 years earlier; string comparison handles a Feb 29 `today`. */
export function hundredYearsBefore(today: string): string {
  const year = Number(today.slice(0, 4)) - 100;
  return `${String(year).padStart(4, '0')}${today.slice(4)}`;
}

function decodeUtf8(bytes: Uint8Array | undefined): string | null {
  if (bytes === undefined) return '';
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The text's UTF-8 size, counted only when it could exceed the limit: a UTF-16 unit is at most 3
 * UTF-8 bytes, so below a third of the limit the (smaller) unit count is as good an answer.
 */
function textSize(text: string): number {
  return text.length * 3 <= MAX_CSV_BYTES ? text.length : utf8ByteLength(text);
}

/** UTF-8 size of a string, without allocating an encoded copy of a file that may be 10 MB. */
function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
