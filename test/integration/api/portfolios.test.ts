import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';

const NOW = new Date('2026-08-04T15:00:00Z');

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
interface Portfolio {
  id: string;
  name: string;
  account_name: string;
  description: string | null;
  updated_at: string;
  [key: string]: unknown;
}

const LIST_FIELDS = [
  'id',
  'name',
  'account_name',
  'account_type',
  'description',
  'is_active',
  'net_asset_value',
  'total_value',
  'equity_balance',
  'position_count',
  'created_at',
  'updated_at',
];

describeOnEachEngine('portfolio CRUD routes', ({ database }) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp(() => database(), { now: () => NOW });
    token = await t.login('crud@example.com');
  });

  const send = (method: string, path: string, body?: unknown, as = token) =>
    t.send(method, `/api/v1${path}`, body, as);
  const errorOf = async (res: Response) => ((await res.json()) as ErrorBody).error;

  it('creates an empty portfolio and lists it in both list routes', async () => {
    const res = await send('POST', '/portfolios', {
      name: '  Income book ',
      account_name: 'Fidelity IRA',
      account_type: 'Roth IRA',
      equity_balance: '125000.456',
      description: 'Dividend stocks',
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Portfolio;
    expect(created).toMatchObject({
      name: 'Income book',
      account_name: 'Fidelity IRA',
      account_type: 'roth_ira',
      description: 'Dividend stocks',
      currency: 'USD',
      is_active: true,
      // Rounded to the cent; before any calculation NAV is the stated balance.
      equity_balance: 125000.46,
      net_asset_value: 125000.46,
      total_value: null,
      position_count: 0,
      anchor_date: null,
      last_calculation_date: null,
    });
    expect(created.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    for (const path of ['/data/portfolios', '/portfolios']) {
      const list = await send('GET', path);
      expect(list.status).toBe(200);
      const body = (await list.json()) as Portfolio[];
      expect(Array.isArray(body)).toBe(true);
      expect(body).toHaveLength(1);
      expect(Object.keys(body[0]!)).toEqual(expect.arrayContaining(LIST_FIELDS));
      expect(body[0]).toEqual(created);
    }
    const one = await send('GET', `/portfolios/${created.id}`);
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual(created);

    // Numbers are accepted as JSON numbers too.
    const second = await send('POST', '/portfolios', {
      name: 'Trading',
      account_name: 'IBKR',
      account_type: 'taxable',
      equity_balance: 50000,
    });
    expect(second.status).toBe(201);
    expect(await second.json()).toMatchObject({ equity_balance: 50000, description: null });
    const names = ((await (await send('GET', '/data/portfolios')).json()) as Portfolio[]).map(
      (p) => p.name,
    );
    expect(names).toEqual(['Income book', 'Trading']);
  });

  it('rejects bad create bodies with ERR_PORT codes, every problem listed', async () => {
    const notJson = await send('POST', '/portfolios', '{oops');
    expect(notJson.status).toBe(400);
    expect((await errorOf(notJson)).code).toBe('ERR_INVALID_JSON');
    const array = await send('POST', '/portfolios', '[]');
    expect(array.status).toBe(422);
    expect((await errorOf(array)).code).toBe('ERR_VALIDATION');

    const empty = await send('POST', '/portfolios', {});
    expect(empty.status).toBe(400);
    const error = await errorOf(empty);
    expect(error.code).toBe('ERR_PORT_002');
    expect(error.message).toBe('Portfolio name is required (3 more problems in details.errors)');
    expect(error.details).toEqual({
      errors: [
        { field: 'name', code: 'ERR_PORT_002', message: 'Portfolio name is required' },
        { field: 'account_name', code: 'ERR_PORT_011', message: 'Account name is required' },
        {
          field: 'account_type',
          code: 'ERR_PORT_009',
          message: expect.stringContaining('taxable'),
        },
        {
          field: 'equity_balance',
          code: 'ERR_PORT_004',
          message: 'Equity balance (the account value in dollars) is required',
        },
      ],
    });

    const base = { name: 'N', account_name: 'New acct', account_type: 'ira', equity_balance: 1 };
    const cases: [Record<string, unknown> | string, string][] = [
      ['{"name":1e999,"account_name":"x","account_type":"ira","equity_balance":1}', 'ERR_PORT_002'],
      [{ ...base, name: 'n'.repeat(256) }, 'ERR_PORT_003'],
      [{ ...base, equity_balance: 'abc' }, 'ERR_PORT_004'],
      [{ ...base, equity_balance: true }, 'ERR_PORT_004'],
      [{ ...base, equity_balance: 0 }, 'ERR_PORT_005'],
      [{ ...base, equity_balance: 2e12 }, 'ERR_PORT_006'],
      [{ ...base, account_type: 'crypto' }, 'ERR_PORT_009'],
      [{ ...base, account_name: 'a'.repeat(101) }, 'ERR_PORT_010'],
      [{ ...base, account_name: '   ' }, 'ERR_PORT_011'],
      [{ ...base, description: 'd'.repeat(2001) }, 'ERR_VALIDATION'],
    ];
    for (const [body, code] of cases) {
      const res = await send('POST', '/portfolios', body);
      expect(res.status, code).toBe(400);
      expect((await errorOf(res)).code).toBe(code);
    }

    const duplicate = await send('POST', '/portfolios', { ...base, account_name: 'IBKR' });
    expect(duplicate.status).toBe(409);
    expect(await errorOf(duplicate)).toMatchObject({
      code: 'ERR_PORT_001',
      message: 'You already have a portfolio with the account name "IBKR"; choose another name',
    });
    // A duplicate among other problems is listed, but the request is a plain 400.
    const mixed = await send('POST', '/portfolios', { ...base, account_name: 'IBKR', name: '' });
    expect(mixed.status).toBe(400);
    const mixedError = await errorOf(mixed);
    expect(mixedError.code).toBe('ERR_PORT_002');
    expect((mixedError.details!.errors as { code: string }[]).map((e) => e.code)).toEqual([
      'ERR_PORT_002',
      'ERR_PORT_001',
    ]);
    expect(
      ((await (await send('GET', '/portfolios')).json()) as Portfolio[]).map((p) => p.name),
    ).toEqual(['Income book', 'Trading']);
  });

  it('updates only the fields sent', async () => {
    const [income, trading] = (await (await send('GET', '/portfolios')).json()) as Portfolio[];
    const res = await send('PUT', `/portfolios/${income!.id}`, { name: 'Income & growth' });
    expect(res.status).toBe(200);
    const updated = (await res.json()) as Portfolio;
    expect(updated).toMatchObject({
      id: income!.id,
      name: 'Income & growth',
      account_name: 'Fidelity IRA',
      account_type: 'roth_ira',
      description: 'Dividend stocks',
      equity_balance: 125000.46,
    });
    expect(updated.updated_at >= income!.updated_at).toBe(true);

    const more = await send('PUT', `/portfolios/${income!.id}`, {
      description: null,
      account_type: 'trust',
      equity_balance: '130,000',
      account_name: 'Fidelity IRA',
    });
    expect(more.status).toBe(200);
    expect(await more.json()).toMatchObject({
      description: null,
      account_type: 'trust',
      equity_balance: 130000,
      net_asset_value: 130000,
      account_name: 'Fidelity IRA',
    });

    const dup = await send('PUT', `/portfolios/${income!.id}`, { account_name: 'IBKR' });
    expect(dup.status).toBe(409);
    expect((await errorOf(dup)).code).toBe('ERR_PORT_001');
    const bad = await send('PUT', `/portfolios/${income!.id}`, {
      name: null,
      equity_balance: -1,
    });
    expect(bad.status).toBe(400);
    const badError = await errorOf(bad);
    expect(badError.code).toBe('ERR_PORT_002');
    expect((badError.details!.errors as { code: string }[]).map((e) => e.code)).toEqual([
      'ERR_PORT_002',
      'ERR_PORT_005',
    ]);
    const notJson = await send('PUT', `/portfolios/${income!.id}`, 'name=x');
    expect(notJson.status).toBe(400);
    expect((await errorOf(notJson)).code).toBe('ERR_INVALID_JSON');
    // Nothing the failed requests sent was applied.
    expect(await (await send('GET', `/portfolios/${income!.id}`)).json()).toMatchObject({
      name: 'Income & growth',
      account_name: 'Fidelity IRA',
      equity_balance: 130000,
    });
    expect(await (await send('GET', `/portfolios/${trading!.id}`)).json()).toMatchObject({
      name: 'Trading',
    });
  });

  it('deletes softly: gone everywhere, and the account name can be used again', async () => {
    const [, trading] = (await (await send('GET', '/portfolios')).json()) as Portfolio[];
    const res = await send('DELETE', `/portfolios/${trading!.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: trading!.id,
      deleted: true,
      message: expect.stringContaining('account name can be used again'),
    });
    for (const [method, path] of [
      ['GET', `/portfolios/${trading!.id}`],
      ['PUT', `/portfolios/${trading!.id}`],
      ['DELETE', `/portfolios/${trading!.id}`],
      ['GET', `/data/portfolio/${trading!.id}/snapshot`],
      ['GET', `/data/positions/details?portfolio_id=${trading!.id}`],
      ['GET', `/portfolios/${trading!.id}/equity-changes`],
    ] as const) {
      const gone = await send(method, path, method === 'PUT' ? { name: 'x' } : undefined);
      expect(gone.status, `${method} ${path}`).toBe(404);
      expect((await errorOf(gone)).code).toBe('ERR_PORTFOLIO_NOT_FOUND');
    }
    const names = ((await (await send('GET', '/data/portfolios')).json()) as Portfolio[]).map(
      (p) => p.name,
    );
    expect(names).toEqual(['Income & growth']);

    const again = await send('POST', '/portfolios', {
      name: 'Trading again',
      account_name: 'IBKR',
      account_type: 'taxable',
      equity_balance: 1000,
    });
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject({ account_name: 'IBKR', name: 'Trading again' });
  });

  it('hides other users’ portfolios behind the same 404 as missing ones; bad ids are 400', async () => {
    const [mine] = (await (await send('GET', '/portfolios')).json()) as Portfolio[];
    const stranger = await t.login('stranger-crud@example.com');
    expect(await (await send('GET', '/data/portfolios', undefined, stranger)).json()).toEqual([]);
    for (const id of [mine!.id, randomUUID()]) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const res = await send(
          method,
          `/portfolios/${id}`,
          method === 'PUT' ? { name: 'hijacked' } : undefined,
          stranger,
        );
        expect(res.status, `${method} ${id}`).toBe(404);
        expect(await errorOf(res)).toEqual({
          code: 'ERR_PORTFOLIO_NOT_FOUND',
          message: `Portfolio ${id} was not found`,
        });
      }
    }
    const badId = await send('GET', '/portfolios/not-a-uuid');
    expect(badId.status).toBe(400);
    expect((await errorOf(badId)).code).toBe('ERR_INVALID_ID');
    const anonymous = await t.request('/api/v1/portfolios');
    expect(anonymous.status).toBe(401);
    expect(await (await send('GET', `/portfolios/${mine!.id}`)).json()).toMatchObject({
      name: 'Income & growth',
    });
  });
});
