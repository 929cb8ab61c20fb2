/**
 * The vocabulary of the positions CSV (SPEC §2): its columns, value sets, error codes and the
 * shapes the parser returns. Shared by the parser, the row validator and the template so the
 * three cannot drift apart.
 */
import type { InvestmentClass, OptionType, PositionType } from '../positions/value-sets.ts';

export { INVESTMENT_CLASSES } from '../positions/value-sets.ts';
export type { InvestmentClass, OptionType, PositionType } from '../positions/value-sets.ts';

/** Columns in the order of the template's header; `header` is the spelling SPEC §2 uses. */
export const POSITION_CSV_COLUMNS = [
  { key: 'symbol', header: 'Symbol', required: true },
  { key: 'quantity', header: 'Quantity', required: true },
  { key: 'entryPrice', header: 'Entry Price Per Share', required: true },
  { key: 'entryDate', header: 'Entry Date', required: true },
  { key: 'investmentClass', header: 'Investment Class', required: false },
  { key: 'investmentSubtype', header: 'Investment Subtype', required: false },
  { key: 'underlyingSymbol', header: 'Underlying Symbol', required: false },
  { key: 'strikePrice', header: 'Strike Price', required: false },
  { key: 'expirationDate', header: 'Expiration Date', required: false },
  { key: 'optionType', header: 'Option Type', required: false },
  { key: 'exitDate', header: 'Exit Date', required: false },
  { key: 'exitPrice', header: 'Exit Price Per Share', required: false },
] as const;

export type ColumnKey = (typeof POSITION_CSV_COLUMNS)[number]['key'];

/** A data row's trimmed cell per column; '' for a blank cell or an absent optional column. */
export type RowValues = Record<ColumnKey, string>;

export const COLUMN_HEADER: Record<ColumnKey, string> = Object.fromEntries(
  POSITION_CSV_COLUMNS.map((c) => [c.key, c.header]),
) as Record<ColumnKey, string>;

export const MAX_SYMBOL_LENGTH = 100;
export const SYMBOL_PATTERN = /^[A-Za-z0-9._-]+$/;
/**
 * Digits allowed before the decimal point of a quantity or price: 12 (< 1 trillion), the most
 * equity SPEC §2 accepts for a whole portfolio, and well inside `numeric(24,6)` and float64.
 */
export const MAX_INTEGER_DIGITS = 12;

export const SUBTYPES_BY_CLASS: Record<InvestmentClass, readonly string[]> = {
  PUBLIC: ['STOCK', 'ETF', 'MUTUAL_FUND', 'BOND', 'CASH'],
  OPTIONS: ['CALL', 'PUT'],
  PRIVATE: [
    'PRIVATE_EQUITY',
    'VENTURE_CAPITAL',
    'HEDGE_FUND',
    'PRIVATE_REIT',
    'REAL_ESTATE',
    'CRYPTOCURRENCY',
    'ART',
    'MONEY_MARKET',
    'TREASURY_BILLS',
    'CASH',
    'COMMODITY',
    'OTHER',
  ],
};

/**
 * SPEC §2 codes, plus two for the exit price, about which the SPEC is silent:
 * - ERR_POS_024: Exit Price Per Share is not a number, negative, has more than 4 decimals or is
 *   too large (mirrors ERR_POS_009–011 for the entry price).
 * - ERR_POS_025: Exit Date and Exit Price Per Share must be given together. A closed lot needs
 *   its exit price for realised P&L, and an exit price without a date cannot be placed in time.
 * - ERR_POS_026: a lot's notes (lots added through the API) are not text, too long (1,000
 *   characters) or hold a control character.
 * - ERR_POS_027: the symbol is shaped like an OCC option contract but cannot be one (month 13,
 *   a day the month lacks, letters in the expiry or strike, strike 0), or its contract terms
 *   contradict the row's explicit option columns (underlying, strike, expiry, option type).
 */
export type CsvErrorCode =
  | 'ERR_CSV_001'
  | 'ERR_CSV_002'
  | 'ERR_CSV_003'
  | 'ERR_CSV_004'
  | 'ERR_CSV_005'
  | 'ERR_CSV_006'
  | 'ERR_POS_001'
  | 'ERR_POS_002'
  | 'ERR_POS_003'
  | 'ERR_POS_004'
  | 'ERR_POS_005'
  | 'ERR_POS_006'
  | 'ERR_POS_007'
  | 'ERR_POS_008'
  | 'ERR_POS_009'
  | 'ERR_POS_010'
  | 'ERR_POS_011'
  | 'ERR_POS_012'
  | 'ERR_POS_013'
  | 'ERR_POS_014'
  | 'ERR_POS_015'
  | 'ERR_POS_016'
  | 'ERR_POS_017'
  | 'ERR_POS_018'
  | 'ERR_POS_019'
  | 'ERR_POS_020'
  | 'ERR_POS_021'
  | 'ERR_POS_022'
  | 'ERR_POS_023'
  | 'ERR_POS_024'
  | 'ERR_POS_025'
  | 'ERR_POS_026'
  | 'ERR_POS_027';

/** One problem, in the shape API.md's `error.details.errors` carries. */
export interface CsvError {
  /** Physical line of the file (1-based); null for a problem with the file as a whole. */
  row: number | null;
  /** The row's symbol as written (upper-cased, shortened if huge); null when there is none. */
  symbol: string | null;
  /** The column header the problem is about (SPEC spelling); null when it is not one column. */
  field: string | null;
  code: CsvErrorCode;
  message: string;
}

export interface ParsedPosition {
  /** Physical line of the file the row starts on. */
  line: number;
  /** Upper-cased; an OCC symbol written with padding spaces is stored compact. */
  symbol: string;
  /** Signed: negative for SHORT, SC and SP. */
  quantity: number;
  /** Exact decimal text of `quantity` (no float rounding) for a `numeric` column. */
  quantityText: string;
  entryPrice: number;
  entryPriceText: string;
  entryDate: string;
  investmentClass: InvestmentClass;
  investmentSubtype: string | null;
  positionType: PositionType;
  underlyingSymbol: string | null;
  strikePrice: number | null;
  strikePriceText: string | null;
  expirationDate: string | null;
  optionType: OptionType | null;
  exitDate: string | null;
  exitPrice: number | null;
  exitPriceText: string | null;
}
