import { describe, expect, it } from 'vitest';
import { resolveSymbolUniverse } from '../../../../src/pipeline/symbol-batch/universe.ts';
import { isPrivateAssetSymbol, parseOccSymbol } from '../../../../src/domain/symbols.ts';

describe('resolveSymbolUniverse', () => {
  it('takes positions, factor ETFs and registered symbols; drops private assets and expired options', () => {
    const u = resolveSymbolUniverse({
      date: '2025-06-02',
      factorEtfs: ['SPY', 'TLT'],
      registered: [
        { symbol: 'NVDA', assetType: 'equity' },
        { symbol: 'AAPL250117C00150000', assetType: 'equity' },
      ],
      positions: [
        { symbol: 'AAPL', investmentClass: 'PUBLIC', underlyingSymbol: null, expirationDate: null },
        { symbol: 'SPY', investmentClass: 'PUBLIC', underlyingSymbol: null, expirationDate: null },
        {
          symbol: 'FO_VINEYARD',
          investmentClass: 'PUBLIC',
          underlyingSymbol: null,
          expirationDate: null,
        },
        {
          symbol: 'BLACKSTONE',
          investmentClass: 'PRIVATE',
          underlyingSymbol: null,
          expirationDate: null,
        },
        {
          symbol: 'MSFT260116C00400000',
          investmentClass: 'OPTIONS',
          underlyingSymbol: 'MSFT',
          expirationDate: '2026-01-16',
        },
        {
          symbol: 'TSLA250117P00200000',
          investmentClass: 'OPTIONS',
          underlyingSymbol: 'TSLA',
          expirationDate: '2025-01-17',
        },
      ],
    });
    expect(u.symbols).toEqual([
      { symbol: 'AAPL', assetType: 'equity' },
      { symbol: 'MSFT', assetType: 'option_underlying' },
      { symbol: 'NVDA', assetType: 'equity' },
      { symbol: 'SPY', assetType: 'etf' },
      { symbol: 'TLT', assetType: 'etf' },
    ]);
    expect(u.optionContracts).toEqual(['MSFT260116C00400000']);
    expect(u.excluded).toEqual(
      expect.arrayContaining([
        { symbol: 'FO_VINEYARD', reason: 'private_asset' },
        { symbol: 'BLACKSTONE', reason: 'private_asset' },
        { symbol: 'TSLA250117P00200000', reason: 'expired_option' },
        { symbol: 'AAPL250117C00150000', reason: 'expired_option' },
      ]),
    );
    expect(u.excluded).toHaveLength(4);
  });
});

describe('symbol rules', () => {
  it('recognises private-asset symbols', () => {
    expect(isPrivateAssetSymbol('FO_REAL_ESTATE')).toBe(true);
    expect(isPrivateAssetSymbol('EQ_SEED_ROUND')).toBe(true);
    expect(isPrivateAssetSymbol('eq_lower')).toBe(true);
    expect(isPrivateAssetSymbol('BRK.B')).toBe(false);
    expect(isPrivateAssetSymbol('EQIX')).toBe(false);
  });

  it('parses OCC option symbols', () => {
    expect(parseOccSymbol('AAPL250117C00150000')).toEqual({
      underlying: 'AAPL',
      expiration: '2025-01-17',
      optionType: 'CALL',
      strike: 150,
    });
    expect(parseOccSymbol('SPY260320P00512500')).toEqual({
      underlying: 'SPY',
      expiration: '2026-03-20',
      optionType: 'PUT',
      strike: 512.5,
    });
    expect(parseOccSymbol('AAPL')).toBeNull();
    expect(parseOccSymbol('AAPL251317C00150000')).toBeNull();
  });
});
