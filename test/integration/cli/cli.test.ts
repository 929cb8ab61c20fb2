import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { POSITIONS_CSV_TEMPLATE } from '../../../src/domain/csv/csv-template.ts';
import { STRESS_SCENARIOS } from '../../../src/domain/stress/scenarios.ts';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(os.tmpdir(), 'betaboard-cli-'));
const env = {
  ...process.env,
  BETABOARD_DB_PATH: path.join(dir, 'db'),
  LOG_LEVEL: 'silent',
  DATABASE_URL: '',
};
const betaboard = (...args: string[]) =>
  run(process.execPath, ['bin/betaboard.mjs', ...args], { env, maxBuffer: 64 * 1024 * 1024 });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The real `betaboard` binary on an embedded database in a temp directory. */
describe('betaboard CLI', () => {
  it('batch symbols then symbol-factors --json prints the 13 factors in the documented shape', async () => {
    const batch = await betaboard(
      'batch',
      'symbols',
      '--symbols',
      'AAPL,MSFT',
      '--date',
      '2026-07-31',
    );
    expect(batch.stdout).toMatch(/2026-07-31\s+completed\s+2 symbols/);
    const { stdout } = await betaboard('symbol-factors', 'AAPL', '--date', '2026-07-31', '--json');
    const rows = JSON.parse(stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(13);
    expect(Object.keys(rows[0]!)).toEqual([
      'factor',
      'beta',
      'r_squared',
      'std_error',
      'observations',
      'method',
    ]);
    expect(rows[0]).toMatchObject({ factor: 'Market Beta (90D)', observations: 90, method: 'ols' });
  }, 120_000);

  it('imports a price file, refusing a file with any bad row and naming its line', async () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(
      bad,
      'symbol,date,close\nACME,2024-01-02,10\nACME,2024-13-02,11\nACME,2024-01-04,-3\n',
    );
    await expect(betaboard('prices', 'import', bad)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/line 3 \(date\)[\s\S]*line 4 \(close\)/),
    });
    const good = path.join(dir, 'good.csv');
    writeFileSync(good, 'symbol,date,close\nACME,2024-01-02,10\nACME,2024-01-03,10.5\n');
    const { stdout } = await betaboard('prices', 'import', good);
    expect(stdout).toMatch(/Imported 2 close\(s\) for 1 symbol\(s\): ACME/);
  }, 60_000);

  it('creates a portfolio from the CSV template, calculates it and reports it', async () => {
    const csv = path.join(dir, 'template.csv');
    writeFileSync(csv, POSITIONS_CSV_TEMPLATE);
    const created = await betaboard(
      'portfolio',
      'create',
      '--csv',
      csv,
      '--name',
      'Template',
      '--account',
      'T-1',
      '--equity',
      '250000',
    );
    const id = /Created portfolio ([0-9a-f-]{36})/.exec(created.stdout)![1]!;
    const calc = await betaboard('portfolio', 'calculate', id, '--date', '2026-07-31', '--json');
    const result = JSON.parse(calc.stdout);
    expect(['completed', 'partial']).toContain(result.status);
    const report = JSON.parse((await betaboard('portfolio', 'report', id, '--json')).stdout);
    expect(report.available).toBe(true);
    expect(report.snapshot.netAssetValue).toBeCloseTo(250_000, 2);
    expect(report.stress_results).toHaveLength(STRESS_SCENARIOS.length);
    expect(report.factor_exposures).toHaveLength(13);
  }, 180_000);

  it('rejects bad input with exit code 2 and a message', async () => {
    await expect(betaboard('symbol-factors', 'AAPL', '--date', '2026-13-01')).rejects.toMatchObject(
      {
        code: 2,
        stderr: expect.stringMatching(/--date must be a date written YYYY-MM-DD/),
      },
    );
    await expect(betaboard('portfolio', 'calculate', 'not-a-uuid')).rejects.toMatchObject({
      code: 2,
    });
  }, 60_000);
});
