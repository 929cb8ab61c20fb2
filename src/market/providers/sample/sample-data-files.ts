import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute paths of the bundled market-data files read by the `sample` provider. */
export type SampleDataFiles = {
  prices: string;
  symbols: string;
  treasuryYields: string;
  /** The 8 stress-factor ETFs before `prices` starts, back to each fund's first session. */
  factorEtfHistory: string;
  /** The 13-week Treasury bill rate (percent) on the price calendar. */
  treasuryBill3m: string;
};

export type SampleDataFileOverrides = Partial<SampleDataFiles> & {
  /** Folder holding all the files under their default names; default `<repo root>/data/market`. */
  dir?: string;
};

let cachedRepoRoot: string | undefined;

/**
 * The checkout root, i.e. the nearest ancestor of this module holding a package.json.
 * Searched rather than hard-coded as `../../../..` so the answer survives this file being moved
 * or run from a build output folder; the process cwd is deliberately ignored because the CLI and
 * tests may be started from anywhere.
 */
export function repoRoot(): string {
  if (cachedRepoRoot !== undefined) return cachedRepoRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      cachedRepoRoot = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(
        `No package.json above ${fileURLToPath(import.meta.url)}: cannot find repo root`,
      );
    }
    dir = parent;
  }
}

export function defaultSampleDataDir(): string {
  return join(repoRoot(), 'data', 'market');
}

/** Default paths, each individually replaceable (e.g. by tests pointing at fixtures). */
export function sampleDataFiles(overrides: SampleDataFileOverrides = {}): SampleDataFiles {
  const dir = resolve(overrides.dir ?? defaultSampleDataDir());
  return {
    prices: resolve(overrides.prices ?? join(dir, 'prices.csv.gz')),
    symbols: resolve(overrides.symbols ?? join(dir, 'symbols.csv.gz')),
    treasuryYields: resolve(overrides.treasuryYields ?? join(dir, 'treasury_yields.csv.gz')),
    factorEtfHistory: resolve(overrides.factorEtfHistory ?? join(dir, 'factor_etf_history.csv.gz')),
    treasuryBill3m: resolve(overrides.treasuryBill3m ?? join(dir, 'tbill_3m.csv.gz')),
  };
}
