import { expect, it } from 'vitest';
import { MAX_CSV_BYTES } from '../../../src/domain/csv/parse-positions-csv.ts';
import { checkCsv } from '../../../src/services/portfolios/onboarding-upload.ts';
import { createTestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';

const HEADER = 'Symbol,Quantity,Entry Price Per Share,Entry Date\n';

/** Distinct valid rows up to about `bytes` (the limit is 10 MB). */
function bigCsv(bytes: number, row: (i: number) => string): string {
  const parts = [HEADER];
  let size = HEADER.length;
  for (let i = 0; size < bytes - 64; i++) {
    const line = row(i);
    parts.push(line);
    size += line.length;
  }
  return parts.join('');
}

const validRow = (i: number) => `S${i.toString(36).toUpperCase()},10,100.5,2026-01-05\n`;
const badRow = (i: number) => `S${i.toString(36).toUpperCase()},ten,-1,2026-13-45\n`;

function form(text: string): FormData {
  const f = new FormData();
  f.set('csv_file', new File([text], 'big.csv', { type: 'text/csv' }));
  return f;
}

describeOnEachEngine('validate-csv on a 10 MB file', ({ database }) => {
  it('answers a bounded preview with totals, not every row and error', async () => {
    const t = await createTestApp(() => database());
    const token = await t.login('big@example.com');
    const valid = bigCsv(MAX_CSV_BYTES, validRow);
    const res = await t.request('/api/v1/onboarding/validate-csv', {
      method: 'POST',
      token,
      body: form(valid),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.length).toBeLessThan(256 * 1024);
    const body = JSON.parse(text) as {
      valid: boolean;
      positions: unknown[];
      total_positions: number;
      truncated: boolean;
      total_errors: number;
    };
    expect(body.valid).toBe(true);
    expect(body.positions).toHaveLength(200);
    expect(body.total_positions).toBe(valid.split('\n').length - 2);
    expect(body.truncated).toBe(true);

    const invalid = bigCsv(MAX_CSV_BYTES / 4, badRow);
    const bad = await t.request('/api/v1/onboarding/validate-csv', {
      method: 'POST',
      token,
      body: form(invalid),
    });
    const badText = await bad.text();
    expect(badText.length).toBeLessThan(256 * 1024);
    const badBody = JSON.parse(badText) as { errors: unknown[]; total_errors: number };
    expect(badBody.errors).toHaveLength(500);
    expect(badBody.total_errors).toBeGreaterThan(10_000);
  }, 120_000);

  it('lets other work run while it parses', async () => {
    const text = bigCsv(2 * 1024 * 1024, validRow);
    const bytes = new TextEncoder().encode(text);
    let ticks = 0;
    let ticking = true;
    const tick = () => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const result = await checkCsv({ name: 'big.csv', size: bytes.length, bytes }, '2026-08-03');
    ticking = false;
    expect(result.totalErrors).toBe(0);
    // Paused every 2,000 rows: ~90,000 rows give the loop dozens of turns.
    expect(ticks).toBeGreaterThan(10);
  });

  it('refuses a user’s uploads beyond the concurrent limit with 429 and Retry-After', async () => {
    const t = await createTestApp(() => database(), { maxUploadsPerUser: 1 });
    const token = await t.login('busy@example.com');
    const text = bigCsv(1024 * 1024, validRow);
    const send = () =>
      t.request('/api/v1/onboarding/validate-csv', { method: 'POST', token, body: form(text) });
    const answers = await Promise.all([send(), send(), send()]);
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 429, 429]);
    const busy = answers.find((r) => r.status === 429)!;
    expect(busy.headers.get('retry-after')).toBe('5');
    expect(((await busy.json()) as { error: { code: string } }).error.code).toBe('ERR_UPLOAD_BUSY');
    // Another user is not affected, and the slot is free again afterwards.
    const other = await t.login('other@example.com');
    expect(
      (
        await t.request('/api/v1/onboarding/validate-csv', {
          method: 'POST',
          token: other,
          body: form(text),
        })
      ).status,
    ).toBe(200);
    expect((await send()).status).toBe(200);
  }, 60_000);
});
