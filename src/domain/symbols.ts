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
  optionType: 'CALL' | 'PUT';
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
