import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  repoRoot,
  sampleDataFiles,
} from '../../../../../src/market/providers/sample/sample-data-files.ts';

const sharedDir = join(repoRoot(), '..', 'shared', 'data', 'market');
const SKIP_NOTE = `shared market data not found at ${sharedDir}; cannot compare the bundled copy`;

describe('bundled data/market copy', () => {
  it('resolves the default files under <repo root>/data/market', () => {
    const files = sampleDataFiles();
    expect(files.prices).toBe(join(repoRoot(), 'data', 'market', 'prices.csv.gz'));
    expect(files.symbols).toBe(join(repoRoot(), 'data', 'market', 'symbols.csv.gz'));
    expect(files.treasuryYields).toBe(join(repoRoot(), 'data', 'market', 'treasury_yields.csv.gz'));
    expect(files.factorEtfHistory).toBe(
      join(repoRoot(), 'data', 'market', 'factor_etf_history.csv.gz'),
    );
    expect(files.treasuryBill3m).toBe(join(repoRoot(), 'data', 'market', 'tbill_3m.csv.gz'));
    for (const path of Object.values(files)) expect(existsSync(path), path).toBe(true);
  });

  it('lets a dir or a single file be overridden', () => {
    const files = sampleDataFiles({ dir: '/x', symbols: '/y/s.csv.gz' });
    expect(files).toEqual({
      prices: '/x/prices.csv.gz',
      symbols: '/y/s.csv.gz',
      treasuryYields: '/x/treasury_yields.csv.gz',
      factorEtfHistory: '/x/factor_etf_history.csv.gz',
      treasuryBill3m: '/x/tbill_3m.csv.gz',
    });
  });

  it('has the same content as the shared source folder', (ctx) => {
    ctx.skip(!existsSync(sharedDir), SKIP_NOTE);
    const files = sampleDataFiles();
    const pairs: [bundled: string, shared: Buffer][] = [
      [files.prices, gunzipSync(readFileSync(join(sharedDir, 'prices.csv.gz')))],
      [files.symbols, readFileSync(join(sharedDir, 'symbols.csv'))],
      [files.treasuryYields, readFileSync(join(sharedDir, 'treasury_yields.csv'))],
      [
        files.factorEtfHistory,
        gunzipSync(readFileSync(join(sharedDir, 'factor_etf_history.csv.gz'))),
      ],
      [files.treasuryBill3m, readFileSync(join(sharedDir, 'tbill_3m.csv'))],
    ];
    for (const [bundled, shared] of pairs) {
      const ours = gunzipSync(readFileSync(bundled));
      expect(ours.length, bundled).toBe(shared.length);
      expect(ours.equals(shared), bundled).toBe(true);
    }
  });
});
