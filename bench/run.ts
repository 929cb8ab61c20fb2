import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { benchSymbolBatch } from './symbol-batch.bench.ts';
import { benchPortfolioRefresh } from './portfolio-refresh.bench.ts';
import { benchCovidReplay } from './covid-replay.bench.ts';
import { benchOnboarding } from './onboarding.bench.ts';
import { benchWebApp } from './web-app.bench.ts';
import { benchRestatement } from './restatement.bench.ts';
import { benchHardening } from './hardening.bench.ts';
import { benchScale } from './scale.bench.ts';
import { machine } from './bench-helpers.ts';

/**
 * `npm run bench`: every benchmark, one JSON report on stdout (and in bench/results/latest.json).
 * Benchmarks are measurements, not tests: nothing here fails on a slow machine.
 */
const only = process.argv[2];
const benches: Record<string, () => Promise<unknown>> = {
  symbol_batch: () => benchSymbolBatch(3_000),
  portfolio_refresh: () => benchPortfolioRefresh(1_000, 30),
  covid_replay: () => benchCovidReplay(),
  onboarding: () => benchOnboarding(),
  web_app: () => benchWebApp(),
  restatement: () => benchRestatement(),
  hardening: () => benchHardening(),
  // Issue 15: workers, PostgreSQL and API load; options after the name (bench/scale.bench.ts).
  scale: () => benchScale(process.argv.slice(3)),
  // Phase-3 kernels warm (best of 30) against NumPy on the same data: the like-for-like figure.
  factor_kernels: async () => {
    const out = execFileSync(
      process.execPath,
      ['bin/run-ts.mjs', 'bench/factor-kernels.bench.ts'],
      { encoding: 'utf8' },
    );
    return JSON.parse(out);
  },
};
const results: Record<string, unknown> = {};
for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  process.stderr.write(`bench ${name}…\n`);
  results[name] = await run();
}
// A single benchmark run keeps the other benchmarks' last figures in the report.
if (only && existsSync('bench/results/latest.json')) {
  const previous = JSON.parse(readFileSync('bench/results/latest.json', 'utf8')) as {
    results?: Record<string, unknown>;
  };
  for (const [name, result] of Object.entries(previous.results ?? {})) results[name] ??= result;
}
const report = { generated_at: new Date().toISOString(), machine: machine(), results };
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(report, null, 2)}\n`);
if (results.scale) {
  const scale = {
    generated_at: report.generated_at,
    machine: report.machine,
    scale: results.scale,
  };
  writeFileSync('bench/results/scale.json', `${JSON.stringify(scale, null, 2)}\n`);
}
console.log(JSON.stringify(report, null, 2));
// Servers and pools started by the benchmarks are stopped, but a stray timer must not keep us.
process.exit(0);
