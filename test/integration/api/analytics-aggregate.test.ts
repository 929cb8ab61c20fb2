import { beforeAll, expect, it } from 'vitest';
import type { z } from 'zod';
import { PortfolioRepository } from '../../../src/db/repositories/portfolio-repository.ts';
import {
  PositionRepository,
  type NewPosition,
} from '../../../src/db/repositories/position-repository.ts';
import { SnapshotRepository } from '../../../src/db/repositories/snapshot-repository.ts';
import { createLogger } from '../../../src/logger.ts';
import { getSampleProvider } from '../../../src/market/create-provider.ts';
import { calculatePortfolio } from '../../../src/pipeline/onboarding/calculate-portfolio.ts';
import { SymbolCache } from '../../../src/pipeline/symbol-cache.ts';
import {
  aggregateConcentrationSchema,
  aggregateCorrelationSchema,
  aggregateFactorExposuresSchema,
  aggregateOverviewSchema,
  aggregateSectorSchema,
  aggregateStressSchema,
  aggregateVolatilitySchema,
} from '../../../src/services/analytics/schemas.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';
import { stock } from '../../helpers/stock-position.ts';
import { STRESS_SCENARIOS } from '../../../src/domain/stress/scenarios.ts';

const DATE = '2026-07-31';

const ENDPOINTS: [string, z.ZodType][] = [
  ['overview', aggregateOverviewSchema],
  ['factor-exposures', aggregateFactorExposuresSchema],
  ['stress-test', aggregateStressSchema],
  ['sector-exposure', aggregateSectorSchema],
  ['concentration', aggregateConcentrationSchema],
  ['volatility', aggregateVolatilitySchema],
  ['correlation-matrix', aggregateCorrelationSchema],
];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describeOnEachEngine('aggregate analytics routes', ({ database }) => {
  let t: TestApp;
  let token: string;
  let p1: string;
  let p2: string;
  let idle: string;

  const get = async (path: string, as = token, status = 200): Promise<Json> => {
    const res = await t.request(`/api/v1/analytics/${path}`, { token: as });
    const body = (await res.json()) as Json;
    expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(status);
    return body;
  };

  beforeAll(async () => {
    t = await createTestApp(() => database());
    token = await t.login('family@example.com');
    const me = (await (await t.request('/api/v1/auth/me', { token })).json()) as { id: string };
    const repo = new PortfolioRepository(database().db);
    const create = async (accountName: string, equity: number, positions: NewPosition[]) =>
      (
        await repo.createWithPositions({
          userId: me.id,
          name: accountName,
          accountName,
          accountType: 'taxable',
          equityBalance: equity,
          positions,
        })
      ).id;
    // AAPL is held in both accounts: the aggregate must net it into one holding.
    p1 = await create('Growth', 500_000, [
      stock('SPY', 400, 500, '2025-07-01'),
      stock('AAPL', 300, 200, '2026-01-02'),
    ]);
    p2 = await create('Hedged', 300_000, [
      stock('AAPL', 200, 200, '2026-01-02'),
      stock('TLT', 500, 90, '2026-01-02'),
      stock('XOM', -200, 110, '2026-03-02'),
    ]);
    idle = await create('Idle', 100_000, [stock('SPY', 10, 500, '2026-01-02')]);
    const ctx = {
      db: database().db,
      provider: await getSampleProvider(),
      cache: new SymbolCache(),
      logger: createLogger('silent'),
    };
    for (const id of [p1, p2]) {
      expect((await calculatePortfolio(ctx, id, { date: DATE, triggeredBy: 'test' })).status).toBe(
        'completed',
      );
    }
  });

  const perPortfolio = async (path: string) => [
    await get(`portfolio/${p1}/${path}`),
    await get(`portfolio/${p2}/${path}`),
  ];

  it('every endpoint answers in its documented shape, listing which portfolios went in', async () => {
    const [o1, o2] = await perPortfolio('overview');
    const nav1 = o1!.net_asset_value as number;
    const nav2 = o2!.net_asset_value as number;
    for (const [path, schema] of ENDPOINTS) {
      const body = await get(`aggregate/${path}`);
      expect(() => schema.parse(body), path).not.toThrow();
      expect(body, path).toMatchObject({
        available: true,
        reason: null,
        calculation_date: DATE,
        portfolio_count: 2,
      });
      expect(body.portfolios.map((p: Json) => [p.portfolio_id, p.included])).toEqual([
        [p1, true],
        [p2, true],
        [idle, false],
      ]);
      expect(body.portfolios[2]).toMatchObject({
        name: 'Idle',
        calculation_date: null,
        weight: null,
      });
      expect(body.portfolios[0].net_asset_value).toBeCloseTo(nav1, 2);
      expect(body.portfolios[0].weight).toBeCloseTo(nav1 / (nav1 + nav2), 10);
    }
  });

  it('overview: dollars and counts summed, percentages of the summed NAV', async () => {
    const [o1, o2] = await perPortfolio('overview');
    const a = await get('aggregate/overview');
    const nav = o1!.net_asset_value + o2!.net_asset_value;
    expect(a.net_asset_value).toBeCloseTo(nav, 2);
    expect(nav).toBeCloseTo(800_000, 2);
    expect(a.equity_balance).toBe(800_000);
    for (const k of ['long_exposure', 'short_exposure', 'gross_exposure', 'net_exposure']) {
      expect(a.exposures[k], k).toBeCloseTo(o1!.exposures[k] + o2!.exposures[k], 2);
    }
    // Percentage points to 4 decimals; dollars to the cent.
    expect(a.exposures.gross_percentage).toBeCloseTo((a.exposures.gross_exposure / nav) * 100, 3);
    expect(Number(a.exposures.gross_percentage.toFixed(4))).toBe(a.exposures.gross_percentage);
    for (const k of ['long_exposure', 'gross_exposure', 'net_exposure']) {
      expect(Number(a.exposures[k].toFixed(2)), k).toBe(a.exposures[k]);
    }
    expect(a.leverage).toBeCloseTo(a.exposures.gross_exposure / nav, 8);
    for (const k of ['total_pnl', 'unrealized_pnl', 'realized_pnl', 'ytd_pnl', 'mtd_pnl']) {
      expect(a.pnl[k], k).toBeCloseTo(o1!.pnl[k] + o2!.pnl[k], 2);
    }
    expect(a.position_count).toEqual({
      total_positions: 5,
      long_count: 4,
      short_count: 1,
      option_count: 0,
      private_count: 0,
    });
    expect(a.as_of).toBe(DATE);
  });

  it('factor-exposures: NAV-weighted betas, summed dollar exposures, SPEC order', async () => {
    const [o1, o2] = await perPortfolio('overview');
    const [f1, f2] = await perPortfolio('factor-exposures');
    const a = await get('aggregate/factor-exposures');
    const nav1 = o1!.net_asset_value as number;
    const nav2 = o2!.net_asset_value as number;
    expect(a.factors.map((f: Json) => f.name)).toEqual(f1!.factors.map((f: Json) => f.name));
    expect(a.factors).toHaveLength(13);
    a.factors.forEach((f: Json, i: number) => {
      const b1 = f1!.factors[i].beta as number;
      const b2 = f2!.factors[i].beta as number;
      expect(f.aggregate_beta, f.name).toBeCloseTo((b1 * nav1 + b2 * nav2) / (nav1 + nav2), 12);
      // Stored dollar exposures are rounded to the cent.
      expect(f.aggregate_exposure_dollar, f.name).toBeCloseTo(
        f1!.factors[i].exposure_dollar + f2!.factors[i].exposure_dollar,
        1,
      );
      expect(f.portfolio_count).toBe(2);
    });
    // Hand check on the market beta: p1 is SPY + AAPL, p2 partly hedged with a short.
    const market = a.factors[0];
    expect(market.name).toBe('Market Beta (90D)');
    expect(market.aggregate_beta).toBeGreaterThan(
      Math.min(f1!.factors[0].beta, f2!.factors[0].beta),
    );
    expect(market.aggregate_beta).toBeLessThan(Math.max(f1!.factors[0].beta, f2!.factors[0].beta));
  });

  it('stress-test: scenario P&L summed, percentage of the combined NAV', async () => {
    const [s1, s2] = await perPortfolio('stress-test');
    const a = await get('aggregate/stress-test');
    const pv = s1!.data.portfolio_value + s2!.data.portfolio_value;
    expect(a.data.portfolio_value).toBeCloseTo(pv, 2);
    expect(a.data.scenarios).toHaveLength(STRESS_SCENARIOS.length);
    a.data.scenarios.forEach((s: Json, i: number) => {
      const x1 = s1!.data.scenarios[i];
      const x2 = s2!.data.scenarios[i];
      expect(s.id).toBe(x1.id);
      expect(s.impact.dollar_impact).toBeCloseTo(
        x1.impact.dollar_impact + x2.impact.dollar_impact,
        6,
      );
      expect(s.direct_pnl).toBeCloseTo(x1.direct_pnl + x2.direct_pnl, 6);
      expect(s.impact.percentage_impact).toBeCloseTo((s.impact.dollar_impact / pv) * 100, 3);
      expect(Number(s.impact.percentage_impact.toFixed(4))).toBe(s.impact.percentage_impact);
      expect(s.impact.new_portfolio_value).toBeCloseTo(pv + s.impact.dollar_impact, 6);
      expect(s.position_impacts).toHaveLength(
        x1.position_impacts.length + x2.position_impacts.length,
      );
    });
    const down10 = a.data.scenarios.find((s: Json) => s.id === 'market_down_10');
    const aaplRows = down10.position_impacts.filter((p: Json) => p.symbol === 'AAPL');
    expect(aaplRows.map((p: Json) => p.portfolio_id).sort()).toEqual([p1, p2].sort());
    const market = down10.factor_impacts.find((f: Json) => f.factor === 'Market');
    // Both portfolios were stressed with the same model date, so the moves are shown.
    expect(market.move_direct).toBe(-0.1);

    const one = await get('aggregate/stress-test?scenarios=covid_crash_2020');
    expect(one.data.scenarios.map((s: Json) => s.id)).toEqual(['covid_crash_2020']);
    const err = await get('aggregate/stress-test?scenarios=nope', token, 422);
    expect(err.error.code).toBe('ERR_VALIDATION');
  });

  it('sector-exposure: each portfolio’s weights NAV-weighted', async () => {
    const [o1, o2] = await perPortfolio('overview');
    const [x1, x2] = await perPortfolio('sector-exposure');
    const a = await get('aggregate/sector-exposure');
    const nav1 = o1!.net_asset_value as number;
    const nav2 = o2!.net_asset_value as number;
    for (const sector of Object.keys(x1!.data.portfolio_weights)) {
      const expected =
        (x1!.data.portfolio_weights[sector] * nav1 + x2!.data.portfolio_weights[sector] * nav2) /
        (nav1 + nav2);
      expect(a.data.portfolio_weights[sector], sector).toBeCloseTo(expected, 12);
    }
    expect(a.data.unclassified_value).toBeCloseTo(
      x1!.data.unclassified_value + x2!.data.unclassified_value,
      4,
    );
    expect(a.metadata.benchmark).toBe('SP500');
  });

  it('concentration: holdings netted per symbol across portfolios', async () => {
    const a = await get('aggregate/concentration');
    const positions = await new PositionRepository(database().db).listPositionsOf([p1, p2]);
    const bySymbol = new Map<string, number>();
    for (const list of positions.values()) {
      for (const p of list) bySymbol.set(p.symbol, (bySymbol.get(p.symbol) ?? 0) + p.marketValue!);
    }
    expect([...bySymbol.keys()].sort()).toEqual(['AAPL', 'SPY', 'TLT', 'XOM']);
    const gross = [...bySymbol.values()].reduce((s, v) => s + Math.abs(v), 0);
    const hhi = [...bySymbol.values()].reduce((s, v) => s + (v / gross) ** 2, 0) * 10_000;
    expect(a.data.hhi).toBeCloseTo(hhi, 8);
    expect(a.data.effective_num_positions).toBeCloseTo(10_000 / hhi, 8);
    expect(a.data.top_positions.map((p: Json) => p.symbol).sort()).toEqual([
      'AAPL',
      'SPY',
      'TLT',
      'XOM',
    ]);
    const aapl = a.data.top_positions.find((p: Json) => p.symbol === 'AAPL');
    expect(aapl.market_value).toBeCloseTo(bySymbol.get('AAPL')!, 2);
  });

  it('volatility: of the combined book’s daily returns (Σ P&L / Σ previous NAV)', async () => {
    const a = await get('aggregate/volatility');
    const snapshots = new SnapshotRepository(database().db);
    const byDate = new Map<string, { pnl: number; base: number }>();
    for (const id of [p1, p2]) {
      const history = await snapshots.history(id, '2000-01-01', DATE);
      for (let i = 1; i < history.length; i++) {
        const day = byDate.get(history[i]!.snapshotDate) ?? { pnl: 0, base: 0 };
        day.pnl += history[i]!.dailyPnl;
        day.base += history[i - 1]!.netAssetValue;
        byDate.set(history[i]!.snapshotDate, day);
      }
    }
    const returns = [...byDate.keys()].sort().map((d) => byDate.get(d)!.pnl / byDate.get(d)!.base);
    expect(a.data.observations).toBe(returns.length);
    const last = returns.slice(-21);
    const mean = last.reduce((s, r) => s + r, 0) / 21;
    const std = Math.sqrt(last.reduce((s, r) => s + (r - mean) ** 2, 0) / 20);
    expect(a.data.realized_volatility_21d).toBeCloseTo(std * Math.sqrt(252), 12);
    expect(typeof a.data.realized_volatility_63d).toBe('number');
    expect(['increasing', 'decreasing', 'stable']).toContain(a.data.volatility_trend);
  });

  it('correlation-matrix: computed over the netted public holdings of every portfolio', async () => {
    const a = await get('aggregate/correlation-matrix');
    expect(a.metadata).toMatchObject({ source: 'computed', lookback_days: 90, min_overlap: 20 });
    expect([...a.data.symbols].sort()).toEqual(['AAPL', 'SPY', 'TLT', 'XOM']);
    expect(typeof a.data.average_correlation).toBe('number');
    // Same window, same closes: a pair's r is the one portfolio 1 stored for itself.
    const own = await get(`portfolio/${p1}/correlation-matrix`);
    expect(a.data.matrix.SPY.AAPL).toBeCloseTo(own.data.matrix.SPY.AAPL, 12);
    const capped = await get('aggregate/correlation-matrix?max_symbols=3&lookback_days=60');
    expect(capped.data.symbols).toHaveLength(3);
    expect(capped.metadata.lookback_days).toBe(60);
    const err = await get('aggregate/correlation-matrix?lookback_days=5', token, 422);
    expect(err.error.code).toBe('ERR_VALIDATION');
  });

  it('a user without portfolios, or with none calculated, gets available:false and the full shape', async () => {
    const nobody = await t.login('nobody@example.com');
    const newcomerToken = await t.login('newcomer@example.com');
    const newcomer = (await (
      await t.request('/api/v1/auth/me', { token: newcomerToken })
    ).json()) as { id: string };
    await new PortfolioRepository(database().db).createWithPositions({
      userId: newcomer.id,
      name: 'Fresh',
      accountName: 'Fresh',
      accountType: 'roth_ira',
      equityBalance: 50_000,
      positions: [stock('AAPL', 10, 200, '2026-01-02')],
    });
    for (const [path, schema] of ENDPOINTS) {
      const empty = await get(`aggregate/${path}`, nobody);
      expect(() => schema.parse(empty), path).not.toThrow();
      expect(empty, path).toMatchObject({
        available: false,
        reason: 'no_portfolios',
        calculation_date: null,
        portfolio_count: 0,
        portfolios: [],
      });
      const fresh = await get(`aggregate/${path}`, newcomerToken);
      expect(() => schema.parse(fresh), path).not.toThrow();
      expect(fresh, path).toMatchObject({
        available: false,
        reason: 'no_calculation_available',
        portfolio_count: 0,
      });
      expect(fresh.portfolios).toEqual([expect.objectContaining({ included: false })]);
    }
    const freshOverview = await get('aggregate/overview', newcomerToken);
    expect(freshOverview.equity_balance).toBe(50_000);
    expect(freshOverview.position_count.total_positions).toBe(1);
    expect((await get('aggregate/factor-exposures', nobody)).factors).toEqual([]);
    const anonymous = await t.request('/api/v1/analytics/aggregate/overview');
    expect(anonymous.status).toBe(401);
  });
});
