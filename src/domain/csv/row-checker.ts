/**
 * Collects the problems of one data row and holds the checks every column shares (formula cells,
 * dates, decimals). A class rather than closures made per row: a 10 MB upload has hundreds of
 * thousands of rows, and per-row function objects were most of the parse time.
 */
import { isIsoDate } from '../dates.ts';
import { clip, looksLikeFormula, parseDecimal, show, type ParsedDecimal } from './csv-cell-text.ts';
import {
  COLUMN_HEADER,
  MAX_INTEGER_DIGITS,
  type ColumnKey,
  type CsvError,
  type CsvErrorCode,
  type RowValues,
} from './position-csv-schema.ts';

export interface DecimalRule {
  /** Code when the cell is blank; null for an optional column. */
  required: CsvErrorCode | null;
  /** Code when it is not a number (or a formula, or too large). */
  numeric: CsvErrorCode;
  maxDecimals: number;
  decimals: CsvErrorCode;
  /** Accept a leading `$` (price columns only). */
  allowDollar: boolean;
  /** Shown after "expected e.g." */
  example: string;
}

export class RowChecker {
  readonly errors: CsvError[] = [];
  private readonly rowSymbol: string | null;

  constructor(
    readonly v: RowValues,
    readonly line: number,
  ) {
    this.rowSymbol = v.symbol === '' ? null : clip(v.symbol.toUpperCase());
  }

  /** Records a problem; `column` null when it is about the row rather than one cell. */
  fail(code: CsvErrorCode, column: ColumnKey | null, message: string): void {
    this.errors.push({
      row: this.line,
      symbol: this.rowSymbol,
      field: column === null ? null : COLUMN_HEADER[column],
      code,
      message,
    });
  }

  /** True, after reporting it under `code`, when the cell holds a spreadsheet formula. */
  isFormula(column: ColumnKey, code: CsvErrorCode): boolean {
    if (!looksLikeFormula(this.v[column])) return false;
    this.fail(
      code,
      column,
      `${COLUMN_HEADER[column]} ${show(this.v[column])} looks like a spreadsheet formula; ` +
        'enter the plain value instead',
    );
    return true;
  }

  /** True when a non-blank cell is a real YYYY-MM-DD date; reports it under `code` otherwise. */
  isDate(column: ColumnKey, code: CsvErrorCode): boolean {
    if (this.isFormula(column, code)) return false;
    if (isIsoDate(this.v[column])) return true;
    this.fail(
      code,
      column,
      `${COLUMN_HEADER[column]} ${show(this.v[column])} is not a real date written YYYY-MM-DD ` +
        '(e.g. 2024-01-15)',
    );
    return false;
  }

  /** The cell as a number under `rule`; null (after reporting) when blank or invalid. */
  decimal(column: ColumnKey, rule: DecimalRule): ParsedDecimal | null {
    const raw = this.v[column];
    const name = COLUMN_HEADER[column];
    if (raw === '') {
      if (rule.required !== null)
        this.fail(rule.required, column, `${name} is empty; enter a number`);
      return null;
    }
    if (this.isFormula(column, rule.numeric)) return null;
    const parsed = parseDecimal(raw, rule.allowDollar);
    if (parsed === null) {
      this.fail(
        rule.numeric,
        column,
        `${name} ${show(raw)} is not a number; expected e.g. ${rule.example}`,
      );
      return null;
    }
    if (parsed.integerDigits > MAX_INTEGER_DIGITS) {
      this.fail(
        rule.numeric,
        column,
        `${name} ${show(raw)} is too large; at most ${MAX_INTEGER_DIGITS} digits before the ` +
          'decimal point are allowed',
      );
      return null;
    }
    if (parsed.decimals > rule.maxDecimals) {
      this.fail(
        rule.decimals,
        column,
        `${name} ${show(raw)} has ${parsed.decimals} decimal places; at most ` +
          `${rule.maxDecimals} are allowed`,
      );
      return null;
    }
    return parsed;
  }
}
