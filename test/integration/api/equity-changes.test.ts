import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { EquityChangeRepository } from '../../../src/db/repositories/equity-change-repository.ts';
import { PortfolioRepository } from '../../../src/db/repositories/portfolio-repository.ts';
import { SnapshotRepository } from '../../../src/db/repositories/snapshot-repository.ts';
import { createLogger } from '../../../src/logger.ts';
import { getSampleProvider } from '../../../src/market/create-provider.ts';
import { calculatePortfolio } from '../../../src/pipeline/onboarding/calculate-portfolio.ts';
import { SymbolCache } from '../../../src/pipeline/symbol-cache.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';

/** 2026-08-04 in New York. */
const NOW = new Date('2026-08-04T15:00:00Z');

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
interface EquityChange {
  id: string;
  portfolio_id: string;
  change_type: string;
  amount: number;
  change_date: string;
  notes: string | null;
  created_at: string;
}

describeOnEachEngine('equity change routes', ({ database }) => {
  let t: TestApp;
  let token: string;
  let portfolioId: string;
  let otherPortfolioId: string;

  const send = (method: string, path: string, body?: unknown, as = token) =>
    t.send(method, `/api/v1/portfolios/${path}`, body, as);
  const errorOf = async (res: Response) => ((await res.json()) as ErrorBody).error;

  beforeAll(async () => {
    t = await createTestApp(() => database(), { now: () => NOW });
    token = await t.login('flows@example.com');
    const me = (await (await t.request('/api/v1/auth/me', { token })).json()) as { id: string };
    const repo = new PortfolioRepository(database().db);
    const make = (accountName: string) =>
      repo.createWithPositions({
        userId: me.id,
        name: accountName,
        accountName,
        accountType: 'taxable',
        equityBalance: '100000',
        positions: [
          {
            symbol: 'SPY',
            positionType: 'LONG',
            quantity: '100',
            entryPrice: '500',
            entryDate: '2026-07-01',
            exitDate: null,
            exitPrice: null,
            investmentClass: 'PUBLIC',
            investmentSubtype: 'ETF',
            underlyingSymbol: null,
            strikePrice: null,
            expirationDate: null,
            optionType: null,
          },
        ],
      });
    portfolioId = (await make('Flows')).id;
    otherPortfolioId = (await make('Other')).id;
  });

  it('records contributions and withdrawals and lists them oldest first with totals', async () => {
    const res = await send('POST', `${portfolioId}/equity-changes`, {
      change_type: 'CONTRIBUTION',
      amount: 10000.005,
      change_date: '2026-07-29',
      notes: '  Year-end bonus ',
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as EquityChange & {
      message: string;
      next_step: unknown;
    };
    expect(created).toMatchObject({
      portfolio_id: portfolioId,
      change_type: 'CONTRIBUTION',
      // Stored to the cent.
      amount: 10000.01,
      change_date: '2026-07-29',
      notes: 'Year-end bonus',
      next_step: { action: 'calculate', endpoint: `/api/v1/portfolios/${portfolioId}/calculate` },
      // Never calculated yet: no stored day to restate, and no job queue in this app.
      calculation: {
        status: 'not_started',
        batch_run_id: null,
        restate_from: null,
        days_marked: 0,
      },
    });
    expect(created.message).toBe(
      'Contribution recorded. NAV, returns and P&L are restated from its date by the next ' +
        'calculation (see `calculation`); follow it at the onboarding status endpoint.',
    );
    expect(created.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const withdrawal = await send('POST', `${portfolioId}/equity-changes`, {
      change_type: 'WITHDRAWAL',
      amount: 2500,
      // Today in New York is allowed.
      change_date: '2026-08-04',
    });
    expect(withdrawal.status).toBe(201);
    expect(await withdrawal.json()).toMatchObject({ change_type: 'WITHDRAWAL', notes: null });
    const early = await send('POST', `${portfolioId}/equity-changes`, {
      change_type: 'WITHDRAWAL',
      amount: 100.5,
      change_date: '2026-07-02',
      notes: null,
    });
    expect(early.status).toBe(201);

    const list = await send('GET', `${portfolioId}/equity-changes`);
    expect(list.status).toBe(200);
    const body = (await list.json()) as {
      portfolio_id: string;
      equity_changes: EquityChange[];
      summary: Record<string, number>;
    };
    expect(body.portfolio_id).toBe(portfolioId);
    expect(body.equity_changes.map((c) => [c.change_date, c.change_type, c.amount])).toEqual([
      ['2026-07-02', 'WITHDRAWAL', 100.5],
      ['2026-07-29', 'CONTRIBUTION', 10000.01],
      ['2026-08-04', 'WITHDRAWAL', 2500],
    ]);
    expect(body.summary).toEqual({
      count: 3,
      total_contributions: 10000.01,
      total_withdrawals: 2600.5,
      net_change: 7399.51,
    });
    // What the P&L engine reads: signed flows.
    expect(
      (await new EquityChangeRepository(database().db).signedFlowsOf([portfolioId])).get(
        portfolioId,
      ),
    ).toEqual([
      { date: '2026-07-02', amount: -100.5 },
      { date: '2026-07-29', amount: 10000.01 },
      { date: '2026-08-04', amount: -2500 },
    ]);
    // Another portfolio's list is its own.
    const other = (await (await send('GET', `${otherPortfolioId}/equity-changes`)).json()) as {
      equity_changes: unknown[];
      summary: Record<string, number>;
    };
    expect(other).toMatchObject({
      equity_changes: [],
      summary: { count: 0, total_contributions: 0, total_withdrawals: 0, net_change: 0 },
    });
  });

  it('sums the flows (all time, last 30 and 90 days, latest) and exports them as CSV', async () => {
    const res = await send('GET', `${portfolioId}/equity-changes/summary`);
    expect(res.status).toBe(200);
    const summary = (await res.json()) as Record<string, unknown>;
    expect(summary).toMatchObject({
      portfolio_id: portfolioId,
      count: 3,
      total_contributions: 10000.01,
      total_withdrawals: 2600.5,
      net_flow: 7399.51,
      periods: {
        // Today (2026-08-04) and the 29 days before it: the 2026-07-02 withdrawal is older.
        '30d': {
          from: '2026-07-06',
          to: '2026-08-04',
          count: 2,
          contributions: 10000.01,
          withdrawals: 2500,
          net_flow: 7500.01,
        },
        '90d': { from: '2026-05-07', count: 3, net_flow: 7399.51 },
      },
      last_change: { change_type: 'WITHDRAWAL', amount: 2500, change_date: '2026-08-04' },
    });

    const csv = await send('GET', `${portfolioId}/equity-changes/export`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe(
      'attachment; filename="equity-changes-Flows.csv"',
    );
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('date,type,amount,notes,recorded_at');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 4))).toEqual([
      ['2026-07-02', 'WITHDRAWAL', '100.50', ''],
      ['2026-07-29', 'CONTRIBUTION', '10000.01', 'Year-end bonus'],
      ['2026-08-04', 'WITHDRAWAL', '2500.00', ''],
    ]);
    const stranger = await t.login('flows-summary-stranger@example.com');
    for (const path of ['summary', 'export']) {
      const res = await send('GET', `${portfolioId}/equity-changes/${path}`, undefined, stranger);
      expect(res.status).toBe(404);
    }
  });

  it('rejects invalid changes with 400/422 and writes nothing', async () => {
    const valid = { change_type: 'CONTRIBUTION', amount: 100, change_date: '2026-07-01' };
    const cases: [unknown, number, string, string][] = [
      ['{oops', 400, 'ERR_INVALID_JSON', ''],
      [{ ...valid, change_type: 'DEPOSIT' }, 422, 'ERR_VALIDATION', 'change_type'],
      [{ ...valid, change_type: undefined }, 422, 'ERR_VALIDATION', 'change_type'],
      [{ ...valid, amount: 0 }, 422, 'ERR_VALIDATION', 'amount'],
      [{ ...valid, amount: -5 }, 422, 'ERR_VALIDATION', 'amount'],
      [{ ...valid, amount: 0.004 }, 422, 'ERR_VALIDATION', 'amount'],
      [{ ...valid, amount: '100' }, 422, 'ERR_VALIDATION', 'amount'],
      [{ ...valid, amount: 2e12 }, 422, 'ERR_VALIDATION', 'amount'],
      [{ ...valid, change_date: '2026-02-30' }, 422, 'ERR_VALIDATION', 'change_date'],
      [{ ...valid, change_date: '07/01/2026' }, 422, 'ERR_VALIDATION', 'change_date'],
      [{ ...valid, change_date: '2026-08-05' }, 422, 'ERR_VALIDATION', 'change_date'],
      [{ ...valid, notes: 'n'.repeat(1001) }, 422, 'ERR_VALIDATION', 'notes'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await send('POST', `${otherPortfolioId}/equity-changes`, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(status);
      const error = await errorOf(res);
      expect(error.code).toBe(code);
      if (field) {
        const issues = (error.details as { issues: { field: string }[] }).issues;
        expect([...new Set(issues.map((i) => i.field))]).toEqual([field]);
      }
    }
    const future = await send('POST', `${otherPortfolioId}/equity-changes`, {
      ...valid,
      change_date: '2026-08-05',
    });
    expect((await errorOf(future)).message).toBe(
      'change_date 2026-08-05 is in the future (today is 2026-08-04)',
    );
    const list = (await (await send('GET', `${otherPortfolioId}/equity-changes`)).json()) as {
      equity_changes: unknown[];
    };
    expect(list.equity_changes).toEqual([]);
  });

  it('deletes a change (soft): gone from the list and from what the P&L engine reads', async () => {
    const list = (await (await send('GET', `${portfolioId}/equity-changes`)).json()) as {
      equity_changes: EquityChange[];
    };
    const early = list.equity_changes[0]!;
    const res = await send('DELETE', `${portfolioId}/equity-changes/${early.id}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: string; deleted: boolean; message: string };
    expect(body).toMatchObject({ id: early.id, deleted: true });
    expect(body.message).toMatch(/^Equity change deleted\. NAV, returns and P&L are restated/);

    const after = (await (await send('GET', `${portfolioId}/equity-changes`)).json()) as {
      equity_changes: EquityChange[];
    };
    expect(after.equity_changes.map((c) => c.change_date)).toEqual(['2026-07-29', '2026-08-04']);
    expect(
      (await new EquityChangeRepository(database().db).signedFlowsOf([portfolioId]))
        .get(portfolioId)!
        .map((f) => f.date),
    ).toEqual(['2026-07-29', '2026-08-04']);

    const again = await send('DELETE', `${portfolioId}/equity-changes/${early.id}`);
    expect(again.status).toBe(404);
    expect(await errorOf(again)).toEqual({
      code: 'ERR_EQUITY_CHANGE_NOT_FOUND',
      message: `Equity change ${early.id} was not found in this portfolio`,
    });
    // A change id of one portfolio cannot be deleted through another.
    const crossed = await send(
      'DELETE',
      `${otherPortfolioId}/equity-changes/${after.equity_changes[0]!.id}`,
    );
    expect(crossed.status).toBe(404);
    expect((await errorOf(crossed)).code).toBe('ERR_EQUITY_CHANGE_NOT_FOUND');
    const badId = await send('DELETE', `${portfolioId}/equity-changes/42`);
    expect(badId.status).toBe(400);
    expect((await errorOf(badId)).code).toBe('ERR_INVALID_ID');
  });

  it('the next calculation includes the changes as capital flows', async () => {
    const result = await calculatePortfolio(
      {
        db: database().db,
        provider: await getSampleProvider(),
        cache: new SymbolCache(),
        logger: createLogger('silent'),
      },
      portfolioId,
      { date: '2026-07-31', triggeredBy: 'test' },
    );
    expect(result.status).toBe('completed');
    const rows = await new SnapshotRepository(database().db).history(
      portfolioId,
      '2026-07-28',
      '2026-07-31',
    );
    const flowOn = (date: string) => rows.find((r) => r.snapshotDate === date)!.dailyCapitalFlow;
    expect(flowOn('2026-07-28')).toBe(0);
    expect(flowOn('2026-07-29')).toBeCloseTo(10000.01, 2);
    expect(flowOn('2026-07-30')).toBe(0);
  });

  it('answers another user and a missing portfolio with the same 404, before reading the body', async () => {
    const stranger = await t.login('flows-stranger@example.com');
    const changeId = randomUUID();
    for (const id of [portfolioId, randomUUID()]) {
      for (const [method, path, body] of [
        [
          'POST',
          `${id}/equity-changes`,
          { change_type: 'CONTRIBUTION', amount: 1, change_date: '2026-07-01' },
        ],
        ['POST', `${id}/equity-changes`, '{not json'],
        ['GET', `${id}/equity-changes`, undefined],
        ['DELETE', `${id}/equity-changes/${changeId}`, undefined],
      ] as const) {
        const res = await send(method, path, body, stranger);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect((await errorOf(res)).code).toBe('ERR_PORTFOLIO_NOT_FOUND');
      }
    }
    const badId = await send('GET', 'nope/equity-changes');
    expect(badId.status).toBe(400);
    expect((await errorOf(badId)).code).toBe('ERR_INVALID_ID');
    const list = (await (await send('GET', `${portfolioId}/equity-changes`)).json()) as {
      equity_changes: unknown[];
    };
    expect(list.equity_changes).toHaveLength(2);
  });
});
