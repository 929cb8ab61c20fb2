/**
 * SPEC §3.1's 13 factors in display order, written out here (not imported from src/) so the
 * tests hold the code to the spec.
 */
export const SPEC_FACTOR_NAMES = [
  'Market Beta (90D)',
  'Provider Beta (1Y)',
  'IR Beta',
  'Momentum',
  'Value',
  'Growth',
  'Size',
  'Quality',
  'Low Volatility',
  'Growth-Value Spread',
  'Momentum Spread',
  'Size Spread',
  'Quality Spread',
];
