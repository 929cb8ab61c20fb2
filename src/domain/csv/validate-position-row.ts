/**
 * SPEC §2's per-row rules (ERR_POS_001–025) for one data row of the positions CSV. Every column is
 * checked even after an earlier one fails, so a person fixes a row in one pass.
 */
import { impossibleOccSymbol, parseOccSymbol } from '../symbols.ts';
import { firstInvalidCharacter, show } from './csv-cell-text.ts';
import { RowChecker, type DecimalRule } from './row-checker.ts';
import { validateOptionTerms, type OptionTerms } from './validate-option-terms.ts';
import {
  COLUMN_HEADER,
  INVESTMENT_CLASSES,
  MAX_SYMBOL_LENGTH,
  SUBTYPES_BY_CLASS,
  SYMBOL_PATTERN,
  type ColumnKey,
  type CsvError,
  type InvestmentClass,
  type OptionType,
  type ParsedPosition,
  type PositionType,
  type RowValues,
} from './position-csv-schema.ts';

export interface RowContext {
  line: number;
  /** Entry and exit dates after this are in the future [ERR_POS_014]. */
  today: string;
  /** Entry dates before this are more than 100 years old [ERR_POS_015]. */
  oldestEntryDate: string;
}

export interface RowResult {
  /** Null when the row has any error. */
  position: ParsedPosition | null;
  errors: CsvError[];
  /** The valid symbol and entry date, even when other cells fail, for the duplicate check. */
  key: { symbol: string; entryDate: string } | null;
}

const SYMBOL_CHAR = /[A-Za-z0-9._-]/;

const OPTION_COLUMNS = ['underlyingSymbol', 'strikePrice', 'expirationDate', 'optionType'] as const;

const QUANTITY_RULE: DecimalRule = {
  required: 'ERR_POS_004',
  numeric: 'ERR_POS_005',
  maxDecimals: 6,
  decimals: 'ERR_POS_007',
  allowDollar: false,
  example: '100, or -25 for a short position',
};
const ENTRY_PRICE_RULE: DecimalRule = {
  required: 'ERR_POS_008',
  numeric: 'ERR_POS_009',
  maxDecimals: 4,
  decimals: 'ERR_POS_011',
  allowDollar: true,
  example: '185.25',
};
// SPEC §2 gives the exit price no code: ERR_POS_024 (see CsvErrorCode).
const EXIT_PRICE_RULE: DecimalRule = {
  required: null,
  numeric: 'ERR_POS_024',
  maxDecimals: 4,
  decimals: 'ERR_POS_024',
  allowDollar: true,
  example: '190.5',
};

