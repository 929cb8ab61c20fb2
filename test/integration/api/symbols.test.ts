import { beforeAll, expect, it } from 'vitest';
import { CompanyProfileRepository } from '../../../src/db/repositories/company-profile-repository.ts';
import {
  FactorRepository,
  type SymbolFactorRow,
} from '../../../src/db/repositories/factor-repository.ts';
import { MarketDataRepository } from '../../../src/db/repositories/market-data-repository.ts';
import { SymbolUniverseRepository } from '../../../src/db/repositories/symbol-universe-repository.ts';
import { FACTOR_DEFINITIONS } from '../../../src/domain/factors/factor-definitions.ts';
import type { SymbolProfile } from '../../../src/market/provider.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';
import { SPEC_FACTOR_NAMES } from '../../helpers/spec-factor-names.ts';

const profile: SymbolProfile = {
  symbol: 'ACME',
  name: 'Acme Corp',
  sector: 'Industrials',
  industry: 'Machinery',
  exchange: 'NYSE',
  country: 'US',
  isEtf: false,
  marketCap: 123456789.12,
  peRatio: 18.5,
  forwardPe: null,
  dividendYield: 0.012,
  beta: 1.15,
  betaSource: 'test:fixture',
  week52High: 55.25,
  week52Low: 31.5,
  nextEarningsDate: '2025-07-24',
};

const closes = [
  { date: '2025-06-02', close: 40.5 },
  { date: '2025-06-03', close: 41.25 },
  { date: '2025-06-04', close: 40.75 },
  { date: '2025-06-05', close: 42.125 },
  { date: '2025-06-06', close: 43 },
];

const errorCode = async (res: Response) =>
  ((await res.json()) as { error: { code: string } }).error.code;

