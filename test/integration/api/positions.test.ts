import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { PortfolioRepository } from '../../../src/db/repositories/portfolio-repository.ts';
import { PositionRepository } from '../../../src/db/repositories/position-repository.ts';
import { SnapshotRepository } from '../../../src/db/repositories/snapshot-repository.ts';
import { createLogger } from '../../../src/logger.ts';
import { getSampleProvider } from '../../../src/market/create-provider.ts';
import { calculatePortfolio } from '../../../src/pipeline/onboarding/calculate-portfolio.ts';
import { SymbolCache } from '../../../src/pipeline/symbol-cache.ts';
import { stock } from '../../helpers/stock-position.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';

/** 2026-08-04 in New York. */
const NOW = new Date('2026-08-04T15:00:00Z');

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
interface Lot {
  id: string;
  symbol: string;
  quantity: number;
  entry_price: number;
  entry_date: string;
  exit_date: string | null;
  exit_price: number | null;
  notes: string | null;
  is_open: boolean;
  realized_pnl: number | null;
  split_from_position_id: string | null;
  position_type: string;
}
interface Change {
  positions: Lot[];
  calculation: {
    status: string;
    batch_run_id: string | null;
    restate_from: string | null;
    days_marked: number;
  };
}

describeOnEachEngine('managing a book’s lots through the API', ({ database }) => {
  let t: TestApp;
  let token: string;
  let userId: string;
  let portfolioId: string;

  const send = (method: string, path: string, body?: unknown, as = token) =>
    t.send(method, `/api/v1/${path}`, body, as);
  const errorOf = async (res: Response) => ((await res.json()) as ErrorBody).error;
  const lots = () => new PositionRepository(database().db).listPositions(portfolioId);
  const upload = (csv: string, dryRun: boolean, as = token) => {
    const form = new FormData();
    form.set('csv_file', new File([csv], 'more.csv', { type: 'text/csv' }));
    return t.request(`/api/v1/portfolios/${portfolioId}/positions/import?dry_run=${dryRun}`, {
      method: 'POST',
      token: as,
      body: form,
    });
  };
  const HEADER =
    'Symbol,Quantity,Entry Price Per Share,Entry Date,Investment Class,Investment Subtype,' +
    'Underlying Symbol,Strike Price,Expiration Date,Option Type,Exit Date,Exit Price Per Share';

  beforeAll(async () => {
    t = await createTestApp(() => database(), { now: () => NOW });
    token = await t.login('lots@example.com');
    userId = ((await (await t.request('/api/v1/auth/me', { token })).json()) as { id: string }).id;
    const portfolio = await new PortfolioRepository(database().db).createWithPositions({
      userId,
      name: 'Managed',
      accountName: 'MANAGED-1',
      accountType: 'taxable',
      equityBalance: '100000',
      positions: [stock('AAPL', 200, 250, '2026-06-25')],
    });
    portfolioId = portfolio.id;
  });

  it('adds lots (JSON array, all or none) and reports every error with its lot index', async () => {
    const bad = await send('POST', `portfolios/${portfolioId}/positions`, [
      { symbol: 'MSFT', quantity: 10, entry_price: 400, entry_date: '2026-07-01' },
      { symbol: 'AAPL', quantity: 5, entry_price: 260, entry_date: '2026-06-25' },
      { symbol: 'JNJ', quantity: 10, entry_price: -1, entry_date: '2026-07-01' },
      { symbol: 'XOM', quantity: 10, entry_price: 100, entry_date: '2026-08-05' },
      { symbol: 'MSFT', quantity: 3, entry_price: 401, entry_date: '2026-07-01' },
      {
        symbol: 'KO',
        quantity: 3,
        entry_price: 60,
        entry_date: '2026-07-01',
        notes: 'n'.repeat(1001),
      },
    ]);
    expect(bad.status).toBe(400);
    const error = await errorOf(bad);
    expect(error.code).toBe('ERR_LOTS_INVALID');
    const found = (error.details!.errors as { row: number; field: string; code: string }[]).map(
      (e) => [e.row, e.field, e.code],
    );
    expect(found).toEqual([
      [1, 'symbol', 'ERR_POS_023'],
      [2, 'entry_price', 'ERR_POS_010'],
      [3, 'entry_date', 'ERR_POS_014'],
      [4, 'symbol', 'ERR_POS_023'],
      [5, 'notes', 'ERR_POS_026'],
    ]);
    expect(error.message).toMatch(/^5 problems found, so nothing was saved/);
    expect((await lots()).map((l) => l.symbol)).toEqual(['AAPL']);

    const ok = await send('POST', `portfolios/${portfolioId}/positions`, [
      {
        symbol: 'msft',
        quantity: '10',
        entry_price: 400.5,
        entry_date: '2026-07-01',
        notes: ' core ',
      },
      { symbol: 'XOM', quantity: -50, entry_price: 110, entry_date: '2026-07-06' },
    ]);
    expect(ok.status).toBe(201);
    const added = (await ok.json()) as Change;
    expect(
      added.positions.map((l) => [l.symbol, l.quantity, l.entry_price, l.position_type, l.notes]),
    ).toEqual([
      ['MSFT', 10, 400.5, 'LONG', 'core'],
      ['XOM', -50, 110, 'SHORT', null],
    ]);
    // Never calculated: nothing stored to restate; this app has no job queue.
    expect(added.calculation).toEqual({
      status: 'not_started',
      batch_run_id: null,
      restate_from: null,
      days_marked: 0,
    });

    for (const [body, field] of [
      [[], '(body)'],
      [{ symbol: 'MSFT' }, '(body)'],
    ] as const) {
      const res = await send('POST', `portfolios/${portfolioId}/positions`, body);
      expect(res.status).toBe(422);
      expect((await errorOf(res)).code).toBe('ERR_VALIDATION');
      void field;
    }
  });

  it('imports a CSV into the book: a dry run writes nothing, lots already held are refused', async () => {
    const csv = `${HEADER}\nKO,100,60,2026-07-01,PUBLIC,STOCK,,,,,,\nPEP,20,170,2026-07-02,PUBLIC,STOCK,,,,,,\n`;
    const dry = await upload(csv, true);
    expect(dry.status, await dry.clone().text()).toBe(200);
    const preview = (await dry.json()) as {
      dry_run: boolean;
      valid: boolean;
      positions: unknown[];
      imported: unknown[];
      calculation: unknown;
    };
    expect(preview).toMatchObject({ dry_run: true, valid: true, imported: [], calculation: null });
    expect(preview.positions).toHaveLength(2);
    expect((await lots()).map((l) => l.symbol).sort()).toEqual(['AAPL', 'MSFT', 'XOM']);

    const real = await upload(csv, false);
    expect(real.status).toBe(201);
    const imported = (await real.json()) as { imported: Lot[] };
    expect(imported.imported.map((l) => l.symbol)).toEqual(['KO', 'PEP']);

    const again = await upload(
      `${HEADER}\nKO,5,61,2026-07-01,PUBLIC,STOCK,,,,,,\nT,10,20,2026-07-02,PUBLIC,STOCK,,,,,,\n`,
      false,
    );
    expect(again.status).toBe(400);
    const error = await errorOf(again);
    expect(error.code).toBe('ERR_PORT_008');
    expect(error.details!.errors).toEqual([
      expect.objectContaining({ row: 2, symbol: 'KO', code: 'ERR_POS_023' }),
    ]);
    expect((await lots()).map((l) => l.symbol).sort()).toEqual([
      'AAPL',
      'KO',
      'MSFT',
      'PEP',
      'XOM',
    ]);
  });

  it('corrects a lot: quantity, entry price, entry date, notes — nothing else', async () => {
    const msft = (await lots()).find((l) => l.symbol === 'MSFT')!;
    const res = await send('PUT', `positions/${msft.id}`, {
      quantity: 12,
      entry_price: '399.75',
      notes: 'trimmed',
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Change).positions[0]).toMatchObject({
      id: msft.id,
      quantity: 12,
      entry_price: 399.75,
      entry_date: '2026-07-01',
      notes: 'trimmed',
    });
    const cases: [unknown, string][] = [
      [{ symbol: 'AAPL' }, 'symbol'],
      [{ strike_price: 100 }, 'strike_price'],
      [{}, '(body)'],
      [{ entry_date: '2026-13-01' }, 'entry_date'],
      [{ quantity: 0 }, 'quantity'],
      [{ entry_date: '2026-08-05' }, 'entry_date'],
    ];
    for (const [body, field] of cases) {
      const bad = await send('PUT', `positions/${msft.id}`, body);
      expect(bad.status, JSON.stringify(body)).toBe(422);
      const error = await errorOf(bad);
      expect(error.code).toBe('ERR_VALIDATION');
      const fields = (error.details!.issues as { field: string }[]).map((i) => i.field);
      expect(fields, JSON.stringify(body)).toContain(field);
    }
    // Another open lot of the same symbol on that date would be two lots in one.
    const ko = (await lots()).find((l) => l.symbol === 'KO')!;
    await send('POST', `portfolios/${portfolioId}/positions`, [
      { symbol: 'KO', quantity: 10, entry_price: 62, entry_date: '2026-07-08' },
    ]);
    const clash = await send('PUT', `positions/${ko.id}`, { entry_date: '2026-07-08' });
    expect(clash.status).toBe(422);
    expect((await errorOf(clash)).details!.issues).toEqual([
      expect.objectContaining({ field: 'entry_date', code: 'ERR_POS_023' }),
    ]);
    const unchanged = (await lots()).find((l) => l.id === msft.id)!;
    expect([unchanged.quantity, unchanged.entryPrice]).toEqual([12, 399.75]);
  });

  it('sells half a lot: hand-worked realized P&L, the split, and the restated history to the cent', async () => {
    // A small book of its own, calculated on 2026-06-30 (its anchor: NAV 100,000.00).
    const book = await new PortfolioRepository(database().db).createWithPositions({
      userId,
      name: 'Golden',
      accountName: 'GOLDEN-1',
      accountType: 'taxable',
      equityBalance: '100000',
      positions: [stock('AAPL', 200, 250, '2026-06-25')],
    });
    const ctx = async () => ({
      db: database().db,
      provider: await getSampleProvider(),
      cache: new SymbolCache(),
      logger: createLogger('silent'),
    });
    await calculatePortfolio(await ctx(), book.id, { date: '2026-06-30', triggeredBy: 'test' });
    const [lot] = await new PositionRepository(database().db).listPositions(book.id);

    const res = await send('POST', `positions/${lot!.id}/close`, {
      exit_date: '2026-07-01',
      exit_price: 295,
      quantity: 80,
    });
    expect(res.status).toBe(200);
    const sale = (await res.json()) as Change & {
      closed: Lot;
      remaining: Lot;
      realized_pnl: number;
    };
    // (295 − 250) × 80 = 3,600.00
    expect(sale.realized_pnl).toBe(3600);
    expect(sale.closed).toMatchObject({
      quantity: 80,
      entry_price: 250,
      entry_date: '2026-06-25',
      exit_date: '2026-07-01',
      exit_price: 295,
      is_open: false,
      realized_pnl: 3600,
      split_from_position_id: lot!.id,
    });
    expect(sale.remaining).toMatchObject({
      id: lot!.id,
      quantity: 120,
      is_open: true,
      exit_date: null,
    });
    // After the anchor: only days from the sale on are restated (none stored yet).
    expect(sale.calculation).toMatchObject({ restate_from: '2026-07-01', days_marked: 0 });

    await calculatePortfolio(await ctx(), book.id, { date: '2026-07-02', triggeredBy: 'test' });
    const rows = await new SnapshotRepository(database().db).history(
      book.id,
      '2026-06-30',
      '2026-07-02',
    );
    const day = (d: string) => rows.find((r) => r.snapshotDate === d)!;
    // AAPL closes: 06-30 289.359985, 07-01 294.380005, 07-02 308.630005.
    expect(day('2026-06-30')).toMatchObject({ netAssetValue: 100000, cumulativePnl: 7872 });
    // 07-01: sold 80 at 295 against the 289.359985 close (451.2012) + 120 held to 294.380005
    // (602.4024) = 1,053.6036; the realized 3,600.00 is reported, not added again.
    expect(day('2026-07-01')).toMatchObject({
      dailyPnl: 1053.6,
      dailyRealizedPnl: 3600,
      netAssetValue: 101053.6,
      longValue: 35325.6,
      cashValue: 65728,
      numPositions: 1,
      cumulativePnl: 8925.6,
    });
    expect(day('2026-07-01').dailyReturn).toBeCloseTo(0.010536036, 9);
    // 07-02: 120 × (308.630005 − 294.380005) = 1,710.00.
    expect(day('2026-07-02')).toMatchObject({
      dailyPnl: 1710,
      dailyRealizedPnl: 0,
      netAssetValue: 102763.6,
      longValue: 37035.6,
      cumulativePnl: 10635.6,
    });

    const twice = await send('POST', `positions/${sale.closed.id}/close`, {
      exit_date: '2026-07-02',
      exit_price: 300,
    });
    expect(twice.status).toBe(409);
    expect((await errorOf(twice)).code).toBe('ERR_POSITION_CLOSED');
    for (const [body, field] of [
      [{ exit_date: '2026-07-02', exit_price: 300, quantity: 121 }, 'quantity'],
      [{ exit_date: '2026-07-02', exit_price: 300, quantity: -10 }, 'quantity'],
      [{ exit_date: '2026-06-01', exit_price: 300 }, 'exit_date'],
      [{ exit_date: '2026-07-02', exit_price: -3 }, 'exit_price'],
    ] as const) {
      const bad = await send('POST', `positions/${lot!.id}/close`, body);
      expect(bad.status, JSON.stringify(body)).toBe(422);
      const issues = (await errorOf(bad)).details!.issues as { field: string }[];
      expect(
        issues.map((i) => i.field),
        JSON.stringify(body),
      ).toContain(field);
    }
    const after = await new PositionRepository(database().db).listPositions(book.id);
    expect(after.map((p) => [p.quantity, p.exitDate]).sort()).toEqual([
      [120, null],
      [80, '2026-07-01'],
    ]);
  });

  it('removes a lot entered in error', async () => {
    const pep = (await lots()).find((l) => l.symbol === 'PEP')!;
    const res = await send('DELETE', `positions/${pep.id}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Change).positions[0]).toMatchObject({
      id: pep.id,
      symbol: 'PEP',
    });
    expect((await lots()).some((l) => l.id === pep.id)).toBe(false);
    const again = await send('DELETE', `positions/${pep.id}`);
    expect(again.status).toBe(404);
    expect(await errorOf(again)).toEqual({
      code: 'ERR_POSITION_NOT_FOUND',
      message: `Position ${pep.id} was not found`,
    });
  });

  it('keeps the audit trail: who, when, what before and after', async () => {
    const res = await send('GET', `portfolios/${portfolioId}/activity?limit=50`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      entries: {
        action: string;
        user: string;
        entity: string;
        before: unknown;
        after: unknown;
        timestamp: string;
      }[];
      next_before: string | null;
    };
    expect(body.entries.map((e) => e.action)).toEqual([
      'position.deleted',
      'position.added',
      'position.updated',
      'position.imported',
      'position.imported',
      'position.added',
      'position.added',
    ]);
    expect(new Set(body.entries.map((e) => e.user))).toEqual(new Set(['lots@example.com']));
    const update = body.entries.find((e) => e.action === 'position.updated')!;
    expect(update.before).toMatchObject({
      symbol: 'MSFT',
      quantity: 10,
      entry_price: 400.5,
      notes: 'core',
    });
    expect(update.after).toMatchObject({
      symbol: 'MSFT',
      quantity: 12,
      entry_price: 399.75,
      notes: 'trimmed',
    });
    expect(body.entries[0]).toMatchObject({ before: { symbol: 'PEP' }, after: null });
    expect(body.next_before).toBeNull();
    const page = (await (
      await send('GET', `portfolios/${portfolioId}/activity?limit=2`)
    ).json()) as typeof body;
    expect(page.entries).toHaveLength(2);
    const rest = (await (
      await send(
        'GET',
        `portfolios/${portfolioId}/activity?limit=50&before=${encodeURIComponent(page.next_before!)}`,
      )
    ).json()) as typeof body;
    expect(rest.entries.map((e) => e.action)).toEqual(body.entries.slice(2).map((e) => e.action));
  });

  it('answers another user and a missing lot or portfolio with the same 404, before reading the body', async () => {
    const stranger = await t.login('lots-stranger@example.com');
    const [someLot] = await lots();
    for (const id of [someLot!.id, randomUUID()]) {
      for (const [method, path, body] of [
        ['PUT', `positions/${id}`, { quantity: 1 }],
        ['PUT', `positions/${id}`, '{oops'],
        ['POST', `positions/${id}/close`, { exit_date: '2026-07-02', exit_price: 1 }],
        ['DELETE', `positions/${id}`, undefined],
      ] as const) {
        const res = await send(method, path, body, stranger);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect((await errorOf(res)).code).toBe('ERR_POSITION_NOT_FOUND');
      }
    }
    for (const [method, path, body] of [
      ['POST', `portfolios/${portfolioId}/positions`, [{ symbol: 'T' }]],
      ['GET', `portfolios/${portfolioId}/activity`, undefined],
    ] as const) {
      const res = await send(method, path, body, stranger);
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe('ERR_PORTFOLIO_NOT_FOUND');
    }
    const imp = await upload(`${HEADER}\nT,1,20,2026-07-02,PUBLIC,STOCK,,,,,,\n`, false, stranger);
    expect(imp.status).toBe(404);
    expect((await lots()).some((l) => l.symbol === 'T')).toBe(false);
    expect((await send('PUT', 'positions/42', { quantity: 1 })).status).toBe(400);
  });
});
