import type { NewPosition } from '../../src/db/repositories/position-repository.ts';

/** A public stock lot (short when `quantity` < 0); `extra` turns it into an ETF, option, exit… */
export const stock = (
  symbol: string,
  quantity: number,
  entryPrice: number,
  entryDate: string,
  extra: Partial<NewPosition> = {},
): NewPosition => ({
  symbol,
  positionType: quantity > 0 ? 'LONG' : 'SHORT',
  quantity,
  entryPrice,
  entryDate,
  exitDate: null,
  exitPrice: null,
  investmentClass: 'PUBLIC',
  investmentSubtype: 'STOCK',
  underlyingSymbol: null,
  strikePrice: null,
  expirationDate: null,
  optionType: null,
  ...extra,
});
