import type { PositionDetail } from '../../api/types.ts';

type Lot = Pick<
  PositionDetail,
  'position_type' | 'investment_class' | 'quantity' | 'entry_price' | 'exit_date' | 'exit_price'
>;

const KIND: Record<PositionDetail['position_type'], string> = {
  LONG: 'Long',
  SHORT: 'Short',
  LC: 'Long call',
  LP: 'Long put',
  SC: 'Short call',
  SP: 'Short put',
};

/** What a lot is, in words: `Long`, `Short put`, `Private`. */
export function lotKind(lot: Pick<Lot, 'position_type' | 'investment_class'>): string {
  return lot.investment_class === 'PRIVATE' ? 'Private' : KIND[lot.position_type];
}

/** Sold: it has an exit (whatever the calculation date; the table shows the book as entered). */
export function isSold(lot: Pick<Lot, 'exit_date'>): boolean {
  return lot.exit_date !== null;
}

/**
 * An option that expired unsold: the API lists it as not open at the calculation date though
 * it has no exit. It cannot be sold any more.
 */
export function isExpired(
  lot: Pick<PositionDetail, 'exit_date' | 'is_open' | 'expiration_date'>,
): boolean {
  return lot.exit_date === null && !lot.is_open && lot.expiration_date !== null;
}

/** Shares per unit of quantity: 100 for an option contract. */
export function multiplierOf(lot: Pick<Lot, 'investment_class'>): number {
  return lot.investment_class === 'OPTIONS' ? 100 : 1;
}

/**
 * Realized P&L of a sold lot, `(exit − entry) × quantity × multiplier` (the API's rule; a
 * short's negative quantity makes a fall a gain), to the cent; null while the lot is open.
 */
export function realizedPnl(lot: Lot): number | null {
  if (lot.exit_date === null || lot.exit_price === null) return null;
  const pnl = (lot.exit_price - lot.entry_price) * lot.quantity * multiplierOf(lot);
  return Math.round(pnl * 100) / 100 || 0;
}

/** Half of a lot, for the sell form's "half" shortcut: whole units when the lot has them. */
export function halfOf(quantity: number): number {
  const half = quantity / 2;
  return Number.isInteger(quantity) && !Number.isInteger(half)
    ? Math.trunc(half)
    : Number(half.toFixed(6));
}

/** Open lots first (newest entry first), then sold ones (latest exit first). */
export function compareLots(
  a: Pick<Lot, 'exit_date'> & { entry_date: string; symbol: string },
  b: Pick<Lot, 'exit_date'> & { entry_date: string; symbol: string },
): number {
  if (isSold(a) !== isSold(b)) return isSold(a) ? 1 : -1;
  const byDate = isSold(a)
    ? b.exit_date!.localeCompare(a.exit_date!)
    : b.entry_date.localeCompare(a.entry_date);
  return byDate || a.symbol.localeCompare(b.symbol);
}
