import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { POSITIONS_CSV_TEMPLATE } from '../../../src/domain/csv/csv-template.ts';
import { POSITION_CSV_COLUMNS } from '../../../src/domain/csv/parse-positions-csv.ts';
import { queryRows } from '../../../src/db/database.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';

/** mulberry32: seeded, so a failing case can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEADER = POSITION_CSV_COLUMNS.map((c) => c.header).join(',');
const VALID_ROW = 'AAPL,100,150,2024-01-02,PUBLIC,STOCK,,,,,,';
/** A row no parser may accept (quantity zero), mixed into every create-portfolio case that would otherwise be valid. */
const BAD_ROW = 'MSFT,0,150,2024-01-02,PUBLIC,STOCK,,,,,,';

type Payload = { name: string; bytes: Uint8Array; fileName: string };

function makeCases(random: () => number): Payload[] {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)]!;
  const enc = (s: string) => new TextEncoder().encode(s);
  const cases: Payload[] = [];
  const add = (name: string, bytes: Uint8Array, fileName = 'positions.csv') =>
    cases.push({ name, bytes, fileName });

  for (let i = 0; i < 60; i++) {
    add(
      `random bytes #${i}`,
      Uint8Array.from({ length: int(4000) }, () => int(256)),
    );
  }
  for (let i = 0; i < 40; i++) {
    const text = `${HEADER}\n${VALID_ROW}\n${BAD_ROW}\n`;
    const u16 = new Uint8Array(2 + text.length * 2);
    u16[0] = 0xff;
    u16[1] = 0xfe;
    for (let j = 0; j < text.length; j++) u16[2 + 2 * j] = text.charCodeAt(j);
    add(`UTF-16LE with BOM #${i}`, i % 2 ? u16 : u16.slice(2));
  }
  for (let i = 0; i < 40; i++) {
    // Latin-1 bytes that are not valid UTF-8 (é as 0xE9) in a symbol.
    const base = enc(`${HEADER}\nCAF`);
    add(
      `latin-1 #${i}`,
      new Uint8Array([...base, 0xe9, ...enc(`,1,1,2024-01-02,,,,,,,,\n${BAD_ROW}\n`)]),
    );
  }
  for (let i = 0; i < 40; i++) {
    const eol = pick(['\r\n', '\n', '\r']);
    add(
      `BOM + ${JSON.stringify(eol)} + a bad row #${i}`,
      enc(`\uFEFF${HEADER}${eol}${VALID_ROW}${eol}${BAD_ROW}${eol}`),
    );
  }
  for (let i = 0; i < 40; i++) {
    const formula = pick(['=1+1', '+SUM(A1:A2)', '-2+3', '@cmd', '=HYPERLINK("x")']);
    add(`formula cell #${i}`, enc(`${HEADER}\n${formula},1,1,2024-01-02,,,,,,,,\n`));
  }
  for (let i = 0; i < 30; i++) {
    const huge = pick(['A', '9', '"', ',', ' ']).repeat(50_000 + int(200_000));
    add(`huge field #${i}`, enc(`${HEADER}\nAAPL,1,1,2024-01-02,${huge},,,,,,,\n${BAD_ROW}\n`));
  }
  for (let i = 0; i < 40; i++) {
    const columns = POSITION_CSV_COLUMNS.map((c) => c.header).filter(() => random() < 0.6);
    add(`missing columns #${i}`, enc(`${columns.join(',')}\n${VALID_ROW}\n${BAD_ROW}\n`));
  }
  for (let i = 0; i < 40; i++) {
    let text = POSITIONS_CSV_TEMPLATE + BAD_ROW + '\n';
    for (let m = 0; m < 1 + int(4); m++) {
      const at = int(text.length);
      text =
        text.slice(0, at) +
        pick(['"', '\n', ',', '\u0000', '\uFFFD', '""']) +
        text.slice(at + int(3));
    }
    add(`mangled template #${i}`, enc(text));
  }
  for (let i = 0; i < 20; i++)
    add(`empty-ish #${i}`, enc(pick(['', ' ', '\n', '\uFEFF', '#only a comment\n', HEADER])));
  for (let i = 0; i < 20; i++)
    add(
      `wrong extension #${i}`,
      enc(`${HEADER}\n${VALID_ROW}\n${BAD_ROW}\n`),
      pick(['positions.xlsx', 'positions', 'p.csv.exe', '.csv ']),
    );
  // 10,000 rows, every 1,000th one broken.
  const rows = [HEADER];
  for (let i = 0; i < 10_000; i++)
    rows.push(i % 1000 === 999 ? `S${i},0,1,2024-01-02,,,,,,,,` : `S${i},1,1,2024-01-02,,,,,,,,`);
  add('10,000 rows with 10 bad ones', enc(rows.join('\n')));
  return cases;
}

async function countRows(t: TestApp): Promise<{ portfolios: number; positions: number }> {
  const db = t.ctx.getDatabase()!.db;
  const [row] = await queryRows<{ portfolios: number; positions: number }>(
    db,
    sql`SELECT (SELECT count(*)::int FROM portfolios) AS portfolios, (SELECT count(*)::int FROM positions) AS positions`,
  );
  return row!;
}

