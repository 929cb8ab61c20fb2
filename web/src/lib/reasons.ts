/** The API's `reason` codes of `available: false`, in words. */
const REASONS: Record<string, string> = {
  no_calculation_available: 'no calculation has finished for this portfolio yet',
  insufficient_data: 'there is not enough price history yet',
  no_portfolios: 'you have no calculated portfolios yet',
  no_positions: 'the portfolio holds no positions',
  no_public_positions: 'the portfolio holds no publicly traded positions',
};

export function reasonInWords(reason: string | null | undefined): string {
  if (!reason) return 'the data is not available';
  return REASONS[reason] ?? reason.replace(/_/g, ' ');
}

/** Why a holding is left out of the correlation matrix, in words. */
const EXCLUSIONS: Record<string, string> = {
  below_threshold: 'too small a position',
  no_prices: 'no prices in the window',
  insufficient_data: 'too short a price history',
  max_symbols: 'beyond the largest holdings shown',
  private_asset: 'private asset, no market prices',
  option: 'option, priced through its underlying',
};

export function exclusionInWords(reason: string): string {
  return EXCLUSIONS[reason] ?? reason.replace(/_/g, ' ');
}
