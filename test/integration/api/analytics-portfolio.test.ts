import { loadTreasuryBillRates } from '../../../src/market/providers/sample/load-treasury-bill-rates.ts';
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import type { z } from 'zod';
import { CorrelationRepository } from '../../../src/db/repositories/correlation-repository.ts';
import { FactorRepository } from '../../../src/db/repositories/factor-repository.ts';
import { PortfolioFactorRepository } from '../../../src/db/repositories/portfolio-factor-repository.ts';
import { PortfolioRepository } from '../../../src/db/repositories/portfolio-repository.ts';
import { PositionRepository } from '../../../src/db/repositories/position-repository.ts';
import { SnapshotRepository } from '../../../src/db/repositories/snapshot-repository.ts';
import { StressRepository } from '../../../src/db/repositories/stress-repository.ts';
import { STRESS_SCENARIOS } from '../../../src/domain/stress/scenarios.ts';
import { createLogger } from '../../../src/logger.ts';
import { getSampleProvider } from '../../../src/market/create-provider.ts';
import { calculatePortfolio } from '../../../src/pipeline/onboarding/calculate-portfolio.ts';
import { SymbolCache } from '../../../src/pipeline/symbol-cache.ts';
import {
  betaComparisonSchema,
  portfolioConcentrationSchema,
  portfolioCorrelationSchema,
  portfolioFactorExposuresSchema,
  portfolioOverviewSchema,
  portfolioSectorSchema,
  portfolioStressSchema,
  portfolioVolatilitySchema,
  positionFactorExposuresSchema,
  riskMetricsSchema,
  spreadFactorsSchema,
} from '../../../src/services/analytics/schemas.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';
import { stock as position } from '../../helpers/stock-position.ts';
import { SPEC_FACTOR_NAMES } from '../../helpers/spec-factor-names.ts';

const DATE = '2026-07-31';

