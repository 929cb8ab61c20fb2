import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { POSITION_CSV_COLUMNS } from '../../../src/domain/csv/parse-positions-csv.ts';
import { CompanyProfileRepository } from '../../../src/db/repositories/company-profile-repository.ts';
import { SnapshotRepository } from '../../../src/db/repositories/snapshot-repository.ts';
import { createLogger } from '../../../src/logger.ts';
import { getSampleProvider } from '../../../src/market/create-provider.ts';
import { calculatePortfolio } from '../../../src/pipeline/onboarding/calculate-portfolio.ts';
import { SymbolCache } from '../../../src/pipeline/symbol-cache.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';

const NOW = new Date('2026-08-04T15:00:00Z');
const CALCULATION_DATE = '2026-07-31';
const HEADER = POSITION_CSV_COLUMNS.map((c) => c.header).join(',');

/** Three market symbols: a long ETF, a short stock with a closed earlier lot, and a call. */
const BOOK = [
  HEADER,
  'SPY,100,500,2025-07-01,PUBLIC,ETF,,,,,,',
  'XOM,-50,110,2026-03-02,PUBLIC,STOCK,,,,,,',
  'XOM,30,100,2025-09-02,PUBLIC,STOCK,,,,,2026-05-01,115',
  'AAPL270115C00250000,2,20,2026-06-01,,,,,,,,',
].join('\n');

interface ErrorBody {
  error: { code: string; message: string };
}
interface Greeks {
  delta: number;
  gamma: number;
  theta: number;
  vega: number;
  underlying_price: number;
  volatility: number;
  as_of: string;
}
interface PositionDetail {
  id: string;
  symbol: string;
  company_name: string | null;
  sector: string | null;
  industry: string | null;
  position_type: string;
  quantity: number;
  entry_price: number;
  is_open: boolean;
  cost_basis: number;
  current_price: number | null;
  market_value: number | null;
  unrealized_pnl: number | null;
  unrealized_pnl_percent: number | null;
  greeks: Greeks | null;
  [key: string]: unknown;
}
interface Details {
  portfolio_id: string;
  as_of: string | null;
  positions: PositionDetail[];
  summary: {
    total_positions: number;
    open_positions: number;
    closed_positions_hidden: number;
    total_cost_basis: number;
    total_market_value: number | null;
    total_unrealized_pnl: number | null;
  };
}

