import type { OptionType } from './positions/value-sets.ts';
/**
 * Symbol classification rules shared by the CSV importer and the batch universe (SPEC §8):
 * private assets carry an underscore or the FO_/EQ_ prefixes and never reach a market-data
 * provider.
 */
export function isPrivateAssetSymbol(symbol: string): boolean {
  const upper = symbol.toUpperCase();
  return symbol.includes('_') || upper.startsWith('FO_') || upper.startsWith('EQ_');
}

/** OCC option symbol: root (1–6 chars), YYMMDD, C/P, strike × 1000 in 8 digits. */
const OCC_PATTERN = /^([A-Z0-9.]{1,6})(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;

export interface OccContract {
  underlying: string;
  expiration: string;
  optionType: OptionType;
  strike: number;
}

export function parseOccSymbol(symbol: string): OccContract | null {
  const m = OCC_PATTERN.exec(symbol.toUpperCase().replace(/\s+/g, ''));
  if (!m) return null;
  const [, root, yy, mm, dd, cp, strike] = m;
  const month = Number(mm);
  const day = Number(dd);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return {
    underlying: root!,
    expiration: `20${yy}-${mm}-${dd}`,
    optionType: cp === 'C' ? 'CALL' : 'PUT',
    strike: Number(strike) / 1000,
  };
}

/**
 * Shaped like an OCC contract — root, six date characters, C or P, eight strike characters,
 * mostly digits — whether or not its contents make sense (`AAPL251399C00100000`, month 13). No
 * ticker looks like this, so such a symbol is a mistyped contract, never a stock.
 */
const OCC_SHAPE = /^([A-Z][A-Z0-9.]{0,5})([0-9A-Z]{6})([CP])([0-9A-Z]{8})$/;

/** Why an OCC-shaped symbol is not a valid contract; null when it is one or is not OCC-shaped. */
export function impossibleOccSymbol(symbol: string): string | null {
  const compact = symbol.toUpperCase().replace(/\s+/g, '');
  const m = OCC_SHAPE.exec(compact);
  if (!m) return null;
  const [, , date, , strike] = m;
  const digits = (date! + strike!).replace(/\D/g, '').length;
  if (digits < 8) return null;
  if (!/^\d{6}$/.test(date!)) {
    return `its expiry "${date}" must be six digits YYMMDD`;
  }
  if (!/^\d{8}$/.test(strike!)) {
    return `its strike "${strike}" must be eight digits (the price × 1000)`;
  }
  const month = Number(date!.slice(2, 4));
  const day = Number(date!.slice(4, 6));
  const year = 2000 + Number(date!.slice(0, 2));
  const daysInMonth =
    month >= 1 && month <= 12 ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 0;
  if (month < 1 || month > 12) return `its expiry month ${date!.slice(2, 4)} is not 01–12`;
  if (day < 1 || day > daysInMonth) {
    return `its expiry day ${date!.slice(4, 6)} does not exist in ${year}-${date!.slice(2, 4)}`;
  }
  if (Number(strike) === 0) return 'its strike is 0';
  return null;
}