const ENDPOINTS: [string, z.ZodType][] = [
  ['overview', portfolioOverviewSchema],
  ['factor-exposures', portfolioFactorExposuresSchema],
  ['positions/factor-exposures', positionFactorExposuresSchema],
  ['spread-factors', spreadFactorsSchema],
  ['stress-test', portfolioStressSchema],
  ['correlation-matrix', portfolioCorrelationSchema],
  ['volatility', portfolioVolatilitySchema],
  ['sector-exposure', portfolioSectorSchema],
  ['concentration', portfolioConcentrationSchema],
  ['beta-comparison', betaComparisonSchema],
  ['risk-metrics', riskMetricsSchema],
];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describeOnEachEngine('portfolio analytics routes', ({ database }) => {
  let t: TestApp;
  let token: string;
  let bookId: string;
  let uncalculatedId: string;

  const get = async (path: string, status = 200): Promise<Json> => {
    const res = await t.request(`/api/v1/analytics/portfolio/${path}`, { token });
    const body = (await res.json()) as Json;
    expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(status);
    return body;
  };

  beforeAll(async () => {
    t = await createTestApp(() => database());
    token = await t.login('analyst@example.com');
    const me = (await (await t.request('/api/v1/auth/me', { token })).json()) as { id: string };
    const portfolios = new PortfolioRepository(database().db);
    const book = await portfolios.createWithPositions({
      userId: me.id,
      name: 'Mixed book',
      accountName: 'MIXED',
      accountType: 'taxable',
      equityBalance: 1_000_000,
      positions: [
        position('SPY', 400, 500, '2025-07-01', { investmentSubtype: 'ETF' }),
        position('AAPL', 500, 200, '2026-01-02'),
        position('TLT', 600, 90, '2026-01-02', { investmentSubtype: 'ETF' }),
        position('XOM', -300, 110, '2026-03-02'),
        position('MSFT', 100, 400, '2025-09-02', { exitDate: '2026-05-01', exitPrice: 450 }),
        position('AAPL270115C00250000', 5, 20, '2026-06-01', {
          positionType: 'LC',
          investmentClass: 'OPTIONS',
          investmentSubtype: 'CALL',
          underlyingSymbol: 'AAPL',
          strikePrice: 250,
          expirationDate: '2027-01-15',
          optionType: 'CALL',
        }),
        position('FO_ART', 1, 50_000, '2025-08-01', {
          investmentClass: 'PRIVATE',
          investmentSubtype: 'ART',
        }),
      ],
    });
    bookId = book.id;
    const idle = await portfolios.createWithPositions({
      userId: me.id,
      name: 'Not calculated',
      accountName: 'IDLE',
      accountType: 'ira',
      equityBalance: 250_000,
      positions: [position('SPY', 10, 500, '2026-01-02', { investmentSubtype: 'ETF' })],
    });
    uncalculatedId = idle.id;
    const result = await calculatePortfolio(
      {
        db: database().db,
        provider: await getSampleProvider(),
        cache: new SymbolCache(),
        logger: createLogger('silent'),
      },
      bookId,
      { date: DATE, triggeredBy: 'test' },
    );
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('completed');
  });

  it('answers 200 with available:false and the full shape before any calculation', async () => {
    for (const [path, schema] of ENDPOINTS) {
      const body = await get(`${uncalculatedId}/${path}`);
      expect(body, path).toMatchObject({
        available: false,
        reason: 'no_calculation_available',
        portfolio_id: uncalculatedId,
        calculation_date: null,
      });
      expect(() => schema.parse(body), path).not.toThrow();
    }
    const overview = await get(`${uncalculatedId}/overview`);
    expect(overview.equity_balance).toBe(250_000);
    expect(overview.net_asset_value).toBeNull();
    expect(overview.exposures.gross_exposure).toBeNull();
    expect(overview.position_count).toEqual({
      total_positions: 1,
      long_count: 1,
      short_count: 0,
      option_count: 0,
      private_count: 0,
    });
    expect((await get(`${uncalculatedId}/factor-exposures`)).factors).toEqual([]);
    expect((await get(`${uncalculatedId}/stress-test`)).data).toEqual({
      portfolio_value: null,
      calculation_date: null,
      scenarios: [],
      excluded_positions: [],
      unavailable_scenarios: [],
    });
    const sectors = await get(`${uncalculatedId}/sector-exposure`);
    expect(sectors.data.portfolio_weights).toEqual({});
    expect(sectors.metadata.benchmark).toBe('SP500');
  });

  it('every endpoint answers in its documented shape once calculated', async () => {
    for (const [path, schema] of ENDPOINTS) {
      const body = await get(`${bookId}/${path}`);
      expect(body.available, path).toBe(true);
      expect(body.reason, path).toBeNull();
      expect(body.portfolio_id).toBe(bookId);
      expect(body.calculation_date, path).toBe(DATE);
      expect(() => schema.parse(body), path).not.toThrow();
    }
  });

  it('overview: NAV, exposures, P&L and counts from the snapshot', async () => {
    const o = await get(`${bookId}/overview`);
    const [snap] = await new SnapshotRepository(database().db).history(bookId, DATE, DATE);
    // The calculation date is the anchor: NAV there is the stated equity.
    expect(o.net_asset_value).toBeCloseTo(1_000_000, 2);
    expect(o.equity_balance).toBe(1_000_000);
    expect(o.exposures.long_exposure).toBeCloseTo(snap!.longValue, 2);
    expect(o.exposures.short_exposure).toBeCloseTo(snap!.shortValue, 2);
    expect(o.exposures.short_exposure).toBeLessThan(0);
    expect(o.exposures.gross_exposure).toBeCloseTo(snap!.longValue - snap!.shortValue, 2);
    expect(o.exposures.net_percentage).toBeCloseTo((snap!.netExposure / o.net_asset_value) * 100);
    expect(o.leverage).toBeCloseTo(snap!.grossExposure / snap!.netAssetValue, 10);
    expect(o.total_value + o.cash_balance).toBeCloseTo(o.net_asset_value, 2);
    // MSFT bought at 400 and sold at 450: 100 × 50.
    expect(o.pnl.realized_pnl).toBeCloseTo(5_000, 2);
    expect(o.pnl.daily_pnl).toBeCloseTo(snap!.dailyPnl, 2);
    expect(o.pnl.total_pnl).toBeCloseTo(snap!.cumulativePnl, 2);
    const positions = await new PositionRepository(database().db).listPositions(bookId);
    const unrealized = positions
      .filter((p) => p.exitDate === null)
      .reduce((s, p) => s + p.unrealizedPnl!, 0);
    expect(o.pnl.unrealized_pnl).toBeCloseTo(unrealized, 2);
    const history = await new SnapshotRepository(database().db).history(bookId, '2026-01-01', DATE);
    const sum = (from: string) =>
      history.filter((h) => h.snapshotDate >= from).reduce((s, h) => s + h.dailyPnl, 0);
    expect(o.pnl.ytd_pnl).toBeCloseTo(sum('2026-01-01'), 2);
    expect(o.pnl.mtd_pnl).toBeCloseTo(sum('2026-07-01'), 2);
    expect(o.position_count).toEqual({
      total_positions: 6,
      long_count: 3,
      short_count: 1,
      option_count: 1,
      private_count: 1,
    });
    expect(o.as_of).toBe(DATE);
    expect(o.last_updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('factor-exposures: the 13 SPEC factors in display order, as stored', async () => {
    const body = await get(`${bookId}/factor-exposures`);
    expect(body.factors.map((f: Json) => f.name)).toEqual(SPEC_FACTOR_NAMES);
    const stored = await new PortfolioFactorRepository(database().db).forPortfolio(bookId, DATE);
    for (const f of body.factors) {
      const row = stored.find((s) => s.name === f.name)!;
      expect(f.beta).toBe(row.beta);
      expect(f.exposure_dollar).toBe(row.exposureDollar);
    }
    // SPY, AAPL and the AAPL call are long the market; the book's market beta is positive.
    expect(body.factors[0].beta).toBeGreaterThan(0.3);
  });

  it('positions/factor-exposures: paged by symbol, filtered, every factor per position', async () => {
    const all = await get(`${bookId}/positions/factor-exposures`);
    // Held public and option positions; the private asset and the closed MSFT have no rows.
    expect(all.total).toBe(5);
    expect(all.limit).toBe(100);
    expect(all.offset).toBe(0);
    expect(all.positions.map((p: Json) => p.symbol)).toEqual([
      'AAPL',
      'AAPL270115C00250000',
      'SPY',
      'TLT',
      'XOM',
    ]);
    for (const p of all.positions) expect(Object.keys(p.exposures)).toEqual(SPEC_FACTOR_NAMES);
    const aapl = await new FactorRepository(database().db).getSymbolExposures('AAPL', DATE);
    const marketBeta = aapl.find((r) => r.factorName === 'Market Beta (90D)')!.beta;
    expect(all.positions[0].exposures['Market Beta (90D)']).toBeCloseTo(marketBeta, 12);
    // The call carries its underlying's betas (scaled by delta only in the dollar exposure).
    expect(all.positions[1].exposures['Market Beta (90D)']).toBeCloseTo(marketBeta, 12);

    const page = await get(`${bookId}/positions/factor-exposures?limit=2&offset=2`);
    expect(page).toMatchObject({ total: 5, limit: 2, offset: 2 });
    expect(page.positions.map((p: Json) => p.symbol)).toEqual(['SPY', 'TLT']);

    const filtered = await get(`${bookId}/positions/factor-exposures?symbols=xom,%20tlt`);
    expect(filtered.total).toBe(2);
    expect(filtered.positions.map((p: Json) => p.symbol)).toEqual(['TLT', 'XOM']);

    for (const bad of ['limit=abc', 'limit=0', 'limit=5000', 'offset=-1', 'offset=1.5']) {
      const err = await get(`${bookId}/positions/factor-exposures?${bad}`, 422);
      expect(err.error.code, bad).toBe('ERR_VALIDATION');
    }
  });

  it('spread-factors: the four spreads with direction, magnitude and an explanation', async () => {
    const factors = (await get(`${bookId}/factor-exposures`)).factors as Json[];
    const spreads = (await get(`${bookId}/spread-factors`)).factors as Json[];
    expect(spreads.map((f) => f.name)).toEqual(SPEC_FACTOR_NAMES.slice(9));
    for (const s of spreads) {
      const f = factors.find((x) => x.name === s.name)!;
      expect(s.beta).toBe(f.beta);
      expect(s.exposure_dollar).toBe(f.exposure_dollar);
      const size = Math.abs(s.beta);
      const expected =
        size < 0.1 ? 'negligible' : size < 0.3 ? 'weak' : size < 0.6 ? 'moderate' : 'strong';
      expect(s.magnitude, s.name).toBe(expected);
      if (expected === 'negligible') expect(s.direction).toBe('neutral');
      else expect(s.direction).not.toBe('neutral');
      expect(s.explanation).toContain(Math.abs(s.beta).toFixed(2));
    }
    const gv = spreads[0]!;
    if (gv.beta >= 0.1) expect(gv.direction).toBe('growth');
    if (gv.beta <= -0.1) expect(gv.direction).toBe('value');
  });

  it('stress-test: stored correlated results, SPEC order, filter by id, unknown ids refused', async () => {
    const body = await get(`${bookId}/stress-test`);
    const data = body.data;
    expect(data.calculation_date).toBe(DATE);
    expect(data.scenarios.map((s: Json) => s.id)).toEqual(STRESS_SCENARIOS.map((s) => s.id));
    const stored = await new StressRepository(database().db).results(bookId, DATE);
    expect(data.portfolio_value).toBe(stored[0]!.portfolioValue);
    for (const s of data.scenarios) {
      const row = stored.find((r) => r.scenarioId === s.id)!;
      expect(s.impact.dollar_impact).toBe(row.correlatedPnl);
      expect(s.correlated_pnl).toBe(row.correlatedPnl);
      expect(s.direct_pnl).toBe(row.directPnl);
      // Percentage points to 4 decimals, no float noise.
      expect(s.impact.percentage_impact).toBeCloseTo(
        (row.correlatedPnl / row.portfolioValue) * 100,
        3,
      );
      expect(Number(s.impact.percentage_impact.toFixed(4))).toBe(s.impact.percentage_impact);
      expect(s.impact.new_portfolio_value).toBeCloseTo(row.portfolioValue + row.correlatedPnl, 6);
    }
    const down10 = data.scenarios.find((s: Json) => s.id === 'market_down_10');
    expect(down10).toMatchObject({ name: 'Market Down 10%', category: 'market' });
    expect(down10.impact.dollar_impact).toBeLessThan(0);
    // A 10 % market fall costs this long-biased book a few percent of NAV, in percentage points.
    expect(down10.impact.percentage_impact).toBeLessThan(-1);
    expect(down10.impact.percentage_impact).toBeGreaterThan(-20);
    const market = down10.factor_impacts.find((f: Json) => f.factor === 'Market');
    expect(market).toMatchObject({ etf: 'SPY', shocked: true, move_direct: -0.1 });
    expect(down10.position_impacts.map((p: Json) => p.symbol).sort()).toEqual([
      'AAPL',
      'AAPL270115C00250000',
      'SPY',
      'TLT',
      'XOM',
    ]);
    const positionSum = down10.position_impacts.reduce(
      (s: number, p: Json) => s + p.pnl_correlated,
      0,
    );
    // Position impacts are stored to the cent.
    expect(Math.abs(positionSum - down10.correlated_pnl)).toBeLessThan(0.05);
    expect(data.excluded_positions).toEqual([
      expect.objectContaining({ symbol: 'FO_ART', reason: 'private_asset' }),
    ]);

    const two = await get(`${bookId}/stress-test?scenarios=rates_up_25bp,market_down_10`);
    expect(two.data.scenarios.map((s: Json) => s.id)).toEqual(['market_down_10', 'rates_up_25bp']);
    const err = await get(`${bookId}/stress-test?scenarios=market_down_10,martians_land`, 422);
    expect(err.error.code).toBe('ERR_VALIDATION');
    expect(err.error.message).toContain('martians_land');
  });

  it('correlation-matrix: the stored matrix by default, other lookbacks computed from closes', async () => {
    const body = await get(`${bookId}/correlation-matrix`);
    const stored = (await new CorrelationRepository(database().db).latest(bookId, 90))!;
    expect(body.metadata).toMatchObject({ source: 'stored', lookback_days: 90, min_overlap: 20 });
    expect(body.data.average_correlation).toBe(stored.overallCorrelation);
    expect(body.data.effective_positions).toBe(stored.effectivePositions);
    const symbols = body.data.symbols as string[];
    // Public holdings over $10k and 1 % of NAV: the option and private asset have no own prices.
    expect([...symbols].sort()).toEqual(['AAPL', 'SPY', 'TLT', 'XOM']);
    expect(body.metadata.positions_included).toBe(4);
    for (const a of symbols) {
      expect(body.data.matrix[a][a]).toBe(1);
      for (const b of symbols) expect(body.data.matrix[a][b]).toBe(body.data.matrix[b][a]);
    }
    const pair = stored.pairs.find((p) => p.symbol1 === 'AAPL' || p.symbol2 === 'AAPL')!;
    expect(body.data.matrix[pair.symbol1][pair.symbol2]).toBe(pair.correlation);

    // Same lookback, another minimum overlap: recomputed from closes, and every pair has the
    // full 90 returns, so the figures are the stored ones.
    const recomputed = await get(`${bookId}/correlation-matrix?min_overlap=21`);
    expect(recomputed.metadata).toMatchObject({ source: 'computed', min_overlap: 21 });
    expect(recomputed.data.average_correlation).toBeCloseTo(stored.overallCorrelation!, 12);
    // Weights come from the positions' stored (cent-rounded) values, hence not to the last bit.
    expect(recomputed.data.effective_positions).toBeCloseTo(stored.effectivePositions!, 6);
    expect(recomputed.metadata.window_end).toBe(DATE);

    const short = await get(`${bookId}/correlation-matrix?lookback_days=30`);
    expect(short.available).toBe(true);
    expect(short.metadata).toMatchObject({ source: 'computed', lookback_days: 30 });
    expect(typeof short.data.average_correlation).toBe('number');
    expect(short.data.average_correlation).not.toBeCloseTo(stored.overallCorrelation!, 6);

    const capped = await get(`${bookId}/correlation-matrix?max_symbols=2`);
    expect(capped.data.symbols).toEqual(symbols.slice(0, 2));
    expect(Object.keys(capped.data.matrix)).toEqual(symbols.slice(0, 2));
    const r = capped.data.matrix[symbols[0]!][symbols[1]!];
    expect(capped.data.average_correlation).toBeCloseTo(Math.abs(r), 12);
    expect(capped.metadata.excluded.filter((e: Json) => e.reason === 'max_symbols')).toHaveLength(
      2,
    );

    for (const bad of [
      'lookback_days=5',
      'lookback_days=1000',
      'lookback_days=ninety',
      'min_overlap=100',
      'max_symbols=1',
    ]) {
      const err = await get(`${bookId}/correlation-matrix?${bad}`, 422);
      expect(err.error.code, bad).toBe('ERR_VALIDATION');
    }
  });

  it('volatility and concentration: the analytics of the calculation date', async () => {
    const stored = (await new SnapshotRepository(database().db).analytics(bookId, DATE))!;
    const vol = await get(`${bookId}/volatility`);
    expect(vol.data).toEqual({
      realized_volatility_21d: stored.realizedVolatility21d,
      realized_volatility_63d: stored.realizedVolatility63d,
      expected_volatility_21d: stored.expectedVolatility21d,
      volatility_trend: stored.volatilityTrend,
      volatility_percentile: stored.volatilityPercentile,
    });
    expect(vol.data.realized_volatility_21d).toBeGreaterThan(0.01);
    expect(vol.data.realized_volatility_21d).toBeLessThan(1);

    const conc = await get(`${bookId}/concentration`);
    // Weights by gross exposure over the held positions (lots netted per symbol). The positions
    // carry their values rounded to the cent, the refresh computed with the unrounded ones.
    const positions = await new PositionRepository(database().db).listPositions(bookId);
    const bySymbol = new Map<string, number>();
    for (const p of positions) {
      if (p.marketValue) bySymbol.set(p.symbol, (bySymbol.get(p.symbol) ?? 0) + p.marketValue);
    }
    const gross = [...bySymbol.values()].reduce((s, v) => s + Math.abs(v), 0);
    const weights = [...bySymbol.values()].map((v) => Math.abs(v) / gross).sort((a, b) => b - a);
    const hhi = weights.reduce((s, w) => s + w * w, 0) * 10_000;
    expect(conc.data.hhi).toBeCloseTo(hhi, 3);
    expect(conc.data.effective_num_positions).toBeCloseTo(10_000 / hhi, 6);
    expect(conc.data.top_3_concentration).toBeCloseTo(weights[0]! + weights[1]! + weights[2]!, 6);
    expect(conc.data.top_10_concentration).toBeCloseTo(1, 10);
    expect(conc.data.top_positions).toHaveLength(bySymbol.size);
    expect(conc.data.top_positions.map((p: Json) => p.weight)).toEqual(
      weights.map((w) => expect.closeTo(w, 6)),
    );
    const top = conc.data.top_positions[0];
    expect(top.market_value).toBeCloseTo(bySymbol.get(top.symbol)!, 2);
  });

  it('sector-exposure: net sector weights of NAV against the S&P 500', async () => {
    const body = await get(`${bookId}/sector-exposure`);
    const stored = (await new SnapshotRepository(database().db).analytics(bookId, DATE))!
      .sectorExposure as { portfolio_weights: Record<string, number>; unclassified_value: number };
    expect(body.metadata).toMatchObject({ benchmark: 'SP500', weights_unit: 'decimal' });
    const { portfolio_weights, benchmark_weights, over_underweight } = body.data;
    expect(Object.keys(portfolio_weights)).toHaveLength(11);
    for (const [sector, w] of Object.entries(portfolio_weights as Record<string, number>)) {
      expect(w, sector).toBeCloseTo(stored.portfolio_weights[sector]!, 12);
      // Percentage points to 4 decimals.
      expect(over_underweight[sector]).toBeCloseTo((w - benchmark_weights[sector]) * 100, 3);
      expect(Number(over_underweight[sector].toFixed(4))).toBe(over_underweight[sector]);
    }
    // AAPL and its call are Information Technology; XOM's short makes Energy negative.
    expect(portfolio_weights['Information Technology']).toBeGreaterThan(0.05);
    expect(portfolio_weights.Energy).toBeLessThan(0);
    const entries = Object.entries(over_underweight as Record<string, number>);
    const max = entries.reduce((a, b) => (b[1] > a[1] ? b : a));
    const min = entries.reduce((a, b) => (b[1] < a[1] ? b : a));
    // A book this heavy in unclassified ETFs may be underweight everywhere: then no overweight.
    expect(body.data.largest_overweight).toEqual(
      max[1] > 0 ? { sector: max[0], difference_pp: max[1] } : null,
    );
    expect(body.data.largest_underweight).toEqual({ sector: min[0], difference_pp: min[1] });
    // TLT (a bond ETF) and the private asset are unclassified; SPY is spread over the sectors
    // by the benchmark's weights.
    expect(body.data.unclassified_value).toBeCloseTo(stored.unclassified_value, 2);
    const details = (await (
      await t.request(`/api/v1/data/positions/details?portfolio_id=${bookId}`, { token })
    ).json()) as { positions: { symbol: string; is_open: boolean; market_value: number }[] };
    const valueOf = (symbol: string) =>
      details.positions.find((p) => p.symbol === symbol && p.is_open)!.market_value;
    expect(body.data.unclassified_value).toBeCloseTo(valueOf('TLT') + valueOf('FO_ART'), 2);
    // Financials: SPY's 13.1 % share of its value, nothing else in the book.
    const nav = (await get(`${bookId}/overview`)).net_asset_value as number;
    expect(portfolio_weights.Financials).toBeCloseTo(
      (valueOf('SPY') * benchmark_weights.Financials) / nav,
      8,
    );
    expect(portfolio_weights.Financials).toBeGreaterThan(0.03);
  });

  it('beta-comparison: provider beta beside the 90-day OLS beta, per held position', async () => {
    const body = await get(`${bookId}/beta-comparison`);
    expect(body.positions.map((p: Json) => p.symbol)).toEqual([
      'AAPL',
      'AAPL270115C00250000',
      'SPY',
      'TLT',
      'XOM',
    ]);
    const aapl = await new FactorRepository(database().db).getSymbolExposures('AAPL', DATE);
    const ols = aapl.find((r) => r.factorName === 'Market Beta (90D)')!;
    const provider = aapl.find((r) => r.factorName === 'Provider Beta (1Y)')!;
    for (const row of body.positions.slice(0, 2)) {
      expect(row).toMatchObject({
        beta_symbol: 'AAPL',
        calculated_beta: ols.beta,
        market_beta: provider.beta,
        beta_r_squared: ols.rSquared,
        observations: ols.observations,
      });
      expect(row.beta_difference).toBeCloseTo(ols.beta - provider.beta, 12);
    }
    expect(ols.observations).toBe(90);
    const spy = body.positions.find((p: Json) => p.symbol === 'SPY');
    // SPY regressed on itself.
    expect(spy.calculated_beta).toBeCloseTo(1, 10);
    expect(spy.beta_r_squared).toBeCloseTo(1, 10);
  });

  it('risk-metrics: volatility, drawdown, Sharpe and Sortino of the last 252 daily returns', async () => {
    const body = await get(`${bookId}/risk-metrics`);
    const history = await new SnapshotRepository(database().db).history(bookId, '2000-01-01', DATE);
    const returns = history.slice(-252).map((h) => h.dailyReturn);
    expect(body.data.observations).toBe(252);
    expect(body.data.period_start).toBe(history.at(-252)!.snapshotDate);
    expect(body.data.period_end).toBe(DATE);
    const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
    const std = Math.sqrt(returns.reduce((s, r) => s + (r - mean) ** 2, 0) / (returns.length - 1));
    expect(body.data.annualized_volatility).toBeCloseTo(std * Math.sqrt(252), 12);
    let level = 1;
    let peak = 1;
    let drawdown = 0;
    for (const r of returns) {
      level *= 1 + r;
      peak = Math.max(peak, level);
      drawdown = Math.min(drawdown, level / peak - 1);
    }
    expect(body.data.max_drawdown).toBeCloseTo(drawdown, 12);
    expect(body.data.max_drawdown).toBeLessThan(0);
    // SPEC §7: excess over each day's 3-month bill quote (the bundled ^IRX), (1 + q/100)^(1/252) − 1.
    const bills = await loadTreasuryBillRates();
    const quote = new Map(bills.dates.map((d, i) => [d, bills.ratePercent[i]! / 100]));
    const days = history.slice(-252).map((h) => h.snapshotDate);
    const excess = returns.map((r, i) => r - ((1 + quote.get(days[i]!)!) ** (1 / 252) - 1));
    const meanExcess = excess.reduce((a, e) => a + e, 0) / excess.length;
    const stdExcess = Math.sqrt(
      excess.reduce((a, e) => a + (e - meanExcess) ** 2, 0) / (excess.length - 1),
    );
    const averageRate = days.reduce((a, d) => a + quote.get(d)!, 0) / days.length;
    expect(body.data.risk_free_rate).toBeCloseTo(averageRate, 6);
    expect(body.data.risk_free_rate).toBeGreaterThan(0.03); // mid-2025 → mid-2026 bills: ~3.7 %
    expect(body.data.risk_free_rate_source).toBe('treasury_bill_3m');
    expect(body.data.sharpe_ratio).toBeCloseTo((meanExcess / stdExcess) * Math.sqrt(252), 10);
    expect(typeof body.data.sortino_ratio).toBe('number');

    const month = await get(`${bookId}/risk-metrics?lookback_days=21`);
    expect(month.data.observations).toBe(21);
    for (const bad of ['lookback_days=5', 'lookback_days=x', 'lookback_days=5000']) {
      expect((await get(`${bookId}/risk-metrics?${bad}`, 422)).error.code).toBe('ERR_VALIDATION');
    }
  });

  it("another user's portfolio, a missing one and a malformed id: 404 / 400 on every endpoint", async () => {
    const strangerToken = await t.login('stranger@example.com');
    for (const [path] of ENDPOINTS) {
      for (const id of [bookId, randomUUID()]) {
        const res = await t.request(`/api/v1/analytics/portfolio/${id}/${path}`, {
          token: strangerToken,
        });
        expect(res.status, path).toBe(404);
        expect(((await res.json()) as Json).error.code).toBe('ERR_PORTFOLIO_NOT_FOUND');
      }
      const bad = await get(`not-a-uuid/${path}`, 400);
      expect(bad.error.code).toBe('ERR_INVALID_ID');
    }
    const anonymous = await t.request(`/api/v1/analytics/portfolio/${bookId}/overview`);
    expect(anonymous.status).toBe(401);
  });
});
