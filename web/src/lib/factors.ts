/** The 13 factors as SPEC §3.1 names them, in the three groups the Risk page shows. */
export const MARKET_FACTORS = ['Market Beta (90D)', 'Provider Beta (1Y)', 'IR Beta'];
export const STYLE_FACTORS = ['Momentum', 'Value', 'Growth', 'Size', 'Quality', 'Low Volatility'];
export const SPREAD_FACTORS = [
  'Growth-Value Spread',
  'Momentum Spread',
  'Size Spread',
  'Quality Spread',
];

export type FactorGroup = 'market' | 'style' | 'spread';

export function factorGroupOf(name: string): FactorGroup {
  if (MARKET_FACTORS.includes(name)) return 'market';
  if (SPREAD_FACTORS.includes(name) || / Spread$/.test(name)) return 'spread';
  return 'style';
}

/**
 * The three factors with the largest absolute beta: what the dashboard shows at a glance (the
 * API's display order breaks ties, so the pick is stable).
 */
export function topFactorBetas<T extends { name: string; beta: number | null }>(
  factors: T[],
  count = 3,
): T[] {
  return factors
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => f.beta !== null && Number.isFinite(f.beta))
    .sort((a, b) => Math.abs(b.f.beta!) - Math.abs(a.f.beta!) || a.i - b.i)
    .slice(0, count)
    .map(({ f }) => f);
}
