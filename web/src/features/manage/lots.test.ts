import { describe, expect, it } from 'vitest';
import { compareLots, halfOf, isExpired, isSold, lotKind, realizedPnl } from './lots.ts';

const lot = {
  position_type: 'LONG' as const,
  investment_class: 'PUBLIC' as const,
  quantity: 100,
  entry_price: 150.25,
  exit_date: null as string | null,
  exit_price: null as number | null,
};

describe('lot helpers', () => {
  it('names the kind of lot', () => {
    expect(lotKind(lot)).toBe('Long');
    expect(lotKind({ position_type: 'SP', investment_class: 'OPTIONS' })).toBe('Short put');
    expect(lotKind({ position_type: 'LONG', investment_class: 'PRIVATE' })).toBe('Private');
  });

  it('computes realized P&L of sold lots only, shorts and options included', () => {
    expect(realizedPnl(lot)).toBeNull();
    expect(isSold(lot)).toBe(false);
    const sold = { ...lot, quantity: 50, exit_date: '2026-07-01', exit_price: 160.1 };
    expect(isSold(sold)).toBe(true);
    expect(realizedPnl(sold)).toBe(492.5);
    expect(
      realizedPnl({ ...sold, position_type: 'SHORT', quantity: -50, exit_price: 140.25 }),
    ).toBe(500);
    expect(
      realizedPnl({
        ...sold,
        investment_class: 'OPTIONS',
        position_type: 'LC',
        quantity: 2,
        entry_price: 5,
        exit_price: 4.5,
      }),
    ).toBe(-100);
    expect(realizedPnl({ ...sold, exit_price: 150.25 })).toBe(0);
  });

  it('tells an option that expired unsold from an open or sold lot', () => {
    const put = { exit_date: null, is_open: false, expiration_date: '2026-05-15' };
    expect(isExpired(put)).toBe(true);
    expect(isExpired({ ...put, is_open: true })).toBe(false);
    expect(isExpired({ ...put, exit_date: '2026-04-01' })).toBe(false);
    expect(isExpired({ ...put, expiration_date: null })).toBe(false);
  });

  it('halves a lot in whole units when it has them', () => {
    expect(halfOf(100)).toBe(50);
    expect(halfOf(101)).toBe(50);
    expect(halfOf(-40)).toBe(-20);
    expect(halfOf(-41)).toBe(-20);
    expect(halfOf(2.5)).toBe(1.25);
  });

  it('orders open lots first, newest first, then sold ones', () => {
    const rows = [
      { symbol: 'A', entry_date: '2026-01-01', exit_date: '2026-03-01' },
      { symbol: 'B', entry_date: '2026-02-01', exit_date: null },
      { symbol: 'C', entry_date: '2026-01-15', exit_date: null },
      { symbol: 'D', entry_date: '2026-01-01', exit_date: '2026-04-01' },
    ];
    expect([...rows].sort(compareLots).map((r) => r.symbol)).toEqual(['B', 'C', 'D', 'A']);
  });
});
