import { describe, expect, it } from 'vitest';
import { planPriceRanges } from '../../../../src/pipeline/symbol-batch/phase-1-prices.ts';
import { SymbolCache } from '../../../../src/pipeline/symbol-cache.ts';

describe('planPriceRanges (phase 1 asks only for what is missing)', () => {
  const coverage = new Map([
    ['AAPL', { first: '2023-07-31', last: '2024-07-09' }],
    ['NEW', { first: '2024-05-01', last: '2024-07-10' }],
    ['DONE', { first: '2023-01-03', last: '2024-07-10' }],
  ]);
  const asked = new Map<string, string | null>([
    ['NEW', '2023-07-11'],
    ['AAPL', null],
  ]);

  it('fetches the whole window for an unseen symbol, the tail for a stale one, nothing for a current one', () => {
    const plan = planPriceRanges(
      ['AAPL', 'NEW', 'DONE', 'MSFT'],
      coverage,
      asked,
      '2023-07-11',
      '2024-07-10',
    );
    expect(plan.get('MSFT')).toEqual([{ from: '2023-07-11', to: '2024-07-10' }]);
    expect(plan.get('AAPL')).toEqual([
      { from: '2024-07-10', to: '2024-07-10' },
      { from: '2023-07-11', to: '2023-07-30' },
    ]);
    // NEW's history was already requested from 2023-07-11: a young listing is not re-asked.
    expect(plan.has('NEW')).toBe(false);
    expect(plan.has('DONE')).toBe(false);
  });
});

describe('SymbolCache', () => {
  it('merges adjacent ranges and counts hits and misses', async () => {
    const cache = new SymbolCache();
    cache.putPrices(
      'AAPL',
      '2024-07-01',
      '2024-07-05',
      ['2024-07-01', '2024-07-02', '2024-07-03', '2024-07-05'],
      [1, 2, 3, 5],
    );
    cache.putPrices('AAPL', '2024-07-06', '2024-07-09', ['2024-07-08', '2024-07-09'], [8, 9]);
    const sessions = ['2024-07-02', '2024-07-03', '2024-07-05', '2024-07-08', '2024-07-09'];
    // No database is needed: every symbol is a hit.
    const aligned = await cache.getAlignedCloses(null as never, ['AAPL'], sessions);
    expect(Array.from(aligned.get('AAPL')!)).toEqual([2, 3, 5, 8, 9]);
    expect(cache.stats()).toMatchObject({
      symbols: 1,
      price_points: 6,
      hits: 1,
      misses: 0,
      hit_rate: 1,
    });

    // A range with a gap replaces the entry rather than leaving a hole.
    cache.putPrices('AAPL', '2024-08-01', '2024-08-02', ['2024-08-01', '2024-08-02'], [10, 11]);
    expect(cache.stats().price_points).toBe(2);
    expect(cache.getFactors('AAPL', '2024-08-02')).toBeUndefined();
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, hit_rate: 0.5 });
  });

  it('replaces points inside a re-fetched range', async () => {
    const cache = new SymbolCache();
    cache.putPrices(
      'X',
      '2024-07-01',
      '2024-07-03',
      ['2024-07-01', '2024-07-02', '2024-07-03'],
      [1, 2, 3],
    );
    cache.putPrices(
      'X',
      '2024-07-02',
      '2024-07-04',
      ['2024-07-02', '2024-07-03', '2024-07-04'],
      [20, 30, 40],
    );
    const aligned = await cache.getAlignedCloses(
      null as never,
      ['X'],
      ['2024-07-01', '2024-07-02', '2024-07-03', '2024-07-04'],
    );
    expect(Array.from(aligned.get('X')!)).toEqual([1, 20, 30, 40]);
  });
});
