import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { MAX_UPLOAD_BODY_BYTES } from '../../../src/api/app.ts';
import { POSITIONS_CSV_TEMPLATE } from '../../../src/domain/csv/csv-template.ts';
import {
  MAX_CSV_BYTES,
  POSITION_CSV_COLUMNS,
} from '../../../src/domain/csv/parse-positions-csv.ts';
import { queryRows } from '../../../src/db/database.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';

type RequestBody = NonNullable<RequestInit['body']>;

const HEADER = POSITION_CSV_COLUMNS.map((c) => c.header).join(',');
/** 2026-08-04 in New York: the template's dates (2024–2025) are all in the past. */
const NOW = new Date('2026-08-04T15:00:00Z');

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
interface UploadError {
  row: number | null;
  symbol: string | null;
  code: string;
  message: string;
  field: string | null;
}

function csvForm(
  text: string | Uint8Array,
  fileName = 'positions.csv',
  fields: Record<string, string> = {},
): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('csv_file', new File([text], fileName, { type: 'text/csv' }));
  return form;
}

const VALID_FIELDS = {
  portfolio_name: 'Growth book',
  account_name: 'Schwab 1234',
  account_type: 'taxable',
  equity_balance: '250,000.50',
  description: 'Main taxable account',
};

const TWO_ROWS = `${HEADER}\nAAPL,100.5,185.2525,2024-03-15,PUBLIC,STOCK,,,,,,\nSPY,0.123456,500,2025-01-02,,ETF,,,,,,\n`;

async function counts(t: TestApp): Promise<{ portfolios: number; positions: number }> {
  const [row] = await queryRows<{ portfolios: number; positions: number }>(
    t.ctx.getDatabase()!.db,
    sql`SELECT (SELECT count(*)::int FROM portfolios) AS portfolios,
          (SELECT count(*)::int FROM positions) AS positions`,
  );
  return row!;
}

