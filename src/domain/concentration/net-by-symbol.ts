/** A holding as the analytics see it: a symbol and its signed market value in dollars. */
export interface ValuedPosition {
  symbol: string;
  /** Signed: negative for shorts. */
  marketValue: number;
}

/**
 * Nets several lots of one symbol into one holding, in order of first appearance. Concentration,
 * sector and correlation all measure exposure to a name, and two lots of AAPL are one bet: left
 * apart, they would halve each other's weight and correlate perfectly with each other.
 * A non-finite value throws: it would otherwise poison every weight silently.
 */
export function netBySymbol(positions: readonly ValuedPosition[]): ValuedPosition[] {
  const bySymbol = new Map<string, number>();
  for (const p of positions) {
    if (!Number.isFinite(p.marketValue)) {
      throw new RangeError(`Market value of ${p.symbol} is not finite: ${p.marketValue}`);
    }
    bySymbol.set(p.symbol, (bySymbol.get(p.symbol) ?? 0) + p.marketValue);
  }
  return [...bySymbol].map(([symbol, marketValue]) => ({ symbol, marketValue }));
}
