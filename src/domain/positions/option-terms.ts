import type { IsoDate } from '../dates.ts';
import { parseOccSymbol } from '../symbols.ts';
import type { InvestmentClass, OptionType } from './value-sets.ts';

/** An option lot's contract: from its own columns, else read from its OCC symbol. */
export interface OptionTerms {
  underlying: string;
  kind: OptionType;
  strike: number;
  expiration: IsoDate;
}

/** The fields of a stored lot the rule reads. */
export interface OptionTermsSource {
  symbol: string;
  investmentClass: InvestmentClass;
  underlyingSymbol: string | null;
  optionType: OptionType | null;
  strikePrice: number | null;
  expirationDate: string | null;
}

/**
 * The one rule for an option lot's terms (pricing, Greeks, betas and the read side all use
 * it): explicit columns win, the OCC symbol fills what they leave out; null for a lot that is
 * not an option or whose terms are incomplete.
 */
export function optionTermsOf(p: OptionTermsSource): OptionTerms | null {
  if (p.investmentClass !== 'OPTIONS') return null;
  const occ = parseOccSymbol(p.symbol);
  const underlying = p.underlyingSymbol ?? occ?.underlying;
  const kind = p.optionType ?? occ?.optionType;
  const strike = p.strikePrice ?? occ?.strike;
  const expiration = p.expirationDate ?? occ?.expiration;
  if (!underlying || !kind || strike === undefined || strike === null || !expiration) return null;
  return { underlying: underlying.toUpperCase(), kind, strike, expiration };
}