export function validatePositionRow(v: RowValues, ctx: RowContext): RowResult {
  const c = new RowChecker(v, ctx.line);

  // Symbol [001–003]. Brokers write OCC symbols padded with spaces (`AAPL  250117C00150000`),
  // so an OCC symbol is accepted with them and stored compact.
  let symbol: string | null = null;
  if (v.symbol === '') {
    c.fail('ERR_POS_001', 'symbol', 'Symbol is empty; every row needs a ticker such as AAPL');
  } else if (!c.isFormula('symbol', 'ERR_POS_003')) {
    const written = parseOccSymbol(v.symbol) === null ? v.symbol : v.symbol.replace(/\s+/g, '');
    if (written.length > MAX_SYMBOL_LENGTH) {
      c.fail(
        'ERR_POS_002',
        'symbol',
        `Symbol ${show(written)} is ${written.length} characters long; at most ` +
          `${MAX_SYMBOL_LENGTH} are allowed`,
      );
    } else if (!SYMBOL_PATTERN.test(written)) {
      c.fail(
        'ERR_POS_003',
        'symbol',
        `Symbol ${show(written)} contains ${firstInvalidCharacter(written, SYMBOL_CHAR)}; ` +
          'only letters, digits, ".", "_" and "-" are allowed (e.g. BRK.B)',
      );
    } else {
      const impossible = impossibleOccSymbol(written);
      if (impossible !== null) {
        c.fail(
          'ERR_POS_027',
          'symbol',
          `Symbol ${show(written)} looks like an OCC option contract (ROOT + YYMMDD + C/P + ` +
            `strike × 1000 in 8 digits) but ${impossible}; correct the contract symbol`,
        );
      } else {
        symbol = written.toUpperCase();
      }
    }
  }

  const quantity = c.decimal('quantity', QUANTITY_RULE);
  if (quantity !== null && quantity.value === 0) {
    c.fail(
      'ERR_POS_006',
      'quantity',
      `Quantity ${show(v.quantity)} is zero; enter the shares or contracts held ` +
        '(negative for a short position)',
    );
  }

  const entryPrice = c.decimal('entryPrice', ENTRY_PRICE_RULE);
  if (entryPrice !== null && entryPrice.value <= 0) {
    c.fail(
      'ERR_POS_010',
      'entryPrice',
      `Entry Price Per Share ${show(v.entryPrice)} must be greater than 0; ` +
        'enter the price paid (or received, for a short) per share or per option share',
    );
  }

  // Entry date [012–015].
  let entryDate: string | null = null;
  if (v.entryDate === '') {
    c.fail('ERR_POS_012', 'entryDate', 'Entry Date is empty; enter the trade date as YYYY-MM-DD');
  } else if (c.isDate('entryDate', 'ERR_POS_013')) {
    if (v.entryDate > ctx.today) {
      c.fail(
        'ERR_POS_014',
        'entryDate',
        `Entry Date ${v.entryDate} is in the future (today is ${ctx.today})`,
      );
    } else if (v.entryDate < ctx.oldestEntryDate) {
      c.fail(
        'ERR_POS_015',
        'entryDate',
        `Entry Date ${v.entryDate} is more than 100 years ago; the earliest accepted is ` +
          ctx.oldestEntryDate,
      );
    } else {
      entryDate = v.entryDate;
    }
  }

  // Investment class [016]; a blank class is inferred (SPEC §2): OPTIONS for an OCC symbol or when
  // option cells are filled in, else PUBLIC.
  const occ = symbol === null ? null : parseOccSymbol(symbol);
  const subtypeText = v.investmentSubtype.toUpperCase().replace(/[\s-]+/g, '_');
  const optionCellsFilled = OPTION_COLUMNS.filter((column) => v[column] !== '');
  let investmentClass: InvestmentClass | null = null;
  const classInferred = v.investmentClass === '';
  if (classInferred) {
    const optionLike =
      optionCellsFilled.length > 0 || subtypeText === 'CALL' || subtypeText === 'PUT';
    investmentClass = occ !== null || optionLike ? 'OPTIONS' : 'PUBLIC';
  } else if (!c.isFormula('investmentClass', 'ERR_POS_016')) {
    const upper = v.investmentClass.toUpperCase();
    const known = INVESTMENT_CLASSES.find((name) => name === upper);
    if (known !== undefined) investmentClass = known;
    else {
      const isSubtype = Object.values(SUBTYPES_BY_CLASS).some((list) => list.includes(upper));
      c.fail(
        'ERR_POS_016',
        'investmentClass',
        `Investment Class ${show(v.investmentClass)} is not one of PUBLIC, OPTIONS, PRIVATE` +
          (isSubtype ? `; ${upper} belongs in Investment Subtype` : ''),
      );
    }
  }

  // Option terms [019–022], filled from an OCC symbol when their cells are blank.
  let option: OptionTerms | null = null;
  if (investmentClass === 'OPTIONS') {
    option = validateOptionTerms(c, occ, entryDate);
  } else if (investmentClass !== null) {
    if (occ !== null) {
      c.fail(
        'ERR_POS_016',
        'investmentClass',
        `Symbol ${symbol} is an OCC option contract but Investment Class is ${investmentClass}; ` +
          'use OPTIONS or leave the class blank',
      );
    } else if (optionCellsFilled.length > 0) {
      c.fail(
        'ERR_POS_016',
        'investmentClass',
        `Investment Class is ${investmentClass} but option columns are filled in ` +
          `(${optionCellsFilled.map((column) => COLUMN_HEADER[column]).join(', ')}); set the class to ` +
          'OPTIONS or clear them',
      );
    }
  }

  // Subtype [017]: must belong to the class; an option's defaults to its option type.
  let investmentSubtype: string | null = null;
  if (subtypeText !== '' && c.isFormula('investmentSubtype', 'ERR_POS_017')) {
    // reported; a formula is refused whatever the class
  } else if (investmentClass !== null && subtypeText !== '') {
    if (!SUBTYPES_BY_CLASS[investmentClass].includes(subtypeText)) {
      c.fail(
        'ERR_POS_017',
        'investmentSubtype',
        `Investment Subtype ${show(v.investmentSubtype)} is not valid for ${investmentClass}` +
          (classInferred ? ' (assumed because Investment Class is blank)' : '') +
          `; expected one of ${SUBTYPES_BY_CLASS[investmentClass].join(', ')}`,
      );
    } else if (option !== null && subtypeText !== option.optionType) {
      c.fail(
        'ERR_POS_017',
        'investmentSubtype',
        `Investment Subtype ${subtypeText} contradicts Option Type ${option.optionType}`,
      );
    } else {
      investmentSubtype = subtypeText;
    }
  } else if (option !== null) {
    investmentSubtype = option.optionType;
  }

  // Exit [013/014 for its date, 018, 024, 025]. SPEC §2 gives the exit price no code; see
  // CsvErrorCode for ERR_POS_024/025.
  let exitDate: string | null = null;
  if (v.exitDate !== '' && c.isDate('exitDate', 'ERR_POS_013')) {
    if (v.exitDate > ctx.today) {
      c.fail(
        'ERR_POS_014',
        'exitDate',
        `Exit Date ${v.exitDate} is in the future (today is ${ctx.today})`,
      );
    } else if (entryDate !== null && v.exitDate < entryDate) {
      c.fail(
        'ERR_POS_018',
        'exitDate',
        `Exit Date ${v.exitDate} is before Entry Date ${entryDate}`,
      );
    } else {
      exitDate = v.exitDate;
    }
  }
  // An exit price of 0 is allowed: a written-off private stake or an option closed worthless.
  const exitPrice = c.decimal('exitPrice', EXIT_PRICE_RULE);
  if (exitPrice !== null && exitPrice.value < 0) {
    c.fail('ERR_POS_024', 'exitPrice', `Exit Price Per Share ${show(v.exitPrice)} is negative`);
  }
  if ((v.exitDate === '') !== (v.exitPrice === '')) {
    const [given, missing]: [ColumnKey, ColumnKey] =
      v.exitDate === '' ? ['exitPrice', 'exitDate'] : ['exitDate', 'exitPrice'];
    c.fail(
      'ERR_POS_025',
      missing,
      `${COLUMN_HEADER[given]} is filled in but ${COLUMN_HEADER[missing]} is empty; a closed ` +
        'position needs both (leave both empty for an open one)',
    );
  }

  const key = symbol !== null && entryDate !== null ? { symbol, entryDate } : null;
  if (
    c.errors.length > 0 ||
    symbol === null ||
    quantity === null ||
    entryPrice === null ||
    entryDate === null ||
    investmentClass === null
  ) {
    return { position: null, errors: c.errors, key };
  }
  return {
    position: {
      line: ctx.line,
      symbol,
      quantity: quantity.value,
      quantityText: quantity.text,
      entryPrice: entryPrice.value,
      entryPriceText: entryPrice.text,
      entryDate,
      investmentClass,
      investmentSubtype,
      positionType: positionTypeOf(quantity.value, option?.optionType ?? null),
      underlyingSymbol: option?.underlying ?? null,
      strikePrice: option?.strike.value ?? null,
      strikePriceText: option?.strike.text ?? null,
      expirationDate: option?.expiration ?? null,
      optionType: option?.optionType ?? null,
      exitDate,
      exitPrice: exitPrice?.value ?? null,
      exitPriceText: exitPrice?.text ?? null,
    },
    errors: c.errors,
    key,
  };
}

/** Sign of the quantity, and for options the kind: long/short call (LC/SC), put (LP/SP). */
export function positionTypeOf(quantity: number, optionType: OptionType | null): PositionType {
  const long = quantity > 0;
  if (optionType === 'CALL') return long ? 'LC' : 'SC';
  if (optionType === 'PUT') return long ? 'LP' : 'SP';
  return long ? 'LONG' : 'SHORT';
}
