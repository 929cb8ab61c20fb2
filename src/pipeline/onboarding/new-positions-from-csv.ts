import type { ParsedPosition } from '../../domain/csv/parse-positions-csv.ts';
import type { NewPosition } from '../../db/repositories/position-repository.ts';

/**
 * Parsed CSV rows as repository inserts. Quantities and prices travel as the CSV's exact decimal
 * text, so a `numeric` column stores what the file said rather than a float's rounding of it.
 */
export function newPositionsFromCsv(parsed: readonly ParsedPosition[]): NewPosition[] {
  return parsed.map((p) => ({
    symbol: p.symbol,
    positionType: p.positionType,
    quantity: p.quantityText,
    entryPrice: p.entryPriceText,
    entryDate: p.entryDate,
    exitDate: p.exitDate,
    exitPrice: p.exitPriceText,
    investmentClass: p.investmentClass,
    investmentSubtype: p.investmentSubtype,
    underlyingSymbol: p.underlyingSymbol,
    strikePrice: p.strikePriceText,
    expirationDate: p.expirationDate,
    optionType: p.optionType,
  }));
}