function form(fields: Record<string, string>, file?: Payload, fileField = 'csv_file'): FormData {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  if (file) body.set(fileField, new File([file.bytes], file.fileName, { type: 'text/csv' }));
  return body;
}

describeOnEachEngine(
  'malformed uploads and bodies never cause a 5xx or a write',
  ({ database }) => {
    it('survives ≥ 500 malformed requests with no 5xx and writes nothing', async () => {
      const random = prng(20261123);
      const t = await createTestApp(() => database());
      const token = await t.login('fuzz@example.com');
      const before = await countRows(t);
      const cases = makeCases(random);
      const statuses = new Map<number, number>();
      const fiveHundreds: string[] = [];
      let requests = 0;
      const record = async (label: string, res: Response) => {
        requests++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const text = await res.text();
        if (res.status >= 500) fiveHundreds.push(`${label}: ${res.status} ${text.slice(0, 200)}`);
        else if (res.status >= 400) {
          const body = JSON.parse(text) as { error: { code: string; message: string } };
          expect(body.error.code).toMatch(/^ERR_/);
          expect(body.error.message.length).toBeGreaterThan(5);
        }
      };

      for (const [i, c] of cases.entries()) {
        await record(
          `validate ${c.name}`,
          await t.request('/api/v1/onboarding/validate-csv', {
            method: 'POST',
            token,
            body: form({}, c),
          }),
        );
        const fields = {
          portfolio_name: `Fuzz ${i}`,
          account_name: `fuzz-${i}`,
          account_type: 'taxable',
          equity_balance: '100000',
        };
        await record(
          `create ${c.name}`,
          await t.request('/api/v1/onboarding/create-portfolio', {
            method: 'POST',
            token,
            body: form(fields, c),
          }),
        );
      }
      // Malformed form fields with a valid file, and malformed transports.
      const valid: Payload = {
        name: 'valid',
        bytes: new TextEncoder().encode(`${HEADER}\n${VALID_ROW}\n`),
        fileName: 'p.csv',
      };
      const badFields: Record<string, string>[] = [
        { portfolio_name: '', account_name: 'a', account_type: 'taxable', equity_balance: '1' },
        {
          portfolio_name: 'x'.repeat(10_000),
          account_name: 'a',
          account_type: 'taxable',
          equity_balance: '1',
        },
        { portfolio_name: 'n', account_name: 'a', account_type: 'nope', equity_balance: '1' },
        { portfolio_name: 'n', account_name: 'a', account_type: 'taxable', equity_balance: '-5' },
        { portfolio_name: 'n', account_name: 'a', account_type: 'taxable', equity_balance: '1e13' },
        { portfolio_name: 'n', account_name: 'a', account_type: 'taxable', equity_balance: 'NaN' },
        { portfolio_name: 'n', account_name: '', account_type: 'taxable', equity_balance: '1' },
        { portfolio_name: 'n', account_type: 'taxable', equity_balance: '1' },
      ];
      for (const fields of badFields) {
        await record(
          `create fields ${JSON.stringify(fields).slice(0, 80)}`,
          await t.request('/api/v1/onboarding/create-portfolio', {
            method: 'POST',
            token,
            body: form(fields, valid),
          }),
        );
      }
      const rawBodies: [string, string | FormData, Record<string, string>][] = [
        ['json instead of multipart', '{"csv_file":"x"}', { 'content-type': 'application/json' }],
        ['no boundary', 'garbage', { 'content-type': 'multipart/form-data' }],
        [
          'truncated multipart',
          '--XYZ\r\nContent-Disposition: form-data; name="csv_file"; filename="a.csv"\r\n\r\nSymbol',
          { 'content-type': 'multipart/form-data; boundary=XYZ' },
        ],
        ['wrong field name', form({}, valid, 'file'), {}],
        ['plain text', `${HEADER}\n${VALID_ROW}`, { 'content-type': 'text/csv' }],
      ];
      for (const [label, body, headers] of rawBodies) {
        for (const path of [
          '/api/v1/onboarding/validate-csv',
          '/api/v1/onboarding/create-portfolio',
        ]) {
          await record(
            `${path} ${label}`,
            await t.request(path, { method: 'POST', token, body, headers }),
          );
        }
      }
      // JSON routes with junk bodies.
      const junk = [
        '',
        '{',
        '[]',
        'null',
        '"x"',
        '{"name":1e999}',
        '\u0000',
        '{"email":{}}',
        '{"a":'.repeat(500),
      ];
      for (const body of junk) {
        for (const [method, path] of [
          ['POST', '/api/v1/auth/login'],
          ['POST', '/api/v1/auth/register'],
          ['POST', '/api/v1/portfolios'],
        ] as const) {
          await record(
            `${path} ${JSON.stringify(body).slice(0, 40)}`,
            await t.request(path, {
              method,
              token,
              body,
              headers: { 'content-type': 'application/json' },
            }),
          );
        }
      }

      expect(fiveHundreds).toEqual([]);
      expect(requests).toBeGreaterThanOrEqual(500);
      // Every case above is invalid somewhere: nothing may have been written.
      expect(statuses.get(201) ?? 0).toBe(0);
      expect(await countRows(t)).toEqual(before);
    });
  },
);
