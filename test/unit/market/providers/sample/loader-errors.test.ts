import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSamplePrices } from '../../../../../src/market/providers/sample/load-sample-prices.ts';
import { loadSampleSymbols } from '../../../../../src/market/providers/sample/load-sample-symbols.ts';
import { loadTreasuryYields } from '../../../../../src/market/providers/sample/load-treasury-yields.ts';
import { CsvLineError } from '../../../../../src/market/providers/sample/read-gzip-lines.ts';

const dir = mkdtempSync(join(tmpdir(), 'betaboard-sample-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fixtureCount = 0;
function gz(text: string): string {
  const path = join(dir, `fixture-${++fixtureCount}.csv.gz`);
  writeFileSync(path, gzipSync(text));
  return path;
}

const GOOD_PRICES = 'symbol,date,close\nAAA,2020-01-02,10\nAAA,2020-01-03,11\n';

describe('loadSamplePrices on fixtures', () => {
  it('parses a small file, CRLF and unordered rows included', async () => {
    const set = await loadSamplePrices(
      gz('symbol,date,close\r\nBBB,2020-01-03,2.5\r\nAAA,2020-01-03,11\r\nAAA,2020-01-02,10\r\n'),
    );
    expect(set.dates).toEqual(['2020-01-02', '2020-01-03']);
    expect(set.symbols).toEqual(['AAA', 'BBB']);
    expect([...(set.closes.get('AAA') as Float64Array)]).toEqual([10, 11]);
    // BBB has no row on 2020-01-02: a NaN hole, not a fill.
    expect([...(set.closes.get('BBB') as Float64Array)]).toEqual([NaN, 2.5]);
    expect(set.rowCount).toBe(3);
  });

  it('rejects a bad header on line 1', async () => {
    const path = gz('ticker,date,close\nAAA,2020-01-02,10\n');
    await expect(loadSamplePrices(path)).rejects.toThrow(
      /line 1: expected header 'symbol,date,close'/,
    );
    await expect(loadSamplePrices(path)).rejects.toBeInstanceOf(CsvLineError);
  });

  it.each([
    ['0', /line 3: close must be a finite number > 0, got '0'/],
    ['-4.2', /line 3: close must be a finite number > 0, got '-4.2'/],
    ['abc', /line 3: close must be a finite number > 0, got 'abc'/],
    ['', /line 3: close must be a finite number > 0, got ''/],
    ['Infinity', /line 3: close must be a finite number > 0/],
  ])('rejects close %j naming the line', async (close, message) => {
    const path = gz(`symbol,date,close\nAAA,2020-01-02,10\nAAA,2020-01-03,${close}\n`);
    await expect(loadSamplePrices(path)).rejects.toThrow(message);
  });

  it.each(['2020-1-06', '2020/01/06', '2020-02-30', '2020-13-01', 'yesterday', ''])(
    'rejects malformed date %j naming the line',
    async (date) => {
      const path = gz(`${GOOD_PRICES}AAA,${date},12\n`);
      const err = await loadSamplePrices(path).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CsvLineError);
      expect((err as CsvLineError).line).toBe(4);
      expect((err as Error).message).toContain(`line 4: malformed date '${date}'`);
      expect((err as Error).message).toContain(path);
    },
  );

  it('counts blank lines so numbers match the file', async () => {
    const path = gz('symbol,date,close\n\nAAA,2020-01-02,10\n\nAAA,2020-01-03,x\n');
    await expect(loadSamplePrices(path)).rejects.toThrow(/line 5: close/);
  });

  it('rejects a wrong field count and a duplicate (symbol, date)', async () => {
    await expect(loadSamplePrices(gz(`${GOOD_PRICES}AAA,2020-01-06\n`))).rejects.toThrow(
      /line 4: expected 3 fields/,
    );
    await expect(loadSamplePrices(gz(`${GOOD_PRICES}AAA,2020-01-06,1,2\n`))).rejects.toThrow(
      /line 4: expected 3 fields/,
    );
    await expect(loadSamplePrices(gz(`${GOOD_PRICES}AAA,2020-01-02,12\n`))).rejects.toThrow(
      /line 4: duplicate close for AAA on 2020-01-02/,
    );
  });

  it('names the file for a missing, empty or non-gzip input', async () => {
    const missing = join(dir, 'missing.csv.gz');
    await expect(loadSamplePrices(missing)).rejects.toThrow(missing);
    await expect(loadSamplePrices(gz(''))).rejects.toThrow(/line 1: file is empty/);
    const plain = join(dir, 'plain.csv.gz');
    writeFileSync(plain, GOOD_PRICES);
    await expect(loadSamplePrices(plain)).rejects.toThrow(plain);
  });
});

describe('loadSampleSymbols on fixtures', () => {
  const header = 'symbol,name,type,sector_or_role,core_factor_etf';

  it('rejects a bad header, type or flag naming the line', async () => {
    await expect(loadSampleSymbols(gz('symbol,type,sector,core\n'))).rejects.toThrow(
      /line 1: expected header/,
    );
    await expect(
      loadSampleSymbols(gz(`${header}\nAAA,A Co,stock,Energy,False\nBBB,B,bond,x,False\n`)),
    ).rejects.toThrow(/line 3: type must be 'stock' or 'ETF', got 'bond'/);
    await expect(loadSampleSymbols(gz(`${header}\nAAA,A,ETF,market,yes\n`))).rejects.toThrow(
      /line 2: core_factor_etf must be True or False/,
    );
    await expect(loadSampleSymbols(gz(`${header}\nAAA,A,stock,Energy,True\n`))).rejects.toThrow(
      /line 2: stock 'AAA' is flagged as a core factor ETF/,
    );
    await expect(
      loadSampleSymbols(gz(`${header}\nAAA,A,stock,Energy,False\nAAA,A,stock,Energy,False\n`)),
    ).rejects.toThrow(/line 3: duplicate symbol 'AAA'/);
    await expect(loadSampleSymbols(gz(`${header}\nAAA,,stock,Energy,False\n`))).rejects.toThrow(
      /line 2: symbol 'AAA' has no name/,
    );
    await expect(
      loadSampleSymbols(gz(`${header}\nAAA,Old Format Co,Energy,False\n`)),
    ).rejects.toThrow(/line 2: expected 5 fields/);
  });

  it('reads a quoted name holding a comma', async () => {
    const [nike] = await loadSampleSymbols(
      gz(`${header}\nNKE,"Nike, Inc.",stock,Consumer Discretionary,False\n`),
    );
    expect(nike).toEqual({
      symbol: 'NKE',
      name: 'Nike, Inc.',
      type: 'stock',
      sector: 'Consumer Discretionary',
      role: null,
      isCoreFactorEtf: false,
    });
  });
});

describe('loadTreasuryYields on fixtures', () => {
  const header = 'date,dgs2,dgs10,dgs30';

  it("turns blank and '.' into NaN", async () => {
    const y = await loadTreasuryYields(
      gz(`${header}\n2020-01-02,1.5,.,\n2020-01-03,-0.1,1.9,2.3\n`),
    );
    expect(y.dates).toEqual(['2020-01-02', '2020-01-03']);
    expect([...y.dgs2]).toEqual([1.5, -0.1]);
    expect([...y.dgs10]).toEqual([NaN, 1.9]);
    expect([...y.dgs30]).toEqual([NaN, 2.3]);
  });

  it('rejects bad values and unordered dates naming the line', async () => {
    await expect(loadTreasuryYields(gz(`date,2y,10y,30y\n`))).rejects.toThrow(
      /line 1: expected header/,
    );
    await expect(loadTreasuryYields(gz(`${header}\n2020-01-02,1,2,n/a\n`))).rejects.toThrow(
      /line 2: dgs30 must be a number, '.' or blank, got 'n\/a'/,
    );
    await expect(
      loadTreasuryYields(gz(`${header}\n2020-01-02,1,2,3\n02/01/2020,1,2,3\n`)),
    ).rejects.toThrow(/line 3: malformed date/);
    await expect(
      loadTreasuryYields(gz(`${header}\n2020-01-03,1,2,3\n2020-01-02,1,2,3\n`)),
    ).rejects.toThrow(/line 3: date 2020-01-02 is not after 2020-01-03/);
  });
});
