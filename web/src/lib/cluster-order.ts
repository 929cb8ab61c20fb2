/**
 * An order of symbols that puts correlated holdings next to each other, so a heatmap shows
 * clusters: start from the symbol most correlated with the rest, then keep appending the
 * remaining symbol most correlated with the last one placed (a nearest-neighbour chain).
 */
export function clusterOrder(
  symbols: string[],
  matrix: Record<string, Record<string, number | null>>,
): string[] {
  if (symbols.length <= 2) return [...symbols];
  const r = (a: string, b: string) => matrix[a]?.[b] ?? 0;
  const strength = (s: string) => symbols.reduce((sum, o) => (o === s ? sum : sum + r(s, o)), 0);
  const remaining = new Set(symbols);
  let current = symbols.reduce((best, s) => (strength(s) > strength(best) ? s : best), symbols[0]!);
  const order = [current];
  remaining.delete(current);
  while (remaining.size > 0) {
    let next: string | null = null;
    for (const s of remaining) if (next === null || r(current, s) > r(current, next)) next = s;
    order.push(next!);
    remaining.delete(next!);
    current = next!;
  }
  return order;
}
