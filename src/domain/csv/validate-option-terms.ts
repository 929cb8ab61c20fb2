/**
 * The option terms of an OPTIONS row (SPEC §2, ERR_POS_019–022): underlying, strike, expiry and
 * CALL/PUT, taken from their cells or, when those are blank, from an OCC symbol.
 */
import {
  EARLIEST_SUPPORTED_DATE,
  LATEST_SUPPORTED_DATE,
  isIsoDate,
  isSupportedDate,
} from '../dates.ts';
import type { OccContract } from '../symbols.ts';
import { parseDecimal, show } from './csv-cell-text.ts';
import type { RowChecker } from './row-checker.ts';
import {
  COLUMN_HEADER,
  MAX_INTEGER_DIGITS,
  MAX_SYMBOL_LENGTH,
  SYMBOL_PATTERN,
  type ColumnKey,
  type OptionType,
  type RowValues,
} from './position-csv-schema.ts';

export interface OptionTerms {
  underlying: string;
  strike: { value: number; text: string };
  expiration: string;
  optionType: OptionType;
}

/**
 * The four option terms [019–022]. A blank cell takes its value from the OCC symbol; a filled
 * cell that disagrees with the symbol is an error, since one of the two must be a typo.
 */
export function validateOptionTerms(
  c: RowChecker,
  occ: OccContract | null,
  entryDate: string | null,
): OptionTerms | null {
  const v = c.v;
  const fromOcc =
    ' (the Symbol is not an OCC contract such as AAPL270115C00200000 to take it from)';

  let underlying: string | null = null;
  if (v.underlyingSymbol === '') {
    if (occ !== null) underlying = occ.underlying;
    else
      c.fail(
        'ERR_POS_019',
        'underlyingSymbol',
        `Underlying Symbol is required for an option${fromOcc}`,
      );
  } else if (!c.isFormula('underlyingSymbol', 'ERR_POS_019')) {
    const upper = v.underlyingSymbol.toUpperCase();
    if (upper.length > MAX_SYMBOL_LENGTH || !SYMBOL_PATTERN.test(upper)) {
      c.fail(
        'ERR_POS_019',
        'underlyingSymbol',
        `Underlying Symbol ${show(v.underlyingSymbol)} is not a valid ticker; use letters, digits, ` +
          `".", "_" and "-" (at most ${MAX_SYMBOL_LENGTH})`,
      );
    } else if (occ !== null && upper !== occ.underlying) {
      c.fail('ERR_POS_019', 'underlyingSymbol', disagrees(v, 'underlyingSymbol', occ.underlying));
    } else {
      underlying = upper;
    }
  }

  let strike: { value: number; text: string } | null = null;
  if (v.strikePrice === '') {
    if (occ !== null) strike = { value: occ.strike, text: String(occ.strike) };
    else c.fail('ERR_POS_020', 'strikePrice', `Strike Price is required for an option${fromOcc}`);
  } else if (!c.isFormula('strikePrice', 'ERR_POS_020')) {
    const parsed = parseDecimal(v.strikePrice, true);
    if (
      parsed === null ||
      parsed.value <= 0 ||
      parsed.decimals > 4 ||
      parsed.integerDigits > MAX_INTEGER_DIGITS
    ) {
      c.fail(
        'ERR_POS_020',
        'strikePrice',
        `Strike Price ${show(v.strikePrice)} is not a price above 0 with at most 4 decimals ` +
          '(e.g. 150 or 152.5)',
      );
    } else if (occ !== null && parsed.value !== occ.strike) {
      c.fail('ERR_POS_020', 'strikePrice', disagrees(v, 'strikePrice', String(occ.strike)));
    } else {
      strike = { value: parsed.value, text: parsed.text };
    }
  }
  if (strike !== null && strike.value <= 0) {
    c.fail('ERR_POS_020', 'symbol', 'The OCC symbol gives a strike of 0; a strike must be above 0');
    strike = null;
  }

  let expiration: string | null = null;
  if (v.expirationDate === '') {
    if (occ === null) {
      c.fail(
        'ERR_POS_021',
        'expirationDate',
        `Expiration Date is required for an option${fromOcc}`,
      );
    } else if (!isIsoDate(occ.expiration)) {
      c.fail(
        'ERR_POS_021',
        'symbol',
        `The OCC symbol's expiry ${occ.expiration} is not a real date`,
      );
    } else {
      expiration = occ.expiration;
    }
  } else if (!c.isFormula('expirationDate', 'ERR_POS_021')) {
    if (!isIsoDate(v.expirationDate)) {
      c.fail(
        'ERR_POS_021',
        'expirationDate',
        `Expiration Date ${show(v.expirationDate)} is not a real date written YYYY-MM-DD`,
      );
    } else if (!isSupportedDate(v.expirationDate)) {
      c.fail(
        'ERR_POS_021',
        'expirationDate',
        `Expiration Date ${v.expirationDate} is outside ${EARLIEST_SUPPORTED_DATE} to ${LATEST_SUPPORTED_DATE}`,
      );
    } else if (occ !== null && v.expirationDate !== occ.expiration) {
      c.fail('ERR_POS_021', 'expirationDate', disagrees(v, 'expirationDate', occ.expiration));
    } else {
      expiration = v.expirationDate;
    }
  }
  if (expiration !== null && entryDate !== null && expiration < entryDate) {
    c.fail(
      'ERR_POS_021',
      'expirationDate',
      `The option expires on ${expiration}, before its Entry Date ${entryDate}`,
    );
    expiration = null;
  }

  let optionType: OptionType | null = null;
  if (v.optionType === '') {
    if (occ !== null) optionType = occ.optionType;
    else
      c.fail(
        'ERR_POS_022',
        'optionType',
        `Option Type is required for an option: CALL or PUT${fromOcc}`,
      );
  } else if (!c.isFormula('optionType', 'ERR_POS_022')) {
    const upper = v.optionType.toUpperCase();
    if (upper !== 'CALL' && upper !== 'PUT') {
      c.fail('ERR_POS_022', 'optionType', `Option Type ${show(v.optionType)} must be CALL or PUT`);
    } else if (occ !== null && upper !== occ.optionType) {
      c.fail('ERR_POS_022', 'optionType', disagrees(v, 'optionType', occ.optionType));
    } else {
      optionType = upper;
    }
  }

  if (underlying === null || strike === null || expiration === null || optionType === null) {
    return null;
  }
  return { underlying, strike, expiration, optionType };
}

function disagrees(v: RowValues, column: ColumnKey, occValue: string): string {
  return `${COLUMN_HEADER[column]} ${show(v[column])} does not match the OCC symbol, which says ${occValue}`;
}
