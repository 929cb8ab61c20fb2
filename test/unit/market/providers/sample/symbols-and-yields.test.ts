import { describe, expect, it } from 'vitest';
import { loadSampleSymbols } from '../../../../../src/market/providers/sample/load-sample-symbols.ts';
import { loadTreasuryBillRates } from '../../../../../src/market/providers/sample/load-treasury-bill-rates.ts';
import { loadTreasuryYields } from '../../../../../src/market/providers/sample/load-treasury-yields.ts';

describe('bundled sample symbols', () => {
  it('has 34 ETFs and 130 stocks, unique symbols', async () => {
    const symbols = await loadSampleSymbols();
    expect(symbols).toHaveLength(164);
    expect(symbols.filter((s) => s.type === 'etf')).toHaveLength(34);
    expect(symbols.filter((s) => s.type === 'stock')).toHaveLength(130);
    expect(new Set(symbols.map((s) => s.symbol)).size).toBe(164);
  });

  it('marks the core factor ETFs the file flags True', async () => {
    const bySymbol = new Map((await loadSampleSymbols()).map((s) => [s.symbol, s]));
    for (const symbol of ['SPY', 'VTV', 'VUG', 'MTUM', 'IWM', 'QUAL', 'USMV', 'TLT']) {
      expect(bySymbol.get(symbol), symbol).toMatchObject({
        type: 'etf',
        sector: null,
        isCoreFactorEtf: true,
      });
    }
    expect(bySymbol.get('SPY')?.role).toBe('market (S&P 500)');
    expect(bySymbol.get('SPY')?.name).toBe('SPDR S&P 500 ETF Trust');
    expect(bySymbol.get('XLK')).toMatchObject({ type: 'etf', isCoreFactorEtf: false });
    const core = [...bySymbol.values()].filter((s) => s.isCoreFactorEtf).map((s) => s.symbol);
    expect(core).toHaveLength(13);
  });

  it('gives stocks a GICS sector and no role', async () => {
    const symbols = await loadSampleSymbols();
    expect(symbols.find((s) => s.symbol === 'AAPL')).toEqual({
      symbol: 'AAPL',
      name: 'Apple Inc.',
      type: 'stock',
      sector: 'Information Technology',
      role: null,
      isCoreFactorEtf: false,
    });
    // No '\r' may leak into the last column or the sector.
    for (const s of symbols) {
      expect(s.name.length, s.symbol).toBeGreaterThan(1);
      if (s.type === 'stock') expect(s.sector).toMatch(/^[A-Za-z ]+$/);
      else expect(s.role).toBeTruthy();
    }
  });
});

describe('bundled treasury yields', () => {
  it('reads the FRED window in percent, ascending, aligned columns', async () => {
    const y = await loadTreasuryYields();
    expect(y.dates).toHaveLength(2_029);
    expect(y.dates[0]).toBe('2018-06-19');
    expect(y.dates.at(-1)).toBe('2026-07-31');
    for (const col of [y.dgs2, y.dgs10, y.dgs30]) expect(col).toHaveLength(2_029);
    expect([y.dgs2[0], y.dgs10[0], y.dgs30[0]]).toEqual([2.54, 2.89, 3.02]);
    expect(y.dgs10[y.dates.indexOf('2020-03-23')]).toBe(0.76);
    for (let i = 1; i < y.dates.length; i++) {
      expect((y.dates[i - 1] as string) < (y.dates[i] as string)).toBe(true);
    }
  });
});

describe('bundled 3-month bill rates', () => {
  it('holds one quote per price session, in percent, negative ones included', async () => {
    const r = await loadTreasuryBillRates();
    expect(r.dates).toHaveLength(2_040);
    expect(r.dates[0]).toBe('2018-06-19');
    expect(r.dates.at(-1)).toBe('2026-07-31');
    expect(r.ratePercent[0]).toBe(1.898);
    // ^IRX dipped below zero in the March 2020 dash for cash.
    expect(r.ratePercent[r.dates.indexOf('2020-03-26')]).toBe(-0.105);
  });
});
