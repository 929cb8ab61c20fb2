import { expect, it } from 'vitest';
import { createTestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';

const json = { 'content-type': 'application/json' };
const NUL = '\u0000';
const CSV = 'Symbol,Quantity,Entry Price Per Share,Entry Date\nAAPL,10,150,2026-01-05\n';

async function codeOf(res: Response): Promise<{ status: number; code: string; field?: string }> {
  const body = (await res.json()) as { error?: { code: string; details?: { field?: string } } };
  return { status: res.status, code: body.error?.code ?? '', field: body.error?.details?.field };
}

describeOnEachEngine('NUL and other control characters in text fields', ({ database }) => {
  it('are a 400 with ERR_CONTROL_CHARACTER on every route, never a 500', async () => {
    const t = await createTestApp(() => database());
    const register = await t.request('/api/v1/auth/register', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        email: 'nul@example.com',
        password: 'long enough',
        full_name: `a${NUL}b`,
      }),
    });
    expect(await codeOf(register)).toEqual({
      status: 400,
      code: 'ERR_CONTROL_CHARACTER',
      field: 'full_name',
    });

    const token = await t.login('owner@example.com');
    const post = (path: string, body: unknown, method = 'POST') =>
      t.request(path, { method, token, headers: json, body: JSON.stringify(body) });
    const portfolio = {
      name: 'Book',
      account_name: 'ACC-1',
      account_type: 'taxable',
      equity_balance: 100000,
      description: 'fine',
    };
    for (const field of ['name', 'account_name', 'description'] as const) {
      const res = await post('/api/v1/portfolios', { ...portfolio, [field]: `x${NUL}y` });
      expect(await codeOf(res), field).toEqual({
        status: 400,
        code: 'ERR_CONTROL_CHARACTER',
        field,
      });
    }
    const created = await post('/api/v1/portfolios', portfolio);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const put = await post(`/api/v1/portfolios/${id}`, { name: `bell\u0007` }, 'PUT');
    expect((await codeOf(put)).code).toBe('ERR_CONTROL_CHARACTER');

    // Multipart: the form fields of create-portfolio.
    for (const field of ['portfolio_name', 'account_name', 'description']) {
      const form = new FormData();
      form.set('portfolio_name', 'Upload');
      form.set('account_name', 'UP-1');
      form.set('account_type', 'taxable');
      form.set('equity_balance', '100000');
      form.set('description', 'ok');
      form.set(field, `x${NUL}`);
      form.set('csv_file', new File([CSV], 'p.csv', { type: 'text/csv' }));
      const res = await t.request('/api/v1/onboarding/create-portfolio', {
        method: 'POST',
        token,
        body: form,
      });
      expect(await codeOf(res), field).toEqual({
        status: 400,
        code: 'ERR_CONTROL_CHARACTER',
        field,
      });
    }

    const equity = await post(`/api/v1/portfolios/${id}/equity-changes`, {
      change_type: 'CONTRIBUTION',
      amount: 100,
      change_date: '2026-02-02',
      notes: `n${NUL}`,
    });
    expect(await codeOf(equity)).toEqual({
      status: 400,
      code: 'ERR_CONTROL_CHARACTER',
      field: 'notes',
    });

    const lots = await post(`/api/v1/portfolios/${id}/positions`, [
      { symbol: 'AAPL', quantity: 1, entry_price: 100, entry_date: '2026-02-02', notes: `n${NUL}` },
    ]);
    expect(await codeOf(lots)).toEqual({
      status: 400,
      code: 'ERR_CONTROL_CHARACTER',
      field: '[0].notes',
    });

    // Tabs and line breaks are text, not control characters.
    const notes = await post(`/api/v1/portfolios/${id}/equity-changes`, {
      change_type: 'CONTRIBUTION',
      amount: 100,
      change_date: '2026-02-02',
      notes: 'line one\n\tline two',
    });
    expect(notes.status).toBe(201);
  });
});
