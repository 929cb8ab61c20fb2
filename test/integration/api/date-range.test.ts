import { expect, it } from 'vitest';
import { createTestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';
import { loginAdmin } from './admin-test-helpers.ts';

const json = { 'content-type': 'application/json' };

describeOnEachEngine('dates in year 0000 or 0001 and other out-of-range dates', ({ database }) => {
  it('are a 4xx with a code on every date parameter, never a 500', async () => {
    // No job queue: a lot's calculation is then "not_started"; the dates are checked first.
    const t = await createTestApp(() => database());
    const token = await t.login('dates@example.com');
    const admin = await loginAdmin(t, database().db, 'dates-admin@example.com');
    const send = (path: string, init: RequestInit = {}, as = token) =>
      t.request(path, { ...init, token: as, headers: { ...json, ...init.headers } });
    const created = await send('/api/v1/portfolios', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Dates',
        account_name: 'DATES',
        account_type: 'taxable',
        equity_balance: 100000,
      }),
    });
    const { id } = (await created.json()) as { id: string };
    const lot = { symbol: 'AAPL', quantity: 10, entry_price: 150, entry_date: '2026-02-02' };
    const added = await send(`/api/v1/portfolios/${id}/positions`, {
      method: 'POST',
      body: JSON.stringify([lot]),
    });
    expect(added.status).toBe(201);
    const positionId = ((await added.json()) as { positions: { id: string }[] }).positions[0]!.id;

    const cases: [string, Promise<Response>][] = [];
    for (const bad of ['0000-01-01', '0001-01-01', '1899-12-31', '9999-12-31']) {
      cases.push(
        [`history from=${bad}`, send(`/api/v1/data/portfolio/${id}/history?from=${bad}`)],
        [`history to=${bad}`, send(`/api/v1/data/portfolio/${id}/history?to=${bad}`)],
        [`prices from=${bad}`, send(`/api/v1/symbols/AAPL/prices?from=${bad}`)],
        [`prices to=${bad}`, send(`/api/v1/symbols/AAPL/prices?to=${bad}`)],
        [
          `equity change ${bad}`,
          send(`/api/v1/portfolios/${id}/equity-changes`, {
            method: 'POST',
            body: JSON.stringify({ change_type: 'CONTRIBUTION', amount: 10, change_date: bad }),
          }),
        ],
        [
          `admin batch run ${bad}`,
          send(`/api/v1/admin/batch/run?type=admin_metrics&date=${bad}`, { method: 'POST' }, admin),
        ],
        [
          `lot entry ${bad}`,
          send(`/api/v1/portfolios/${id}/positions`, {
            method: 'POST',
            body: JSON.stringify([{ ...lot, symbol: 'MSFT', entry_date: bad }]),
          }),
        ],
        [
          `lot exit ${bad}`,
          send(`/api/v1/portfolios/${id}/positions`, {
            method: 'POST',
            body: JSON.stringify([{ ...lot, symbol: 'KO', exit_date: bad, exit_price: 60 }]),
          }),
        ],
        [
          `option expiry ${bad}`,
          send(`/api/v1/portfolios/${id}/positions`, {
            method: 'POST',
            body: JSON.stringify([
              {
                ...lot,
                symbol: 'AAPLX',
                investment_class: 'OPTIONS',
                underlying_symbol: 'AAPL',
                strike_price: 150,
                expiration_date: bad,
                option_type: 'CALL',
              },
            ]),
          }),
        ],
        [
          `corrected entry ${bad}`,
          send(`/api/v1/positions/${positionId}`, {
            method: 'PUT',
            body: JSON.stringify({ entry_date: bad }),
          }),
        ],
        [
          `close ${bad}`,
          send(`/api/v1/positions/${positionId}/close`, {
            method: 'POST',
            body: JSON.stringify({ exit_date: bad, exit_price: 100 }),
          }),
        ],
      );
    }
    for (const [what, pending] of cases) {
      const res = await pending;
      const body = (await res.json()) as { error?: { code?: string } };
      expect(res.status, what).toBeGreaterThanOrEqual(400);
      expect(res.status, what).toBeLessThan(500);
      expect(body.error?.code, what).toMatch(/^ERR_/);
    }
  });
});