describeOnEachEngine('portfolio data routes', ({ database }) => {
  let t: TestApp;
  let token: string;
  let calculatedId: string;
  let freshId: string;

  const get = async <T>(path: string, as = token): Promise<{ status: number; body: T }> => {
    const res = await t.request(`/api/v1${path}`, { token: as });
    return { status: res.status, body: (await res.json()) as T };
  };

  const upload = async (accountName: string, csv: string): Promise<string> => {
    const form = new FormData();
    form.set('portfolio_name', accountName);
    form.set('account_name', accountName);
    form.set('account_type', 'taxable');
    form.set('equity_balance', '100000');
    form.set('csv_file', new File([csv], 'book.csv'));
    const res = await t.request('/api/v1/onboarding/create-portfolio', {
      method: 'POST',
      token,
      body: form,
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { portfolio_id: string }).portfolio_id;
  };

  beforeAll(async () => {
    t = await createTestApp(() => database(), { now: () => NOW });
    token = await t.login('data@example.com');
    calculatedId = await upload('Calculated', BOOK);
    freshId = await upload('Fresh', `${HEADER}\nKO,10,60,2026-07-01,,,,,,,,\n`);
    const result = await calculatePortfolio(
      {
        db: database().db,
        provider: await getSampleProvider(),
        cache: new SymbolCache(),
        logger: createLogger('silent'),
      },
      calculatedId,
      { date: CALCULATION_DATE, triggeredBy: 'test' },
    );
    expect(result.status).toBe('completed');
  });

  it('the latest snapshot has every stored column; before a calculation it is available:false with nulls', async () => {
    const { status, body } = await get<Record<string, unknown>>(
      `/data/portfolio/${calculatedId}/snapshot`,
    );
    expect(status).toBe(200);
    const snapshots = new SnapshotRepository(database().db);
    const [stored] = await snapshots.history(calculatedId, CALCULATION_DATE, CALCULATION_DATE);
    const analytics = (await snapshots.analytics(calculatedId, CALCULATION_DATE))!;
    expect(body).toMatchObject({
      portfolio_id: calculatedId,
      available: true,
      reason: null,
      snapshot_date: CALCULATION_DATE,
      net_asset_value: stored!.netAssetValue,
      daily_pnl: stored!.dailyPnl,
      daily_return: stored!.dailyReturn,
      cumulative_pnl: stored!.cumulativePnl,
      gross_exposure: stored!.grossExposure,
      net_exposure: stored!.netExposure,
      num_positions: 3,
      num_short_positions: 1,
      num_option_positions: 1,
      beta_calculated_90d: analytics.betaCalculated90d,
      beta_provider_1y: analytics.betaProvider1y,
      hhi: analytics.hhi,
      realized_volatility_21d: analytics.realizedVolatility21d,
      is_complete: true,
    });
    expect(typeof body.beta_calculated_90d).toBe('number');
    expect(typeof body.portfolio_delta).toBe('number');

    const fresh = await get<Record<string, unknown>>(`/data/portfolio/${freshId}/snapshot`);
    expect(fresh.status).toBe(200);
    // Same keys as a real snapshot, so a client never meets a missing one.
    expect(Object.keys(fresh.body).sort()).toEqual(Object.keys(body).sort());
    for (const [key, value] of Object.entries(fresh.body)) {
      if (key === 'portfolio_id') expect(value).toBe(freshId);
      else if (key === 'available' || key === 'is_complete') expect(value).toBe(false);
      else if (key === 'reason') expect(value).toBe('no_calculation_available');
      else if (key === 'data_issues') expect(value).toEqual([]);
      else expect(value, key).toBeNull();
    }
  });

  it('history lists one entry per snapshot day in the range, oldest first', async () => {
    const { status, body } = await get<{
      portfolio_id: string;
      snapshots: Record<string, unknown>[];
    }>(`/data/portfolio/${calculatedId}/history?from=2026-07-25&to=2026-07-31`);
    expect(status).toBe(200);
    expect(body.portfolio_id).toBe(calculatedId);
    expect(body.snapshots.map((s) => s.date)).toEqual([
      '2026-07-27',
      '2026-07-28',
      '2026-07-29',
      '2026-07-30',
      '2026-07-31',
    ]);
    const stored = await new SnapshotRepository(database().db).history(
      calculatedId,
      '2026-07-27',
      '2026-07-31',
    );
    expect(body.snapshots).toEqual(
      stored.map((s) => ({
        date: s.snapshotDate,
        net_asset_value: s.netAssetValue,
        daily_pnl: s.dailyPnl,
        daily_return: s.dailyReturn,
        cumulative_pnl: s.cumulativePnl,
        gross_exposure: s.grossExposure,
        net_exposure: s.netExposure,
        is_complete: s.isComplete,
      })),
    );
    // Each day's NAV is the previous one plus the day's P&L (no flows in this book), to the
    // cent both are stored at.
    const navs = body.snapshots.map((s) => s.net_asset_value as number);
    for (let i = 1; i < navs.length; i++) {
      const expected = navs[i - 1]! + (body.snapshots[i]!.daily_pnl as number);
      expect(Math.abs(navs[i]! - expected)).toBeLessThanOrEqual(0.011);
    }

    const all = await get<{ snapshots: { date: string }[] }>(
      `/data/portfolio/${calculatedId}/history`,
    );
    const dates = all.body.snapshots.map((s) => s.date);
    expect(dates.at(-1)).toBe(CALCULATION_DATE);
    // Back-cast from the earliest entry (2025-07-01); one row per session, ascending.
    expect(dates[0]! <= '2025-07-01').toBe(true);
    expect(dates.length).toBeGreaterThan(250);
    expect([...dates].sort()).toEqual(dates);

    expect(
      (await get<{ snapshots: unknown[] }>(`/data/portfolio/${freshId}/history`)).body,
    ).toEqual({ portfolio_id: freshId, snapshots: [] });
    const reversed = await get<ErrorBody>(
      `/data/portfolio/${calculatedId}/history?from=2026-07-31&to=2026-07-01`,
    );
    expect(reversed.status).toBe(422);
    expect(reversed.body.error.code).toBe('ERR_VALIDATION');
    const badDate = await get<ErrorBody>(`/data/portfolio/${calculatedId}/history?from=2026-02-30`);
    expect(badDate.status).toBe(422);
    expect(badDate.body.error.code).toBe('ERR_VALIDATION');
  });

  it('position details carry marks, profiles, option Greeks and open-position totals', async () => {
    const { status, body } = await get<Details>(
      `/data/positions/details?portfolio_id=${calculatedId}&include_closed=true`,
    );
    expect(status).toBe(200);
    expect(body.portfolio_id).toBe(calculatedId);
    expect(body.as_of).toBe(CALCULATION_DATE);
    const bySymbol = (symbol: string, open = true) =>
      body.positions.find((p) => p.symbol === symbol && p.is_open === open)!;
    expect(body.positions).toHaveLength(4);

    const profiles = await new CompanyProfileRepository(database().db).getSectors(['SPY', 'AAPL']);
    const spy = bySymbol('SPY');
    expect(spy).toMatchObject({
      company_name: profiles.get('SPY')!.name,
      sector: profiles.get('SPY')!.sector,
      position_type: 'LONG',
      cost_basis: 50000,
      greeks: null,
    });
    expect(spy.current_price).toBeGreaterThan(0);
    expect(spy.market_value).toBeCloseTo(spy.current_price! * 100, 2);
    expect(spy.unrealized_pnl).toBeCloseTo((spy.current_price! - 500) * 100, 2);
    expect(spy.unrealized_pnl_percent).toBeCloseTo((spy.unrealized_pnl! / 50000) * 100, 8);

    // The short's percentage is relative to the capital at stake: a gain is positive.
    const short = bySymbol('XOM');
    expect(short).toMatchObject({ position_type: 'SHORT', quantity: -50, cost_basis: -5500 });
    expect(short.unrealized_pnl).toBeCloseTo((110 - short.current_price!) * 50, 2);
    expect(short.unrealized_pnl_percent).toBeCloseTo((short.unrealized_pnl! / 5500) * 100, 8);

    const closed = bySymbol('XOM', false);
    expect(closed).toMatchObject({
      exit_date: '2026-05-01',
      exit_price: 115,
      cost_basis: 3000,
      greeks: null,
    });

    // The option takes its underlying's profile; Greeks are position Greeks (× 100 × contracts)
    // and add up to the snapshot's portfolio Greeks, computed independently by phase 4.
    const call = bySymbol('AAPL270115C00250000');
    expect(call).toMatchObject({
      company_name: profiles.get('AAPL')!.name,
      sector: profiles.get('AAPL')!.sector,
      industry: profiles.get('AAPL')!.industry,
      position_type: 'LC',
      investment_class: 'OPTIONS',
      underlying_symbol: 'AAPL',
      strike_price: 250,
      expiration_date: '2027-01-15',
      option_type: 'CALL',
      cost_basis: 4000,
    });
    expect(call.market_value).toBeCloseTo(call.current_price! * 200, 2);
    const greeks = call.greeks!;
    expect(greeks.as_of).toBe(CALCULATION_DATE);
    expect(greeks.delta).toBeGreaterThan(0);
    expect(greeks.delta).toBeLessThan(200);
    expect(greeks.gamma).toBeGreaterThan(0);
    expect(greeks.theta).toBeLessThan(0);
    expect(greeks.vega).toBeGreaterThan(0);
    const snapshot = (await get<Record<string, number>>(`/data/portfolio/${calculatedId}/snapshot`))
      .body;
    expect(greeks.delta).toBeCloseTo(snapshot.portfolio_delta!, 6);
    expect(greeks.gamma).toBeCloseTo(snapshot.portfolio_gamma!, 6);
    expect(greeks.theta).toBeCloseTo(snapshot.portfolio_theta!, 6);
    expect(greeks.vega).toBeCloseTo(snapshot.portfolio_vega!, 6);

    const open = body.positions.filter((p) => p.is_open);
    expect(body.summary.total_positions).toBe(4);
    expect(body.summary.open_positions).toBe(3);
    expect(body.summary.closed_positions_hidden).toBe(0);

    // By default the closed lot is left out, with the same totals over what is held.
    const held = (await get<Details>(`/data/positions/details?portfolio_id=${calculatedId}`)).body;
    expect(held.positions.map((p) => p.symbol).sort()).toEqual(
      ['AAPL270115C00250000', 'SPY', 'XOM'].sort(),
    );
    expect(held.positions.every((p) => p.is_open)).toBe(true);
    expect(held.summary).toMatchObject({
      total_positions: 3,
      open_positions: 3,
      closed_positions_hidden: 1,
      total_market_value: body.summary.total_market_value,
    });
    expect(body.summary.total_cost_basis).toBeCloseTo(50000 - 5500 + 4000, 6);
    expect(body.summary.total_market_value).toBeCloseTo(
      open.reduce((s, p) => s + p.market_value!, 0),
      6,
    );
    expect(body.summary.total_unrealized_pnl).toBeCloseTo(
      open.reduce((s, p) => s + p.unrealized_pnl!, 0),
      6,
    );
    // Totals are to the cent, without float noise.
    for (const total of [
      body.summary.total_cost_basis,
      body.summary.total_market_value!,
      body.summary.total_unrealized_pnl!,
    ]) {
      expect(Number(total.toFixed(2))).toBe(total);
    }

    // Before any calculation: no marks, so totals of value are null rather than 0.
    const fresh = await get<Details>(`/data/positions/details?portfolio_id=${freshId}`);
    expect(fresh.body.as_of).toBeNull();
    expect(fresh.body.positions[0]).toMatchObject({
      symbol: 'KO',
      cost_basis: 600,
      current_price: null,
      market_value: null,
      unrealized_pnl: null,
      unrealized_pnl_percent: null,
      greeks: null,
    });
    expect(fresh.body.summary).toEqual({
      total_positions: 1,
      open_positions: 1,
      closed_positions_hidden: 0,
      total_cost_basis: 600,
      total_market_value: null,
      total_unrealized_pnl: null,
    });
  });

  it("position details carry each lot's notes (the web app edits them)", async () => {
    const notedId = await upload('Noted', `${HEADER}\nKO,10,60,2026-07-01,,,,,,,,\n`);
    const before = await get<Details>(`/data/positions/details?portfolio_id=${notedId}`);
    const lot = before.body.positions[0]!;
    expect(lot.notes).toBeNull();
    const put = await t.request(`/api/v1/positions/${lot.id}`, {
      method: 'PUT',
      token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ notes: 'Bought on the dip' }),
    });
    expect(put.status).toBe(200);
    const after = await get<Details>(`/data/positions/details?portfolio_id=${notedId}`);
    expect(after.body.positions[0]).toMatchObject({ id: lot.id, notes: 'Bought on the dip' });
  });

  it('the portfolio list takes NAV and value from the latest snapshot once calculated', async () => {
    const { body } = await get<Record<string, unknown>[]>('/data/portfolios');
    const snapshot = (await get<Record<string, number>>(`/data/portfolio/${calculatedId}/snapshot`))
      .body;
    expect(body.find((p) => p.id === calculatedId)).toMatchObject({
      equity_balance: 100000,
      net_asset_value: snapshot.net_asset_value,
      total_value: snapshot.net_exposure,
      position_count: 3,
      anchor_date: CALCULATION_DATE,
      last_calculation_date: CALCULATION_DATE,
    });
    expect(body.find((p) => p.id === freshId)).toMatchObject({
      net_asset_value: 100000,
      total_value: null,
      position_count: 1,
      last_calculation_date: null,
    });
  });

  it('answers bad and foreign ids with 400 / 404, never data', async () => {
    const missingQuery = await get<ErrorBody>('/data/positions/details');
    expect(missingQuery.status).toBe(422);
    expect(missingQuery.body.error.code).toBe('ERR_VALIDATION');
    const badQuery = await get<ErrorBody>('/data/positions/details?portfolio_id=1%20OR%201=1');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.code).toBe('ERR_INVALID_ID');
    for (const path of ['snapshot', 'history']) {
      const bad = await get<ErrorBody>(`/data/portfolio/xyz/${path}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('ERR_INVALID_ID');
    }

    const stranger = await t.login('data-stranger@example.com');
    for (const id of [calculatedId, randomUUID()]) {
      for (const path of [
        `/data/positions/details?portfolio_id=${id}`,
        `/data/portfolio/${id}/snapshot`,
        `/data/portfolio/${id}/history`,
      ]) {
        const res = await get<ErrorBody>(path, stranger);
        expect(res.status, path).toBe(404);
        expect(res.body.error.code).toBe('ERR_PORTFOLIO_NOT_FOUND');
      }
    }
  });
});
