import { expect, it } from 'vitest';
import { HEADER, parseLines, row, stock } from './csv-test-helpers.ts';

it('rejects OCC-shaped symbols that cannot be contracts with ERR_POS_027, not as stocks', () => {
  const bad = [
    'AAPL251399C00100000', // month 13
    'AAPL250231C00150000', // 31 February
    'AAPL250117C00000000', // strike 0
    'AAPL25AB17C00150000', // letters in the expiry
    'AAPL250117C0015X000', // a letter in the strike
  ];
  const result = parseLines([HEADER, ...bad.map((symbol) => stock({ symbol }))]);
  expect(result.positions).toEqual([]);
  expect(result.errors.map((e) => [e.row, e.code, e.field])).toEqual(
    bad.map((_, i) => [i + 2, 'ERR_POS_027', 'Symbol']),
  );
  expect(result.errors[0]!.message).toMatch(/OCC option contract .* month 13/);
  expect(result.errors[2]!.message).toMatch(/strike is 0/);
});

it('leaves ordinary tickers and valid contracts alone', () => {
  const result = parseLines([
    HEADER,
    stock({ symbol: 'BRK.B' }),
    stock({ symbol: 'AAPL250117C00150000', entryDate: '2024-06-03' }),
    stock({ symbol: 'LONGNAMEDFUND2024' }),
  ]);
  expect(result.errors).toEqual([]);
  expect(result.positions.map((p) => p.investmentClass)).toEqual(['PUBLIC', 'OPTIONS', 'PUBLIC']);
});

it('an OCC symbol that contradicts its explicit option columns is an error on each column', () => {
  const result = parseLines([
    HEADER,
    row({
      symbol: 'AAPL250117C00150000',
      quantity: '1',
      entryPrice: '5',
      entryDate: '2024-06-03',
      investmentClass: 'OPTIONS',
      underlyingSymbol: 'MSFT',
      strikePrice: '200',
      expirationDate: '2025-02-21',
      optionType: 'PUT',
    }),
  ]);
  expect(result.positions).toEqual([]);
  expect(result.errors.map((e) => e.code)).toEqual([
    'ERR_POS_019',
    'ERR_POS_020',
    'ERR_POS_021',
    'ERR_POS_022',
  ]);
});
