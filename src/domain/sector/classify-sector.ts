import { isPrivateAssetSymbol } from '../symbols.ts';
import { GICS_SECTORS, type GicsSector } from './sp500-sector-weights.ts';

/** The 11 Select Sector SPDR ETFs: each holds one S&P 500 sector, so its value is that sector's. */
export const SECTOR_ETFS: Readonly<Record<string, GicsSector>> = {
  XLE: 'Energy',
  XLB: 'Materials',
  XLI: 'Industrials',
  XLY: 'Consumer Discretionary',
  XLP: 'Consumer Staples',
  XLV: 'Health Care',
  XLF: 'Financials',
  XLK: 'Information Technology',
  XLC: 'Communication Services',
  XLU: 'Utilities',
  XLRE: 'Real Estate',
};

/**
 * Funds that track the S&P 500 itself. They hold the benchmark, so their value is spread over
 * the sectors by the benchmark's own weights: a book that is half SPY is not "underweight every
 * sector by half", as leaving it unclassified would say.
 */
export const SP500_INDEX_FUNDS: ReadonlySet<string> = new Set(['SPY', 'IVV', 'VOO', 'SPLG']);

/**
 * Names data providers use for GICS sectors. Yahoo Finance reports Morningstar-style sectors
 * ("Technology", "Consumer Cyclical", …), and older data has the pre-2018 "Telecommunication
 * Services"; without these aliases most of a Yahoo-profiled book would land in "unclassified".
 */
const SECTOR_ALIASES: Readonly<Record<string, GicsSector>> = {
  technology: 'Information Technology',
  'information technology': 'Information Technology',
  healthcare: 'Health Care',
  'health care': 'Health Care',
  'financial services': 'Financials',
  financial: 'Financials',
  financials: 'Financials',
  'consumer cyclical': 'Consumer Discretionary',
  'consumer discretionary': 'Consumer Discretionary',
  'consumer defensive': 'Consumer Staples',
  'consumer staples': 'Consumer Staples',
  'basic materials': 'Materials',
  materials: 'Materials',
  'communication services': 'Communication Services',
  'telecommunication services': 'Communication Services',
  energy: 'Energy',
  industrials: 'Industrials',
  'real estate': 'Real Estate',
  utilities: 'Utilities',
};

export type UnclassifiedReason = 'private_asset' | 'non_sector_etf' | 'unknown_sector';

export interface SectorHolding {
  symbol: string;
  /** Signed market value (an option: its delta-adjusted underlying value, under the underlying). */
  marketValue: number;
  /** The profile's sector (GICS or a provider's name for it); null/absent when unknown. */
  sector?: string | null;
  isEtf?: boolean;
  isPrivate?: boolean;
}

export type SectorClass =
  { sector: GicsSector } | { benchmark: true } | { unclassified: UnclassifiedReason };

/**
 * First match wins: private assets (flag or symbol pattern) have no GICS sector; a sector ETF is
 * its sector; an S&P 500 index fund is the benchmark (`{benchmark: true}`); any other ETF is
 * unclassified (a broad or factor fund spans sectors, and we do not look through its holdings);
 * then the profile's sector by name or alias; else unknown.
 */
export function classifySector(holding: SectorHolding): SectorClass {
  if (holding.isPrivate === true || isPrivateAssetSymbol(holding.symbol)) {
    return { unclassified: 'private_asset' };
  }
  const etfSector = SECTOR_ETFS[holding.symbol.toUpperCase()];
  if (etfSector !== undefined) return { sector: etfSector };
  if (SP500_INDEX_FUNDS.has(holding.symbol.toUpperCase())) return { benchmark: true };
  if (holding.isEtf === true) return { unclassified: 'non_sector_etf' };
  const sector = normaliseSector(holding.sector);
  return sector === null ? { unclassified: 'unknown_sector' } : { sector };
}

/** A GICS sector name for a provider's sector text, or null when it is not one we know. */
export function normaliseSector(text: string | null | undefined): GicsSector | null {
  if (text === null || text === undefined) return null;
  const key = text.trim().toLowerCase();
  return SECTOR_ALIASES[key] ?? GICS_SECTORS.find((s) => s.toLowerCase() === key) ?? null;
}
