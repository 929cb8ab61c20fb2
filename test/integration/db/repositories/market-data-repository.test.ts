import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../../../src/db/database.ts';
import {
  MarketDataRepository,
  type DailyClose,
} from '../../../../src/db/repositories/market-data-repository.ts';
import { loadSamplePrices } from '../../../../src/market/providers/sample/load-sample-prices.ts';
import type { SamplePriceSet } from '../../../../src/market/providers/sample/load-sample-prices.ts';
import { describeOnEachEngine } from '../../../helpers/test-database.ts';

let sample: SamplePriceSet;
let allRows: DailyClose[];
beforeAll(async () => {
  sample = await loadSamplePrices();
  allRows = [];
  for (const symbol of sample.symbols) {
    const closes = sample.closes.get(symbol)!;
    sample.dates.forEach((date, i) => allRows.push({ symbol, date, close: closes[i]! }));
  }
});

describeOnEachEngine('MarketDataRepository', ({ database }) => {
  it('bulk-loads the whole bundled sample (334,560 closes) and reads it back exactly', async () => {
    const repo = new MarketDataRepository(database().db);
    expect(await repo.upsertCloses(allRows, 'sample')).toBe(334_560);
    const [count] = await queryRows<{ n: number }>(
      database().db,
      sql`SELECT count(*)::int AS n FROM market_data_cache`,
    );
    expect(count!.n).toBe(334_560);

    const spy = await repo.getCloseSeries('SPY', '2020-03-20', '2020-03-24');
    expect(spy.dates).toEqual(['2020-03-20', '2020-03-23', '2020-03-24']);
    expect(spy.closes[1]).toBe(204.418213);

    const many = await repo.getCloseSeriesMany(['AAPL', 'TLT', 'NOPE'], '2018-06-19', '2026-07-31');
    expect([...many.keys()].sort()).toEqual(['AAPL', 'TLT']);
    expect(many.get('AAPL')!.closes.length).toBe(2040);
    expect(many.get('AAPL')!.closes[0]).toBe(43.751472);
    expect(Array.from(many.get('TLT')!.closes)).toEqual(Array.from(sample.closes.get('TLT')!));
  });

  it('upserts: re-writing the same rows changes nothing, a changed close replaces the old one', async () => {
    const repo = new MarketDataRepository(database().db);
    const aapl = allRows.filter((r) => r.symbol === 'AAPL');
    await repo.upsertCloses(aapl, 'sample');
    const [before] = await queryRows<{ n: number }>(
      database().db,
      sql`SELECT count(*)::int AS n FROM market_data_cache WHERE symbol = 'AAPL'`,
    );
    expect(before!.n).toBe(2040);

    await repo.upsertCloses([{ symbol: 'AAPL', date: '2018-06-19', close: 50.5 }], 'csv');
    const series = await repo.getCloseSeries('AAPL', '2018-06-19', '2018-06-20');
    expect(Array.from(series.closes)).toEqual([50.5, 43.942329]);
    const coverage = await repo.getCoverage(['AAPL', 'ZZZZ']);
    expect(coverage.get('AAPL')).toEqual({ first: '2018-06-19', last: '2026-07-31', rows: 2040 });
    expect(coverage.has('ZZZZ')).toBe(false);
  });
});
