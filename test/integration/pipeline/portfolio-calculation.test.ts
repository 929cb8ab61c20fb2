import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../../src/db/database.ts';
import { PortfolioRepository } from '../../../src/db/repositories/portfolio-repository.ts';
import { UserRepository } from '../../../src/db/repositories/user-repository.ts';
import { createLogger } from '../../../src/logger.ts';
import { getSampleProvider } from '../../../src/market/create-provider.ts';
import type { MarketDataProvider } from '../../../src/market/provider.ts';
import { calculatePortfolio } from '../../../src/pipeline/onboarding/calculate-portfolio.ts';
import { buildPortfolioReport } from '../../../src/pipeline/reports/portfolio-report.ts';
import { runPortfolioRefresh } from '../../../src/pipeline/portfolio-refresh/run-portfolio-refresh.ts';
import { SymbolCache } from '../../../src/pipeline/symbol-cache.ts';
import { runSymbolBatch } from '../../../src/pipeline/symbol-batch/run-symbol-batch.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';
import { stock } from '../../helpers/stock-position.ts';
import { STRESS_SCENARIOS } from '../../../src/domain/stress/scenarios.ts';

let sample: MarketDataProvider;
beforeAll(async () => {
  sample = await getSampleProvider();
});

describeOnEachEngine('portfolio calculation on the bundled sample data', ({ database }) => {
  const ctx = () => ({
    db: database().db,
    provider: sample,
    cache: new SymbolCache(),
    logger: createLogger('silent'),
  });

  it('onboards a long/short/option/private book: history, factors, 22 stress scenarios, analytics', async () => {
    const user = await new UserRepository(database().db).create({
      email: 'pm@example.com',
      passwordHash: 'x',
      fullName: 'PM',
    });
    const portfolio = await new PortfolioRepository(database().db).createWithPositions({
      userId: user.id,
      name: 'Mixed book',
      accountName: 'MIXED-1',
      accountType: 'taxable',
      equityBalance: '1000000',
      positions: [
        stock('SPY', 1000, 500, '2025-07-01'),
        stock('AAPL', 500, 200, '2026-01-02'),
        stock('XOM', -300, 110, '2026-03-02'),
        stock('MSFT', 100, 400, '2025-09-02', { exitDate: '2026-05-01', exitPrice: 450 }),
        stock('AAPL270115C00250000', 5, 20, '2026-06-01', {
          positionType: 'LC',
          investmentClass: 'OPTIONS',
          investmentSubtype: 'CALL',
          underlyingSymbol: 'AAPL',
          strikePrice: 250,
          expirationDate: '2027-01-15',
          optionType: 'CALL',
        }),
        stock('FO_ART', 1, 50000, '2024-05-01', {
          investmentClass: 'PRIVATE',
          investmentSubtype: 'ART',
        }),
      ],
    });
    const result = await calculatePortfolio(ctx(), portfolio.id, {
      date: '2026-07-31',
      triggeredBy: 'test',
    });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('completed');
    expect(result.unknownSymbols).toEqual(['AAPL', 'MSFT', 'SPY', 'XOM']);

    const report = (await buildPortfolioReport(database().db, portfolio.id, '2026-07-31'))!;
    expect(report.available).toBe(true);
    expect(report.snapshot!.netAssetValue).toBeCloseTo(1_000_000, 2);
    expect(report.snapshot!.numOptionPositions).toBe(1);
    expect(report.snapshot!.numPrivatePositions).toBe(1);
    expect(report.snapshot!.numShortPositions).toBe(1);
    expect(report.factor_exposures).toHaveLength(13);
    expect(report.stress_results).toHaveLength(STRESS_SCENARIOS.length);
    const down10 = report.stress_results!.find((s) => s.id === 'market_down_10')!;
    expect(down10.correlated_pnl).toBeLessThan(0);
    expect(report.volatility!.realized_volatility_21d).toBeGreaterThan(0);
    expect(report.concentration!.hhi).toBeGreaterThan(0);
    expect(report.correlations!.pairs.length).toBeGreaterThan(0);

    // History back-cast from the earliest entry (the private asset, 2024-05-01), one row per session.
    const [counts] = await queryRows<{ n: number; first: string }>(
      database().db,
      sql`SELECT count(*)::int AS n, min(snapshot_date) AS first FROM portfolio_snapshots WHERE portfolio_id = ${portfolio.id}`,
    );
    expect(counts!.first).toBe('2024-05-01');
    expect(counts!.n).toBeGreaterThan(500);
    const [latest] = await queryRows<{ complete: boolean }>(
      database().db,
      sql`SELECT is_complete AS complete FROM portfolio_snapshots WHERE portfolio_id = ${portfolio.id} AND snapshot_date = '2026-07-31'`,
    );
    expect(latest!.complete).toBe(true);
  });

  it('a refresh for a date with complete snapshots has nothing to do; a full recompute gives the same numbers', async () => {
    const before = await queryRows<{ d: string; nav: number; pnl: number }>(
      database().db,
      sql`SELECT snapshot_date AS d, net_asset_value::float8 AS nav, daily_pnl::float8 AS pnl FROM portfolio_snapshots ORDER BY snapshot_date`,
    );
    const noop = await runPortfolioRefresh(ctx(), { date: '2026-07-31', triggeredBy: 'test' });
    expect(noop.results).toHaveLength(0);
    const [portfolio] = await queryRows<{ id: string }>(
      database().db,
      sql`SELECT id FROM portfolios`,
    );
    const full = await runPortfolioRefresh(ctx(), {
      date: '2026-07-31',
      portfolioId: portfolio!.id,
      mode: 'full',
      triggeredBy: 'test',
    });
    expect(full.status).toBe('completed');
    const after = await queryRows<{ d: string; nav: number; pnl: number }>(
      database().db,
      sql`SELECT snapshot_date AS d, net_asset_value::float8 AS nav, daily_pnl::float8 AS pnl FROM portfolio_snapshots ORDER BY snapshot_date`,
    );
    expect(after).toEqual(before);
  });

  it('a missed day is filled by the next run, equity rolls forward from the anchor, and re-running a date changes nothing', async () => {
    const user = await new UserRepository(database().db).create({
      email: 'missed@example.com',
      passwordHash: 'x',
      fullName: null,
    });
    const portfolio = await new PortfolioRepository(database().db).createWithPositions({
      userId: user.id,
      name: 'Missed days',
      accountName: 'MISSED-1',
      accountType: 'ira',
      equityBalance: '100000',
      positions: [stock('KO', 200, 60, '2026-07-01'), stock('JNJ', 100, 150, '2026-07-01')],
    });
    const onboard = await calculatePortfolio(ctx(), portfolio.id, {
      date: '2026-07-28',
      triggeredBy: 'test',
    });
    expect(onboard.status).toBe('completed');
    // The nightly runs of 07-29 and 07-30 never happened; 07-31 runs (symbol batch, then refresh).
    await runSymbolBatch(ctx(), { date: '2026-07-31', triggeredBy: 'test' });
    const night = await runPortfolioRefresh(ctx(), { date: '2026-07-31', triggeredBy: 'test' });
    expect(night.results.map((r) => r.portfolioId)).toEqual([portfolio.id]);
    const rows = await queryRows<{ d: string; nav: number; pnl: number; complete: boolean }>(
      database().db,
      sql`SELECT snapshot_date AS d, net_asset_value::float8 AS nav, daily_pnl::float8 AS pnl, is_complete AS complete
          FROM portfolio_snapshots WHERE portfolio_id = ${portfolio.id} AND snapshot_date >= '2026-07-28' ORDER BY snapshot_date`,
    );
    expect(rows.map((r) => r.d)).toEqual(['2026-07-28', '2026-07-29', '2026-07-30', '2026-07-31']);
    // E(07-28) is the stated balance; every later day adds exactly that day's P&L.
    expect(rows[0]!.nav).toBeCloseTo(100_000, 2);
    for (let i = 1; i < rows.length; i++)
      expect(rows[i]!.nav).toBeCloseTo(rows[i - 1]!.nav + rows[i]!.pnl, 2);
    // Daily P&L is the price move of the holdings: (close_d − close_{d−1}) × quantity.
    const closes = await queryRows<{ symbol: string; date: string; close: number }>(
      database().db,
      sql`SELECT symbol, date, close::float8 AS close FROM market_data_cache
          WHERE symbol IN ('KO', 'JNJ') AND date IN ('2026-07-30', '2026-07-31')`,
    );
    const c = (s: string, d: string) => closes.find((x) => x.symbol === s && x.date === d)!.close;
    const expected =
      (c('KO', '2026-07-31') - c('KO', '2026-07-30')) * 200 +
      (c('JNJ', '2026-07-31') - c('JNJ', '2026-07-30')) * 100;
    expect(rows[3]!.pnl).toBeCloseTo(expected, 2);
    expect(rows.every((r) => r.complete)).toBe(true);

    const rerun = await runPortfolioRefresh(ctx(), {
      date: '2026-07-31',
      portfolioId: portfolio.id,
      triggeredBy: 'test',
    });
    expect(rerun.status).toBe('completed');
    const again = await queryRows<{ d: string; nav: number; pnl: number; complete: boolean }>(
      database().db,
      sql`SELECT snapshot_date AS d, net_asset_value::float8 AS nav, daily_pnl::float8 AS pnl, is_complete AS complete
          FROM portfolio_snapshots WHERE portfolio_id = ${portfolio.id} AND snapshot_date >= '2026-07-28' ORDER BY snapshot_date`,
    );
    expect(again).toEqual(rows);
    const [{ n }] = (await queryRows<{ n: number }>(
      database().db,
      sql`SELECT count(*)::int AS n FROM stress_test_results WHERE portfolio_id = ${portfolio.id} AND calculation_date = '2026-07-31'`,
    )) as [{ n: number }];
    expect(n).toBe(STRESS_SCENARIOS.length);
  });
});