describeOnEachEngine('symbol routes', ({ database }) => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    const db = database().db;
    await new CompanyProfileRepository(db).upsert([profile], 'test');
    await new MarketDataRepository(db).upsertCloses(
      closes.map((c) => ({ symbol: 'ACME', ...c })),
      'test',
    );
    // A symbol with prices only (no profile, no factors) is still known.
    await new MarketDataRepository(db).upsertCloses(
      [{ symbol: 'BARE', date: '2025-06-06', close: 7.5 }],
      'test',
    );
    await new SymbolUniverseRepository(db).register(
      [{ symbol: 'ACME', assetType: 'equity' }],
      '2025-06-02',
    );
    const factors = new FactorRepository(db);
    const definitions = await factors.seedDefinitions(FACTOR_DEFINITIONS);
    const idOf = (name: string) => definitions.find((d) => d.name === name)!.id;
    const row = (date: string, name: string, beta: number): SymbolFactorRow => ({
      symbol: 'ACME',
      factorId: idOf(name),
      calculationDate: date,
      beta,
      rSquared: 0.5,
      stdError: 0.1,
      observations: 90,
      calculationMethod: 'ols',
      regularizationAlpha: null,
      windowDays: 90,
      qualityFlag: 'ok',
    });
    // An older date with other numbers: the route must answer with the latest one.
    await factors.replaceSymbolExposures(
      [row('2025-06-05', 'Market Beta (90D)', 0.9), row('2025-06-05', 'IR Beta', -0.2)],
      { symbols: ['ACME'], dates: ['2025-06-05'] },
    );
    await factors.replaceSymbolExposures(
      [
        row('2025-06-06', 'IR Beta', -0.25),
        row('2025-06-06', 'Market Beta (90D)', 1.1),
        row('2025-06-06', 'Value', 0.3),
      ],
      { symbols: ['ACME'], dates: ['2025-06-06'] },
    );
    t = await createTestApp(() => database(), {
      now: () => new Date('2025-06-09T15:00:00Z'),
    });
    token = await t.login('sym@example.com');
  });

  it('answers the profile, the latest factor betas in display order and the last close', async () => {
    const res = await t.request('/api/v1/symbols/acme', { token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      symbol: 'ACME',
      profile: {
        name: 'Acme Corp',
        sector: 'Industrials',
        industry: 'Machinery',
        exchange: 'NYSE',
        country: 'US',
        is_etf: false,
        market_cap: 123456789.12,
        pe_ratio: 18.5,
        forward_pe: null,
        dividend_yield: 0.012,
        beta: 1.15,
        beta_source: 'test:fixture',
        week_52_high: 55.25,
        week_52_low: 31.5,
        next_earnings_date: '2025-07-24',
        data_source: 'test',
        updated_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      },
      last_close: { date: '2025-06-06', close: 43 },
      price_history: { first_date: '2025-06-02', last_date: '2025-06-06' },
      factors: {
        calculation_date: '2025-06-06',
        betas: [
          expect.objectContaining({ name: 'Market Beta (90D)', display_order: 0, beta: 1.1 }),
          expect.objectContaining({ name: 'IR Beta', display_order: 2, beta: -0.25 }),
          expect.objectContaining({
            name: 'Value',
            display_order: 4,
            beta: 0.3,
            r_squared: 0.5,
            std_error: 0.1,
            observations: 90,
            calculation_method: 'ols',
            window_days: 90,
            quality_flag: 'ok',
          }),
        ],
      },
      universe: {
        asset_type: 'equity',
        is_active: true,
        last_processed_date: null,
        last_error: null,
      },
    });
  });

  it('answers a symbol known only by its prices, with the rest of the shape present', async () => {
    const res = await t.request('/api/v1/symbols/BARE', { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      symbol: 'BARE',
      profile: null,
      last_close: { date: '2025-06-06', close: 7.5 },
      price_history: { first_date: '2025-06-06', last_date: '2025-06-06' },
      factors: { calculation_date: null, betas: [] },
      universe: null,
    });
  });

  it('404s a symbol the system knows nothing of and 400s one that cannot be a symbol', async () => {
    const unknown = await t.request('/api/v1/symbols/NOPE', { token });
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe('ERR_SYMBOL_NOT_FOUND');
    const unknownPrices = await t.request('/api/v1/symbols/NOPE/prices', { token });
    expect(unknownPrices.status).toBe(404);
    expect(await errorCode(unknownPrices)).toBe('ERR_SYMBOL_NOT_FOUND');

    for (const bad of ['A%20B', 'AB%24', 'X'.repeat(101), '%27%3B--']) {
      const res = await t.request(`/api/v1/symbols/${bad}`, { token });
      expect(res.status, bad).toBe(400);
      expect(await errorCode(res)).toBe('ERR_INVALID_SYMBOL');
    }
    expect((await t.request('/api/v1/symbols/AB%24/prices', { token })).status).toBe(400);
  });

  it('needs a session', async () => {
    expect((await t.request('/api/v1/symbols/ACME')).status).toBe(401);
    expect((await t.request('/api/v1/factors')).status).toBe(401);
  });

  it('lists closes oldest first, in a range or by default the year up to the last close', async () => {
    const ranged = await t.request('/api/v1/symbols/ACME/prices?from=2025-06-03&to=2025-06-05', {
      token,
    });
    expect(ranged.status).toBe(200);
    expect(await ranged.json()).toEqual({
      symbol: 'ACME',
      from: '2025-06-03',
      to: '2025-06-05',
      prices: [
        { date: '2025-06-03', close: 41.25 },
        { date: '2025-06-04', close: 40.75 },
        { date: '2025-06-05', close: 42.125 },
      ],
    });

    const all = await t.request('/api/v1/symbols/acme/prices', { token });
    expect(await all.json()).toEqual({
      symbol: 'ACME',
      from: '2024-06-06',
      to: '2025-06-06',
      prices: closes,
    });

    const fromOnly = await t.request('/api/v1/symbols/ACME/prices?from=2025-06-05', { token });
    expect(((await fromOnly.json()) as { prices: unknown[] }).prices).toEqual(closes.slice(3));

    const empty = await t.request('/api/v1/symbols/ACME/prices?from=2024-01-01&to=2024-01-31', {
      token,
    });
    expect(((await empty.json()) as { prices: unknown[] }).prices).toEqual([]);
  });

  it('rejects bad date ranges with 422, never a 500', async () => {
    for (const query of ['from=2025-02-30', 'to=06/05/2025', 'from=2025-06-05&to=2025-06-01']) {
      const res = await t.request(`/api/v1/symbols/ACME/prices?${query}`, { token });
      expect(res.status, query).toBe(422);
      expect(await errorCode(res)).toBe('ERR_VALIDATION');
    }
  });

  it('lists the 13 factor definitions in display order, with their table ids', async () => {
    const res = await t.request('/api/v1/factors', { token });
    expect(res.status).toBe(200);
    const { factors } = (await res.json()) as {
      factors: {
        id: number | null;
        name: string;
        display_order: number;
        calculation_method: string;
        regressors: string[];
        window_days: number | null;
        min_observations: number | null;
      }[];
    };
    expect(factors.map((f) => f.name)).toEqual(SPEC_FACTOR_NAMES);
    expect(factors.map((f) => f.display_order)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(factors.every((f) => typeof f.id === 'number')).toBe(true);
    expect(factors[0]).toMatchObject({
      calculation_method: 'ols',
      regressors: ['SPY'],
      window_days: 90,
      min_observations: 30,
    });
    expect(factors[1]).toMatchObject({
      calculation_method: 'provider',
      regressors: [],
      window_days: null,
      min_observations: null,
    });
    expect(factors[9]).toMatchObject({
      name: 'Growth-Value Spread',
      etf_proxy: 'VUG-VTV',
      window_days: 180,
      min_observations: 60,
    });
  });
});
