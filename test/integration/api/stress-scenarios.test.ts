import { beforeAll, expect, it } from 'vitest';
import { PortfolioRepository } from '../../../src/db/repositories/portfolio-repository.ts';
import { blackScholes } from '../../../src/domain/options/black-scholes.ts';
import { createLogger } from '../../../src/logger.ts';
import { getSampleProvider } from '../../../src/market/create-provider.ts';
import { calculatePortfolio } from '../../../src/pipeline/onboarding/calculate-portfolio.ts';
import { SymbolCache } from '../../../src/pipeline/symbol-cache.ts';
import { portfolioStressSchema } from '../../../src/services/analytics/schemas.ts';
import { stock } from '../../helpers/stock-position.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';
import { STRESS_SCENARIOS } from '../../../src/domain/stress/scenarios.ts';

const DATE = '2026-07-31';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describeOnEachEngine('stress scenarios: replays, the model, custom scenarios', ({ database }) => {
  let t: TestApp;
  let token: string;
  let otherToken: string;
  let bookId: string;

  const call = async (path: string, init: RequestInit & { token?: string } = {}) => {
    const res = await t.request(`/api/v1${path}`, { token, ...init });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const post = (path: string, body: unknown, as = token) =>
    call(path, {
      method: 'POST',
      token: as,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const stress = async (query = '') => {
    const { status, body } = await call(`/analytics/portfolio/${bookId}/stress-test${query}`);
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(() => portfolioStressSchema.parse(body)).not.toThrow();
    return body.data;
  };
  const scenarioOf = (data: Json, id: string) => data.scenarios.find((s: Json) => s.id === id);

  beforeAll(async () => {
    t = await createTestApp(() => database());
    token = await t.login('stress@example.com');
    otherToken = await t.login('someone-else@example.com');
    const me = (await (await t.request('/api/v1/auth/me', { token })).json()) as { id: string };
    const book = await new PortfolioRepository(database().db).createWithPositions({
      userId: me.id,
      name: 'Stress book',
      accountName: 'STRESS',
      accountType: 'taxable',
      equityBalance: 1_000_000,
      positions: [
        stock('SPY', 500, 500, '2025-07-01', { investmentSubtype: 'ETF' }),
        stock('AAPL', 800, 200, '2026-01-02'),
        stock('TLT', 1500, 90, '2026-01-02', { investmentSubtype: 'ETF' }),
        stock('XOM', -600, 110, '2026-03-02'),
        stock('FO_ART', 1, 50_000, '2025-08-01', {
          investmentClass: 'PRIVATE',
          investmentSubtype: 'ART',
        }),
        stock('AAPL270115C00250000', 10, 20, '2026-06-01', {
          positionType: 'LC',
          investmentClass: 'OPTIONS',
          investmentSubtype: 'CALL',
          underlyingSymbol: 'AAPL',
          strikePrice: 250,
          expirationDate: '2027-01-15',
          optionType: 'CALL',
        }),
      ],
    });
    bookId = book.id;
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
    expect(result.status).toBe('completed');
  });

  it('replays history windows: each with its window and the factors whose ETFs traded over it', async () => {
    const data = await stress();
    expect(data.unavailable_scenarios).toEqual([]);
    const shocked = (id: string) => scenarioOf(data, id).shocked_factors;
    expect(scenarioOf(data, 'financial_crisis_2008').window).toEqual({
      start: '2008-09-15',
      end: '2009-03-13',
    });
    expect(shocked('financial_crisis_2008')).toEqual([
      'Market',
      'Value',
      'Growth',
      'Size',
      'Rates',
    ]);
    expect(shocked('covid_crash_2020')).toHaveLength(8);
    expect(shocked('dotcom_crash_2000')).toEqual(['Market']);
    expect(scenarioOf(data, 'market_down_10')).toMatchObject({
      window: null,
      custom: false,
      shocked_factors: ['Market'],
    });
    const covid = scenarioOf(data, 'covid_crash_2020');
    const rates = covid.factor_impacts.find((f: Json) => f.factor === 'Rates');
    // TLT rose 14.2 % over the window: a fall in long yields of about 0.81 points (D = 17.5).
    expect(rates.move_direct).toBeCloseTo(0.1423, 3);
    expect(rates.yield_change_direct).toBeCloseTo(-0.1423 / 17.5, 4);
    const value = covid.factor_impacts.find((f: Json) => f.factor === 'Value');
    expect(value).toMatchObject({ series: 'VTV − SPY', shocked: true });
    expect(value.move_direct).toBeCloseTo(-0.0267, 4);
    // Every factor is shocked: nothing is left to the conditional expectation.
    expect(covid.correlation_effect).toBe(0);
  });

  it('returns the model on request, and every scenario can be recomputed from it by hand', async () => {
    const without = await stress();
    expect(without.model).toBeUndefined();
    const data = await stress('?include=model');
    const model = data.model;
    expect(model.window.end).toBe(DATE);
    expect(model.observations).toBe(252);
    expect(model.factors.map((f: Json) => f.series)).toEqual([
      'SPY',
      'VTV − SPY',
      'VUG − SPY',
      'MTUM − SPY',
      'QUAL − SPY',
      'IWM − SPY',
      'USMV − SPY',
      'TLT',
    ]);
    expect(model.covariance).toHaveLength(8);
    expect(model.positions.map((p: Json) => p.symbol).sort()).toEqual(
      ['AAPL', 'AAPL270115C00250000', 'SPY', 'TLT', 'XOM'].sort(),
    );
    const names = model.factors.map((f: Json) => f.name);
    const sigma: number[][] = model.covariance;
    // By hand: shock Market by m; every other factor moves by Σ_jM / Σ_MM × m; each position's
    // price by Σ_j β_j move_j; stocks by value × return, the call by Black–Scholes at the new spot.
    for (const id of ['market_down_10', 'market_crash_35']) {
      const m = id === 'market_down_10' ? -0.1 : -0.35;
      const moves = names.map((_: string, j: number) => (sigma[j]![0]! / sigma[0]![0]!) * m);
      let total = 0;
      for (const p of model.positions) {
        const r = Math.max(
          -1,
          names.reduce((s: number, f: string, j: number) => s + p.betas[f] * moves[j], 0),
        );
        if (p.option) {
          const o = p.option;
          const value = (spot: number) =>
            blackScholes({
              kind: o.option_type,
              spot,
              strike: o.strike,
              years: o.years_to_expiry,
              rate: o.rate,
              volatility: o.volatility,
            }).price;
          total += (value(o.underlying_price * (1 + r)) - o.model_value) * o.units;
        } else {
          total += p.market_value * r;
        }
      }
      expect(Math.abs(total - scenarioOf(data, id).correlated_pnl), id).toBeLessThan(0.02);
    }
  });

  it('creates, lists and deletes custom scenarios, each user seeing only their own', async () => {
    const shocks = await post('/stress-scenarios', {
      name: 'Tech wobble',
      description: 'Growth trails by 8 points while the market slips 3%',
      shocks: { Market: -0.03, Growth: -0.08, Rates: 0.005 },
    });
    expect(shocks.status).toBe(201);
    expect(shocks.body).toMatchObject({
      name: 'Tech wobble',
      custom: true,
      category: 'custom',
      severity: 'moderate',
      window: null,
      shocks: { Market: -0.03, Growth: -0.08, Rates: 0.005 },
    });
    expect(shocks.body.factor_moves.Rates).toBeCloseTo(-0.0875, 12);

    const window = await post('/stress-scenarios', {
      name: 'COVID by hand',
      window: { start: '2020-02-19', end: '2020-03-23' },
    });
    expect(window.status).toBe(201);
    expect(window.body.window).toEqual({ start: '2020-02-19', end: '2020-03-23' });
    expect(window.body.severity).toBe('extreme');
    // A weekend window snaps to the sessions inside it.
    const weekend = await post('/stress-scenarios', {
      name: 'Snap',
      window: { start: '2020-02-15', end: '2020-03-22' },
    });
    expect(weekend.body.window).toEqual({ start: '2020-02-18', end: '2020-03-20' });

    const list = await call('/stress-scenarios');
    expect(list.body.scenarios.map((s: Json) => s.name)).toEqual([
      'Tech wobble',
      'COVID by hand',
      'Snap',
    ]);
    const theirs = await call('/stress-scenarios', { token: otherToken });
    expect(theirs.body.scenarios).toEqual([]);
    const steal = await call(`/stress-scenarios/${shocks.body.id}`, {
      method: 'DELETE',
      token: otherToken,
    });
    expect(steal.status).toBe(404);
    expect(steal.body.error.code).toBe('ERR_SCENARIO_NOT_FOUND');
    const gone = await call(`/stress-scenarios/${weekend.body.id}`, { method: 'DELETE' });
    expect(gone).toEqual({ status: 200, body: { id: weekend.body.id, deleted: true } });
    expect((await call('/stress-scenarios')).body.scenarios).toHaveLength(2);
    expect((await call('/stress-scenarios/not-a-uuid', { method: 'DELETE' })).status).toBe(400);
  });

  it('evaluates custom scenarios with the same model: identical to the built-in ones they copy', async () => {
    const copy = await post('/stress-scenarios', {
      name: 'Market down 10, again',
      shocks: { Market: -0.1 },
    });
    const data = await stress();
    const builtIn = scenarioOf(data, 'market_down_10');
    const custom = scenarioOf(data, copy.body.id);
    expect(custom).toMatchObject({ custom: true, category: 'custom', shocked_factors: ['Market'] });
    for (const key of ['direct_pnl', 'correlated_pnl', 'correlation_effect'] as const) {
      expect(custom[key], key).toBeCloseTo(builtIn[key], 2);
    }
    expect(custom.position_impacts).toEqual(builtIn.position_impacts);

    const covidByHand = data.scenarios.find((s: Json) => s.name === 'COVID by hand');
    const covid = scenarioOf(data, 'covid_crash_2020');
    expect(covidByHand.correlated_pnl).toBeCloseTo(covid.correlated_pnl, 2);
    expect(covidByHand.window).toEqual(covid.window);
    // Built-in scenarios first in SPEC order, then the user's own in the order created.
    expect(data.scenarios.slice(STRESS_SCENARIOS.length).map((s: Json) => s.name)).toEqual([
      'Tech wobble',
      'COVID by hand',
      'Market down 10, again',
    ]);
    // The filter takes custom ids too; another user's portfolio view has none of them.
    const only = await stress(`?scenarios=${copy.body.id},market_down_10`);
    expect(only.scenarios.map((s: Json) => s.id)).toEqual(['market_down_10', copy.body.id]);

    const aggregate = await call('/analytics/aggregate/stress-test');
    const aggregateCopy = aggregate.body.data.scenarios.find((s: Json) => s.id === copy.body.id);
    expect(aggregateCopy.correlated_pnl).toBeCloseTo(custom.correlated_pnl, 2);
    expect(aggregateCopy.custom).toBe(true);
  });

  it('refuses bad scenarios with a clear 4xx and stores nothing', async () => {
    const before = (await call('/stress-scenarios')).body.scenarios.length;
    const cases: [unknown, number, string, RegExp][] = [
      [{ name: 'x', shocks: { Martians: 0.1 } }, 422, 'ERR_VALIDATION', /unknown factor/],
      [{ name: 'x', shocks: { Market: -1 } }, 422, 'ERR_VALIDATION', /above -1/],
      [{ name: 'x', shocks: { Rates: 0.2 } }, 422, 'ERR_VALIDATION', /within ±0.1/],
      [{ name: 'x', shocks: {} }, 422, 'ERR_VALIDATION', /at least one factor/],
      [{ name: 'x' }, 422, 'ERR_VALIDATION', /exactly one of shocks and window/],
      [
        { name: 'x', shocks: { Market: -0.1 }, window: { start: '2020-02-19', end: '2020-03-23' } },
        422,
        'ERR_VALIDATION',
        /exactly one/,
      ],
      [
        { name: 'x', window: { start: '1980-01-02', end: '1987-10-19' } },
        422,
        'ERR_VALIDATION',
        /inside the stored history, 1993-01-29 to 2026-07-31/,
      ],
      [
        { name: 'x', window: { start: '2020-03-23', end: '2020-02-19' } },
        422,
        'ERR_VALIDATION',
        /start must be before end/,
      ],
      [
        { name: 'x', window: { start: '2020-02-30', end: '2020-03-23' } },
        422,
        'ERR_VALIDATION',
        /date/,
      ],
      [{ name: '', shocks: { Market: 0.1 } }, 422, 'ERR_VALIDATION', /name/],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await post('/stress-scenarios', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toMatch(message);
    }
    const notJson = await call('/stress-scenarios', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(notJson.status).toBe(400);
    expect((await call('/stress-scenarios')).body.scenarios).toHaveLength(before);
    expect((await call('/stress-scenarios', { token: '' })).status).toBe(401);
  });
});
