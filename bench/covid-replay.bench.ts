import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildStressFactorModel } from '../src/domain/stress/factor-model.ts';
import { runStressTest, type StressPosition } from '../src/domain/stress/run-stress-test.ts';
import {
  findScenario,
  movesFromShocks,
  resolveScenario,
  type ResolvedScenario,
} from '../src/domain/stress/scenarios.ts';
import { STRESS_FACTOR_ETFS } from '../src/domain/stress/stress-factors.ts';
import { getSampleProvider } from '../src/market/create-provider.ts';
import { loadSamplePrices } from '../src/market/providers/sample/load-sample-prices.ts';
import { repoRoot } from '../src/market/providers/sample/sample-data-files.ts';
import { round } from './bench-helpers.ts';

const START = '2020-02-19';
const END = '2020-03-23';
const VALUE_DATE = '2026-07-31';
const NAV = 1_000_000;

/**
 * SPEC §6's check on real data: the stress model as of 2020-02-19 and the covid_crash_2020
 * shocks (the realized factor moves of 2020-02-19 → 2020-03-23), predicted loss against the
 * loss each book really took over the window. Weights are of NAV (negative = short), held from
 * the pre-crash peak; any remainder is cash.
 *
 * `books` are the five demo-style books the target is set on (the first four as this benchmark
 * has defined them since the first stress model, so before and after compare like with like).
 * `demo_holdings` repeats the check on the demo books' own public holdings (data/demo/*.csv at
 * their 2026-07-31 weights; options, which did not exist in 2020, left out): more names, same
 * styles, reported beside the target books rather than chosen between.
 */
const BOOKS: { name: string; target: string; weights: Record<string, number> }[] = [
  {
    name: 'index + megacaps',
    target: 'within 2 pp',
    weights: { SPY: 0.5, AAPL: 0.15, MSFT: 0.15, JNJ: 0.1, TLT: 0.1 },
  },
  {
    name: 'diversified with bonds',
    target: 'within 2 pp',
    weights: { SPY: 0.3, QQQ: 0.15, JPM: 0.1, XOM: 0.1, PG: 0.1, KO: 0.1, TLT: 0.15 },
  },
  {
    name: 'concentrated growth',
    target: 'within 2 pp',
    weights: { AAPL: 0.2, MSFT: 0.2, AMZN: 0.2, GOOGL: 0.2, NVDA: 0.1, META: 0.1 },
  },
  {
    name: 'long/short',
    target: 'reported',
    weights: { AAPL: 0.4, MSFT: 0.4, NVDA: 0.3, AMZN: 0.3, XOM: -0.3, JPM: -0.2, SPY: -0.3 },
  },
  {
    name: 'energy + financials',
    target: 'reported',
    weights: {
      XOM: 0.12,
      CVX: 0.12,
      COP: 0.08,
      SLB: 0.06,
      OXY: 0.04,
      XLE: 0.08,
      JPM: 0.12,
      BAC: 0.1,
      WFC: 0.08,
      C: 0.06,
      GS: 0.06,
      XLF: 0.08,
    },
  },
];
const DEMO_FILES: Record<string, string> = {
  'individual investor': 'individual-investor.csv',
  'high-net-worth diversified': 'high-net-worth-diversified.csv',
  'family office growth': 'family-office-growth.csv',
  'hedge fund long/short': 'hedge-fund-long-short.csv',
};

/** A demo CSV's public lots as weights of its gross long value on VALUE_DATE (shorts negative). */
function demoWeights(file: string, closeOn: (symbol: string) => number): Record<string, number> {
  const lines = readFileSync(join(repoRoot(), 'data', 'demo', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));
  const header = lines[0]!.split(',').map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const values: Record<string, number> = {};
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    const symbol = f[col('symbol')]!.trim();
    const klass = (f[col('investment class')] ?? '').trim();
    if (klass === 'OPTIONS' || klass === 'PRIVATE' || symbol.includes('_')) continue;
    if ((f[col('exit date')] ?? '').trim()) continue;
    values[symbol] = (values[symbol] ?? 0) + Number(f[col('quantity')]) * closeOn(symbol);
  }
  const longs = Object.values(values)
    .filter((v) => v > 0)
    .reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(values).map(([s, v]) => [s, v / longs]));
}

export async function benchCovidReplay() {
  const prices = await loadSamplePrices();
  const i0 = prices.dates.indexOf(START);
  const i1 = prices.dates.indexOf(END);
  const iv = prices.dates.indexOf(VALUE_DATE);
  const close = (s: string, i: number) => {
    const c = prices.closes.get(s)?.[i];
    if (c === undefined || !Number.isFinite(c)) throw new Error(`no close for ${s} at ${i}`);
    return c;
  };
  const model = buildStressFactorModel({ dates: prices.dates, closes: prices.closes, asOf: START });

  // The scenario exactly as the refresh resolves it: realized moves from the stored closes.
  const provider = await getSampleProvider();
  const etfCloses = await provider.getDailyCloses(Object.values(STRESS_FACTOR_ETFS), START, END);
  const closeOn = (etf: string, date: string) => {
    const r = etfCloses.get(etf);
    return r?.ok ? r.value.find((b) => b.date === date)?.close : undefined;
  };
  const covid = resolveScenario(findScenario('covid_crash_2020')!, { closeOn });
  const spyMove = close('SPY', i1) / close('SPY', i0) - 1;
  const marketOnly: ResolvedScenario = {
    ...covid,
    id: 'covid_market_only',
    moves: movesFromShocks({ Market: spyMove }),
  };

  const check = (name: string, target: string, weights: Record<string, number>) => {
    const positions: StressPosition[] = Object.entries(weights).map(([symbol, w]) => ({
      positionId: symbol,
      symbol,
      kind: 'equity',
      marketValue: w * NAV,
      quantity: (w * NAV) / close(symbol, i0),
      multiplier: 1,
    }));
    const realized = positions.reduce(
      (sum, p) => sum + p.quantity * (close(p.symbol, i1) - close(p.symbol, i0)),
      0,
    );
    const predicted = runStressTest({ positions, model, scenario: covid, nav: NAV });
    const market = runStressTest({ positions, model, scenario: marketOnly, nav: NAV });
    const realizedPct = (realized / NAV) * 100;
    const predictedPct = (predicted.correlatedPnl / NAV) * 100;
    const sum = (f: (p: StressPosition) => number) => positions.reduce((s, p) => s + f(p), 0);
    return {
      book: name,
      holdings: positions.length,
      gross_pct: round((sum((p) => Math.abs(p.marketValue)) / NAV) * 100, 1),
      net_pct: round((sum((p) => p.marketValue) / NAV) * 100, 1),
      realized_pct: round(realizedPct, 2),
      predicted_pct: round(predictedPct, 2),
      difference_pp: round(predictedPct - realizedPct, 2),
      target,
      met: target === 'reported' ? null : Math.abs(predictedPct - realizedPct) <= 2,
      predicted_market_only_pct: round((market.correlatedPnl / NAV) * 100, 2),
    };
  };
  const books = BOOKS.map((b) => check(b.name, b.target, b.weights));
  const demoHoldings = Object.entries(DEMO_FILES).map(([name, file]) =>
    check(
      name,
      'reported',
      demoWeights(file, (s) => close(s, iv)),
    ),
  );
  return {
    name: 'covid_replay',
    window: `${START} → ${END}`,
    model_as_of: START,
    model_window: model.covarianceWindow,
    factor_moves: Object.fromEntries(covid.moves.map((m) => [m.factor, round(m.value, 4)])),
    books,
    demo_holdings: demoHoldings,
  };
}
