/**
 * A scenario's P&L in percentage points of NAV, to 4 decimals (1/100th of a basis point): more
 * digits are float noise (8.505573850000001) that no reader of a stress report wants.
 */
export function percentOfNav(pnl: number, nav: number): number | null {
  if (!(nav > 0)) return null;
  return Math.round((pnl / nav) * 1_000_000) / 10_000;
}