describeOnEachEngine('onboarding upload routes', ({ database }) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp(() => database(), { now: () => NOW });
    token = await t.login('uploader@example.com');
  });

  const post = (path: string, body: RequestBody, headers?: Record<string, string>) =>
    t.request(`/api/v1/onboarding/${path}`, {
      method: 'POST',
      token,
      body,
      ...(headers ? { headers } : {}),
    });
  const create = (fields: Record<string, string>, text: string | Uint8Array = TWO_ROWS) =>
    post('create-portfolio', csvForm(text, 'positions.csv', fields));

  it('serves the template without a session as a CSV attachment, and the template validates', async () => {
    const res = await t.request('/api/v1/onboarding/csv-template');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="betaboard-positions-template.csv"',
    );
    const text = await res.text();
    expect(text).toBe(POSITIONS_CSV_TEMPLATE);
    expect(text.split('\n').find((l) => !l.startsWith('#'))).toBe(HEADER);

    const check = await post('validate-csv', csvForm(text, 'betaboard-positions-template.csv'));
    expect(check.status).toBe(200);
    const body = (await check.json()) as {
      valid: boolean;
      positions: Record<string, unknown>[];
      errors: unknown[];
      total_errors: number;
    };
    expect(body.valid).toBe(true);
    expect(body.errors).toEqual([]);
    expect(body.total_errors).toBe(0);
    expect(body.positions.map((p) => p.symbol)).toEqual([
      'AAPL',
      'AAPL270115C00200000',
      'SPY270115P00500000',
      'IWM',
      'TSLA',
      'CASH_USD',
      'MSFT',
      'FO_BLUE_RIDGE_FUND_II',
    ]);
    expect(body.positions[0]).toEqual({
      row: 25,
      symbol: 'AAPL',
      position_type: 'LONG',
      quantity: 100,
      entry_price: 185.25,
      entry_date: '2024-03-15',
      investment_class: 'PUBLIC',
      investment_subtype: 'STOCK',
      underlying_symbol: null,
      strike_price: null,
      expiration_date: null,
      option_type: null,
      exit_date: null,
      exit_price: null,
    });
    // The put's class and option terms come from its OCC symbol.
    expect(body.positions[2]).toMatchObject({
      row: 27,
      position_type: 'LP',
      investment_class: 'OPTIONS',
      underlying_symbol: 'SPY',
      strike_price: 500,
      expiration_date: '2027-01-15',
      option_type: 'PUT',
    });
    expect(body.positions[4]).toMatchObject({
      symbol: 'TSLA',
      position_type: 'SHORT',
      quantity: -25,
    });
    expect(body.positions[6]).toMatchObject({ exit_date: '2025-07-15', exit_price: 503.2 });
    // A dry run writes nothing.
    expect(await counts(t)).toEqual({ portfolios: 0, positions: 0 });
  });

  it('validate-csv reports every row error with line, symbol, column and code', async () => {
    const text = [
      '# a comment line',
      HEADER,
      'AAPL,0,150,2024-01-02,,,,,,,,',
      'MSFT,10,150,2026-08-05,,,,,,,,',
      'GOOG,5,-3,2024-01-02,,,,,,,,',
      'KO,5,60,2024-01-02,,,,,,,,',
    ].join('\n');
    const res = await post('validate-csv', csvForm(text));
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      valid: boolean;
      positions: { symbol: string }[];
      errors: UploadError[];
      total_errors: number;
    };
    expect(body.valid).toBe(false);
    expect(body.total_errors).toBe(3);
    expect(body.errors.map((e) => [e.row, e.symbol, e.code, e.field])).toEqual([
      [3, 'AAPL', 'ERR_POS_006', 'Quantity'],
      // 2026-08-05 is tomorrow in New York on 2026-08-04.
      [4, 'MSFT', 'ERR_POS_014', 'Entry Date'],
      [5, 'GOOG', 'ERR_POS_010', 'Entry Price Per Share'],
    ]);
    for (const e of body.errors) expect(e.message.length).toBeGreaterThan(10);
    expect(body.positions.map((p) => p.symbol)).toEqual(['KO']);
    expect(await counts(t)).toEqual({ portfolios: 0, positions: 0 });
  });

  it('validate-csv reports file-level problems: extension, empty file, a file over 10 MB', async () => {
    const wrongType = await post('validate-csv', csvForm(TWO_ROWS, 'positions.xlsx'));
    expect(wrongType.status).toBe(200);
    const wrong = (await wrongType.json()) as { valid: boolean; errors: UploadError[] };
    expect(wrong.valid).toBe(false);
    expect(wrong.errors.map((e) => e.code)).toEqual(['ERR_CSV_002']);

    const empty = (await (await post('validate-csv', csvForm(''))).json()) as {
      valid: boolean;
      errors: UploadError[];
      total_errors: number;
    };
    expect(empty).toMatchObject({ valid: false, total_errors: 1 });
    expect(empty.errors[0]).toMatchObject({ row: null, code: 'ERR_CSV_003' });

    // Just over the file limit but inside the body limit: the parser's own size check answers.
    const big = new Uint8Array(MAX_CSV_BYTES + 1).fill(0x41);
    const overFile = await post('validate-csv', csvForm(big));
    expect(overFile.status).toBe(200);
    const over = (await overFile.json()) as { valid: boolean; errors: UploadError[] };
    expect(over.valid).toBe(false);
    expect(over.errors.map((e) => e.code)).toEqual(['ERR_CSV_001']);

    // Past the body limit the request is cut off while it streams in.
    const huge = new Uint8Array(MAX_UPLOAD_BODY_BYTES + 1).fill(0x41);
    const tooBig = await post('validate-csv', csvForm(huge));
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as ErrorBody).error.code).toBe('ERR_CSV_001');
  });

  it('rejects requests that are not a usable multipart upload with a 400 code, never a 500', async () => {
    for (const path of ['validate-csv', 'create-portfolio']) {
      const cases: [RequestBody, Record<string, string> | undefined, string][] = [
        ['{"csv_file":"x"}', { 'content-type': 'application/json' }, 'ERR_INVALID_MULTIPART'],
        [TWO_ROWS, { 'content-type': 'text/csv' }, 'ERR_INVALID_MULTIPART'],
        ['garbage', { 'content-type': 'multipart/form-data' }, 'ERR_INVALID_MULTIPART'],
        [
          '--XYZ\r\nContent-Disposition: form-data; name="csv_file"; filename="a.csv"\r\n\r\nSymbol',
          { 'content-type': 'multipart/form-data; boundary=XYZ' },
          'ERR_INVALID_MULTIPART',
        ],
      ];
      for (const [body, headers, code] of cases) {
        const res = await post(path, body, headers);
        expect(res.status, `${path} ${String(body).slice(0, 20)}`).toBe(400);
        const error = ((await res.json()) as ErrorBody).error;
        expect(error.code).toBe(code);
        expect(error.message).toMatch(/multipart/);
      }
    }
    const noFile = new FormData();
    noFile.set('file', new File([TWO_ROWS], 'p.csv'));
    const missing = await post('validate-csv', noFile);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as ErrorBody).error).toMatchObject({
      code: 'ERR_PORT_007',
      message: 'A positions CSV file is required in form field "csv_file"',
    });
    const asText = new FormData();
    asText.set('csv_file', TWO_ROWS);
    const text = await post('validate-csv', asText);
    expect(text.status).toBe(400);
    expect(((await text.json()) as ErrorBody).error.code).toBe('ERR_PORT_007');

    const anonymous = await t.request('/api/v1/onboarding/validate-csv', {
      method: 'POST',
      body: csvForm(TWO_ROWS),
    });
    expect(anonymous.status).toBe(401);
    expect(await counts(t)).toEqual({ portfolios: 0, positions: 0 });
  });

  it('creates the portfolio and all its positions exactly as written', async () => {
    const res = await create(VALID_FIELDS);
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown> & { portfolio_id: string };
    expect(Object.keys(body).sort()).toEqual(
      [
        'portfolio_id',
        'portfolio_name',
        'account_name',
        'account_type',
        'equity_balance',
        'positions_imported',
        'positions_failed',
        'total_positions',
        'message',
        'next_step',
      ].sort(),
    );
    expect(body).toMatchObject({
      portfolio_name: 'Growth book',
      account_name: 'Schwab 1234',
      account_type: 'taxable',
      equity_balance: 250000.5,
      positions_imported: 2,
      positions_failed: 0,
      total_positions: 2,
      message:
        'Portfolio "Growth book" created with 2 positions. Start the calculation to get analytics.',
      next_step: {
        action: 'calculate',
        endpoint: `/api/v1/portfolios/${body.portfolio_id}/calculate`,
      },
    });
    // Exact decimals reach the numeric columns (no float rounding on the way in).
    const rows = await queryRows<{
      symbol: string;
      q: string;
      p: string;
      cls: string;
      sub: string;
    }>(
      database().db,
      sql`SELECT symbol, quantity::text AS q, entry_price::text AS p, investment_class AS cls,
            investment_subtype AS sub
          FROM positions WHERE portfolio_id = ${body.portfolio_id} ORDER BY symbol`,
    );
    expect(rows).toEqual([
      { symbol: 'AAPL', q: '100.500000', p: '185.252500', cls: 'PUBLIC', sub: 'STOCK' },
      { symbol: 'SPY', q: '0.123456', p: '500.000000', cls: 'PUBLIC', sub: 'ETF' },
    ]);
    const read = await t.request(`/api/v1/portfolios/${body.portfolio_id}`, { token });
    expect(await read.json()).toMatchObject({
      name: 'Growth book',
      description: 'Main taxable account',
      equity_balance: 250000.5,
      position_count: 2,
    });
  });

  it('answers each portfolio field problem with its SPEC code, writing nothing', async () => {
    const before = await counts(t);
    // A fresh account name, so the only problem is the one each case introduces.
    const valid = { ...VALID_FIELDS, account_name: 'field checks' };
    const cases: [Record<string, string>, string, string][] = [
      [{ ...valid, portfolio_name: '  ' }, 'ERR_PORT_002', 'portfolio_name'],
      [{ ...valid, portfolio_name: 'x'.repeat(256) }, 'ERR_PORT_003', 'portfolio_name'],
      [{ ...valid, equity_balance: '' }, 'ERR_PORT_004', 'equity_balance'],
      [{ ...valid, equity_balance: 'lots' }, 'ERR_PORT_004', 'equity_balance'],
      [{ ...valid, equity_balance: '-5' }, 'ERR_PORT_005', 'equity_balance'],
      [{ ...valid, equity_balance: '0.004' }, 'ERR_PORT_005', 'equity_balance'],
      [{ ...valid, equity_balance: '1e13' }, 'ERR_PORT_006', 'equity_balance'],
      [{ ...valid, account_type: 'brokerage' }, 'ERR_PORT_009', 'account_type'],
      [{ ...valid, account_name: 'a'.repeat(101) }, 'ERR_PORT_010', 'account_name'],
      [{ ...valid, account_name: '' }, 'ERR_PORT_011', 'account_name'],
    ];
    for (const [fields, code, field] of cases) {
      const res = await create(fields);
      expect(res.status, code).toBe(400);
      const error = ((await res.json()) as ErrorBody).error;
      expect(error.code).toBe(code);
      expect(error.message).toMatch(/nothing was saved$/);
      expect(error.details).toEqual({
        errors: [{ row: null, symbol: null, field, code, message: expect.any(String) }],
        total_errors: 1,
      });
    }
    const { account_type: _omitted, ...withoutType } = VALID_FIELDS;
    const noType = await create({ ...withoutType, account_name: 'no type' });
    expect(((await noType.json()) as ErrorBody).error.code).toBe('ERR_PORT_009');

    const noFile = new FormData();
    for (const [k, v] of Object.entries({ ...VALID_FIELDS, account_name: 'no file' }))
      noFile.set(k, v);
    const missing = await post('create-portfolio', noFile);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as ErrorBody).error.code).toBe('ERR_PORT_007');
    expect(await counts(t)).toEqual(before);
  });

  it('an invalid CSV is ERR_PORT_008 with every CSV error in details, and nothing is written', async () => {
    const before = await counts(t);
    const text = `${HEADER}\nAAPL,10,150,2024-01-02,,,,,,,,\nMSFT,0,150,2024-01-02,,,,,,,,\nBAD SYMBOL,1,1,2024-01-02,,,,,,,,\n`;
    const res = await create({ ...VALID_FIELDS, account_name: 'csv invalid' }, text);
    expect(res.status).toBe(400);
    const error = ((await res.json()) as ErrorBody).error;
    expect(error.code).toBe('ERR_PORT_008');
    expect(error.message).toMatch(/^The CSV has 2 problems, so nothing was saved/);
    const details = error.details as { errors: UploadError[]; total_errors: number };
    expect(details.total_errors).toBe(2);
    expect(details.errors.map((e) => [e.row, e.symbol, e.code, e.field])).toEqual([
      [3, 'MSFT', 'ERR_POS_006', 'Quantity'],
      [4, 'BAD SYMBOL', 'ERR_POS_003', 'Symbol'],
    ]);
    expect(await counts(t)).toEqual(before);
  });

  it('reports field and CSV problems together; a duplicate account name alone is a 409', async () => {
    const before = await counts(t);
    const text = `${HEADER}\nMSFT,0,150,2024-01-02,,,,,,,,\n`;
    const both = await create(
      { ...VALID_FIELDS, portfolio_name: '', equity_balance: '0', account_name: 'Schwab 1234' },
      text,
    );
    expect(both.status).toBe(400);
    const error = ((await both.json()) as ErrorBody).error;
    expect(error.code).toBe('ERR_PORT_002');
    expect(error.message).toBe(
      'Portfolio name is required; nothing was saved (3 more problems in details.errors)',
    );
    const details = error.details as { errors: UploadError[]; total_errors: number };
    expect(details.total_errors).toBe(4);
    expect(details.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [null, 'portfolio_name', 'ERR_PORT_002'],
      [null, 'equity_balance', 'ERR_PORT_005'],
      [null, 'account_name', 'ERR_PORT_001'],
      [2, 'Quantity', 'ERR_POS_006'],
    ]);

    // The account name of the portfolio created above, on an otherwise valid upload.
    const duplicate = await create(VALID_FIELDS);
    expect(duplicate.status).toBe(409);
    const dup = ((await duplicate.json()) as ErrorBody).error;
    expect(dup.code).toBe('ERR_PORT_001');
    expect(dup.message).toBe(
      'You already have a portfolio with the account name "Schwab 1234"; choose another name',
    );
    expect(await counts(t)).toEqual(before);

    // Account names are per user: someone else may use the same one.
    const other = await t.login('other-uploader@example.com');
    const theirs = await t.request('/api/v1/onboarding/create-portfolio', {
      method: 'POST',
      token: other,
      body: csvForm(TWO_ROWS, 'positions.csv', VALID_FIELDS),
    });
    expect(theirs.status).toBe(201);
  });
});
