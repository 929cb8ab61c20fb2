/**
 * Phase-3 factor compute for a large universe: computeSymbolFactors for 3,000 synthetic symbols
 * on one calendar year of NYSE sessions (253 closes, 252 returns) and one calculation date.
 * Prints a JSON report. Regression count per symbol: 7 = Market Beta OLS + IR Beta OLS + the
 * 6-factor ridge counted ONCE + 4 spread OLS; `factor_betas_per_second` counts the 12 betas.
 *
 * Two TypeScript timings: `end_to_end` is computeSymbolFactors as phase 3 calls it (closes in,
 * 36,000 FactorResult objects out); `kernels` is evaluateRegressions alone (closes in, betas in
 * typed arrays out), which is what the NumPy figure measures too.
 *
 *   node bin/run-ts.mjs bench/factor-kernels.bench.ts [--symbols 3000] [--runs 30] [--no-numpy]
 *
 * Unless --no-numpy, it also runs `python3 test/reference/factors_reference.py --bench N`, the
 * same regressions vectorised in NumPy, and reports both.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { tradingSessionsBetween } from '../src/domain/calendar/index.ts';
import { computeSymbolFactors } from '../src/domain/factors/compute-symbol-factors.ts';
import { evaluateRegressions } from '../src/domain/factors/evaluate-regressions.ts';
import { FACTOR_ETFS } from '../src/domain/factors/factor-definitions.ts';

const REGRESSIONS_PER_SYMBOL = 7;
const BETAS_PER_SYMBOL = 12;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

/** mulberry32: a small seeded generator, so every run regresses the same prices. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(next: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/** One-factor market: every ETF and stock is beta × market + its own noise. */
function syntheticUniverse(symbolCount: number, sessions: number) {
  const gauss = normal(random(20260731));
  const market = Float64Array.from({ length: sessions }, () => 0.0004 + 0.011 * gauss());
  const closes = new Map<string, Float64Array>();
  const series = (beta: number, noise: number): Float64Array => {
    const out = new Float64Array(sessions);
    out[0] = 100;
    for (let t = 1; t < sessions; t++) {
      out[t] = out[t - 1]! * (1 + beta * market[t]! + noise * gauss());
    }
    return out;
  };
  for (const etf of FACTOR_ETFS) closes.set(etf, series(1 + 0.3 * gauss(), 0.004));
  const symbols: string[] = [];
  for (let i = 0; i < symbolCount; i++) {
    const symbol = `SYN${String(i).padStart(5, '0')}`;
    symbols.push(symbol);
    closes.set(symbol, series(1 + 0.4 * gauss(), 0.015));
  }
  return { closes, symbols };
}

function numpyBench(symbols: number): unknown {
  try {
    const out = execFileSync(
      'python3',
      ['test/reference/factors_reference.py', '--bench', String(symbols)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return JSON.parse(out) as unknown;
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0] };
  }
}

const symbolCount = option('--symbols', 3000);
const runs = option('--runs', 30);
// One calendar year: 253 sessions, 252 returns.
const dates = tradingSessionsBetween('2025-06-01', '2026-07-31').slice(-253);
const { closes, symbols } = syntheticUniverse(symbolCount, dates.length);
const calculationDate = dates.at(-1)!;

const endToEnd = () => computeSymbolFactors({ dates, closes, symbols, calculationDate });
const kernels = () => evaluateRegressions(closes, symbols, dates.length - 1);

/** Best and median seconds over `runs`, alternating the two so both see the same machine load. */
function time(
  tasks: Record<string, () => unknown>,
): Record<string, { best: number; median: number }> {
  for (let i = 0; i < 5; i++) for (const task of Object.values(tasks)) task(); // JIT warm-up
  const samples: Record<string, number[]> = Object.fromEntries(
    Object.keys(tasks).map((k) => [k, []]),
  );
  for (let i = 0; i < runs; i++) {
    for (const [name, task] of Object.entries(tasks)) {
      const started = performance.now();
      task();
      samples[name]!.push((performance.now() - started) / 1000);
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, s]) => {
      s.sort((a, b) => a - b);
      return [name, { best: s[0]!, median: s[Math.floor(s.length / 2)]! }];
    }),
  );
}

const check = endToEnd();
if (check.results.length !== symbolCount * BETAS_PER_SYMBOL || check.errors.length > 0) {
  throw new Error(`unexpected output: ${check.results.length} rows, ${check.errors.length} errors`);
}
const timings = time({ end_to_end: endToEnd, kernels });

const regressions = symbolCount * REGRESSIONS_PER_SYMBOL;
console.log(
  JSON.stringify(
    {
      benchmark: 'factor-kernels',
      machine: `${os.cpus()[0]?.model ?? 'unknown cpu'} × ${os.cpus().length}, node ${process.version}`,
      // Both timings are best/median of many runs; the load says how busy the machine was.
      load_average_1m: os.loadavg()[0],
      symbols: symbolCount,
      sessions: dates.length,
      returns_per_symbol: dates.length - 1,
      calculation_dates: 1,
      counting: 'each OLS, each spread and the 6-factor ridge count as 1 regression (7 per symbol)',
      runs,
      typescript: Object.fromEntries(
        Object.entries(timings).map(([name, t]) => [
          name,
          {
            seconds_best: t.best,
            seconds_median: t.median,
            regressions_per_second: regressions / t.best,
            regressions_per_second_median: regressions / t.median,
            factor_betas_per_second: (symbolCount * BETAS_PER_SYMBOL) / t.best,
          },
        ]),
      ),
      numpy: process.argv.includes('--no-numpy') ? null : numpyBench(symbolCount),
    },
    null,
    2,
  ),
);
