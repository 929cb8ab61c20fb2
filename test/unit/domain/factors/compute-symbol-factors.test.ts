import { describe, expect, it } from 'vitest';
import {
  computeSymbolFactors,
  computeSymbolFactorsForDates,
  type ComputeSymbolFactorsInput,
} from '../../../../src/domain/factors/compute-symbol-factors.ts';
import {
  FACTOR_DEFINITIONS,
  FACTOR_ETFS,
  RIDGE_REGRESSORS,
} from '../../../../src/domain/factors/factor-definitions.ts';
import type {
  FactorResult,
  SymbolFactorsOutput,
} from '../../../../src/domain/factors/factor-result.ts';
import { closesFromReturns, stockLike, syntheticMarket } from './synthetic-prices.ts';

const COMPUTED = FACTOR_DEFINITIONS.filter((d) => d.calculationMethod !== 'provider').map(
  (d) => d.name,
);
const SPREADS = FACTOR_DEFINITIONS.filter((d) => d.calculationMethod === 'spread_ols').map(
  (d) => d.name,
);
const NINETY_DAY = COMPUTED.filter((name) => !SPREADS.includes(name));

function rowsOf(output: SymbolFactorsOutput, symbol: string): Map<string, FactorResult> {
  return new Map(output.results.filter((r) => r.symbol === symbol).map((r) => [r.factorName, r]));
}

function run(
  closes: Map<string, Float64Array>,
  dates: string[],
  symbols: string[],
  extra: Partial<ComputeSymbolFactorsInput> = {},
): SymbolFactorsOutput {
  return computeSymbolFactors({
    dates,
    closes,
    symbols,
    calculationDate: dates.at(-1)!,
    ...extra,
  });
}

/** A copy of the series with closes from `index` on kept and everything before it missing. */
function historyFrom(series: Float64Array, index: number): Float64Array {
  const out = Float64Array.from(series);
  out.fill(NaN, 0, index);
  return out;
}

describe('computeSymbolFactors: definitions and output shape', () => {
  it('has the 13 SPEC §3.1 factors in display order and the 8 factor ETFs', () => {
    expect(FACTOR_DEFINITIONS.map((d) => [d.displayOrder, d.name])).toEqual([
      [0, 'Market Beta (90D)'],
      [1, 'Provider Beta (1Y)'],
      [2, 'IR Beta'],
      [3, 'Momentum'],
      [4, 'Value'],
      [5, 'Growth'],
      [6, 'Size'],
      [7, 'Quality'],
      [8, 'Low Volatility'],
      [9, 'Growth-Value Spread'],
      [10, 'Momentum Spread'],
      [11, 'Size Spread'],
      [12, 'Quality Spread'],
    ]);
    expect([...FACTOR_ETFS].sort()).toEqual(
      ['IWM', 'MTUM', 'QUAL', 'SPY', 'TLT', 'USMV', 'VTV', 'VUG'].sort(),
    );
    expect(RIDGE_REGRESSORS).toEqual(['MTUM', 'VTV', 'VUG', 'IWM', 'QUAL', 'USMV']);
  });

  it('gives 12 rows per symbol in display order with the right methods and windows', () => {
    const m = syntheticMarket();
    m.closes.set('AAA', stockLike(m.market, 1.2, 0.01, m.noise));
    const out = run(m.closes, m.dates, ['AAA']);
    expect(out.errors).toEqual([]);
    expect(out.insufficient).toEqual([]);
    expect(out.results.map((r) => r.factorName)).toEqual(COMPUTED);
    for (const r of out.results) {
      const spread = SPREADS.includes(r.factorName);
      const ridge = r.calculationMethod === 'ridge';
      expect(r.windowDays).toBe(spread ? 180 : 90);
      expect(r.observations).toBe(spread ? 180 : 90);
      expect(r.calculationMethod).toBe(spread ? 'spread_ols' : ridge ? 'ridge' : 'ols');
      expect(r.regularizationAlpha).toBe(ridge ? 1 : null);
      expect(r.stdError === null).toBe(ridge);
      expect(r.qualityFlag).toBe('ok');
    }
    // One ridge, one in-sample R² for its six factors.
    const ridgeR2 = new Set(
      out.results.filter((r) => r.calculationMethod === 'ridge').map((r) => r.rSquared),
    );
    expect(ridgeR2.size).toBe(1);
    // The market beta recovers the loading the series was built with.
    expect(rowsOf(out, 'AAA').get('Market Beta (90D)')!.beta).toBeGreaterThan(0.9);
  });

  it('an ETF regressed on itself: beta 1, R² 1, standard error exactly 0', () => {
    const m = syntheticMarket();
    const spy = rowsOf(run(m.closes, m.dates, ['SPY']), 'SPY').get('Market Beta (90D)')!;
    expect(spy.beta).toBe(1);
    expect(spy.rSquared).toBe(1);
    expect(spy.stdError).toBe(0);
  });

  it('computes a repeated symbol once and a symbol without prices as no history', () => {
    const m = syntheticMarket();
    m.closes.set('AAA', stockLike(m.market, 1, 0.01, m.noise));
    const out = run(m.closes, m.dates, ['AAA', 'AAA', 'NOPE']);
    expect(out.results.filter((r) => r.symbol === 'AAA')).toHaveLength(12);
    expect(out.results.filter((r) => r.symbol === 'NOPE')).toHaveLength(0);
    expect(out.insufficient.filter((i) => i.symbol === 'NOPE')).toHaveLength(12);
    expect(out.insufficient.every((i) => i.observations === 0)).toBe(true);
  });

  it('ends the window at the last session on or before a non-trading calculation date', () => {
    const m = syntheticMarket('2024-01-02', '2025-07-03');
    m.closes.set('AAA', stockLike(m.market, 0.8, 0.01, m.noise));
    // 2025-07-04 (Independence Day) and the weekend after it are not sessions.
    const holiday = run(m.closes, m.dates, ['AAA'], { calculationDate: '2025-07-06' });
    const session = run(m.closes, m.dates, ['AAA'], { calculationDate: '2025-07-03' });
    expect(holiday).toEqual(session);
    const before = run(m.closes, m.dates, ['AAA'], { calculationDate: '2023-12-29' });
    expect(before.results).toEqual([]);
    expect(before.insufficient).toHaveLength(12);
  });

  it('several calculation dates at once equal one date at a time', () => {
    const m = syntheticMarket();
    m.closes.set('AAA', stockLike(m.market, 1.1, 0.012, m.noise));
    const picks = [m.dates[200]!, m.dates[260]!, m.dates.at(-1)!];
    const byDate = computeSymbolFactorsForDates({
      dates: m.dates,
      closes: m.closes,
      symbols: ['AAA', 'SPY'],
      calculationDates: picks,
    });
    for (const date of picks) {
      expect(byDate.get(date)).toEqual(
        run(m.closes, m.dates, ['AAA', 'SPY'], { calculationDate: date }),
      );
    }
  });

  it('rejects a close series that is not aligned to the calendar', () => {
    const m = syntheticMarket();
    m.closes.set('AAA', new Float64Array(10));
    expect(() => run(m.closes, m.dates, ['AAA'])).toThrow(/AAA has 10 closes/);
  });
});

describe('computeSymbolFactors: insufficient history', () => {
  it('reports fewer than 30 returns for the 90-day factors and fewer than 60 for spreads', () => {
    const m = syntheticMarket();
    const full = stockLike(m.market, 1, 0.01, m.noise);
    const last = m.dates.length - 1;
    // First close `k` sessions before the end: k returns.
    m.closes.set('R29', historyFrom(full, last - 29));
    m.closes.set('R30', historyFrom(full, last - 30));
    m.closes.set('R59', historyFrom(full, last - 59));
    m.closes.set('R60', historyFrom(full, last - 60));
    const out = run(m.closes, m.dates, ['R29', 'R30', 'R59', 'R60']);
    const short = (symbol: string) =>
      out.insufficient
        .filter((i) => i.symbol === symbol)
        .map((i) => [i.factor, i.observations, i.required]);

    expect(short('R29')).toEqual(COMPUTED.map((f) => [f, 29, SPREADS.includes(f) ? 60 : 30]));
    expect(rowsOf(out, 'R29').size).toBe(0);
    expect(short('R30')).toEqual(SPREADS.map((f) => [f, 30, 60]));
    expect([...rowsOf(out, 'R30').keys()]).toEqual(NINETY_DAY);
    expect([...rowsOf(out, 'R30').values()].every((r) => r.observations === 30)).toBe(true);
    expect(short('R59')).toEqual(SPREADS.map((f) => [f, 59, 60]));
    expect(short('R60')).toEqual([]);
    expect(rowsOf(out, 'R60').get('Size Spread')!.observations).toBe(60);
  });
});

describe('computeSymbolFactors: gaps', () => {
  it('a missing close removes two returns, and the fit equals one on the inner-joined dates alone', () => {
    const m = syntheticMarket();
    const last = m.dates.length - 1;
    const clean = stockLike(m.market, 1.3, 0.01, m.noise);
    const gappy = Float64Array.from(clean);
    for (const back of [3, 17, 18, 40, 41, 42, 95, 150]) gappy[last - back] = NaN;
    m.closes.set('GAP', gappy);
    m.closes.set(
      'GAP2',
      Float64Array.from(gappy).map((v, i) => v * (1 + 0.001 * Math.sin(i))),
    );
    m.closes.set('CLEAN', clean);
    const out = run(m.closes, m.dates, ['CLEAN', 'GAP', 'GAP2']);
    const gap = rowsOf(out, 'GAP');
    // Each missing close removes its own return and the next session's.
    const returnsOk = (series: Float64Array, t: number) => series[t]! > 0 && series[t - 1]! > 0;
    let expected90 = 0;
    for (let t = last - 89; t <= last; t++) if (returnsOk(gappy, t)) expected90++;
    expect(gap.get('Market Beta (90D)')!.observations).toBe(expected90);
    expect(expected90).toBeLessThan(90 - 8);

    // The same regression on a calendar made of the inner-joined return dates alone.
    const keep: number[] = [];
    for (let t = last - 179; t <= last; t++) if (returnsOk(gappy, t)) keep.push(t);
    const joinedCloses = new Map<string, Float64Array>();
    for (const symbol of [...FACTOR_ETFS, 'GAP']) {
      const series = m.closes.get(symbol)!;
      joinedCloses.set(symbol, closesFromReturns(keep.map((t) => series[t]! / series[t - 1]! - 1)));
    }
    const joinedDates = m.dates.slice(0, keep.length + 1);
    const alone = rowsOf(run(joinedCloses, joinedDates, ['GAP']), 'GAP');
    // The joined calendar holds exactly the 180-day observations, so its 180-day window is
    // them all; the 90-day factors get a joined calendar of their own below.
    for (const name of SPREADS) {
      expect(gap.get(name)!.observations).toBe(keep.length);
      expect(gap.get(name)!.beta).toBeCloseTo(alone.get(name)!.beta, 10);
      expect(gap.get(name)!.rSquared).toBeCloseTo(alone.get(name)!.rSquared!, 10);
      expect(gap.get(name)!.stdError).toBeCloseTo(alone.get(name)!.stdError!, 10);
    }
    const keep90 = keep.filter((t) => t > last - 90);
    const joined90 = new Map<string, Float64Array>();
    for (const symbol of [...FACTOR_ETFS, 'GAP']) {
      const series = m.closes.get(symbol)!;
      joined90.set(symbol, closesFromReturns(keep90.map((t) => series[t]! / series[t - 1]! - 1)));
    }
    const alone90 = rowsOf(run(joined90, m.dates.slice(0, keep90.length + 1), ['GAP']), 'GAP');
    for (const name of NINETY_DAY) {
      expect(gap.get(name)!.observations).toBe(keep90.length);
      expect(gap.get(name)!.beta).toBeCloseTo(alone90.get(name)!.beta, 10);
      expect(gap.get(name)!.rSquared).toBeCloseTo(alone90.get(name)!.rSquared!, 10);
    }

    // Grouping is per symbol: the clean symbol is unaffected by its gapped neighbours.
    expect(rowsOf(out, 'CLEAN')).toEqual(rowsOf(run(m.closes, m.dates, ['CLEAN']), 'CLEAN'));
    expect(rowsOf(out, 'GAP')).toEqual(rowsOf(run(m.closes, m.dates, ['GAP']), 'GAP'));
    expect(rowsOf(out, 'GAP2').get('Market Beta (90D)')!.observations).toBe(expected90);
  });

  it('a gap in one factor ETF only shortens the factors that regress on it', () => {
    const m = syntheticMarket();
    const last = m.dates.length - 1;
    m.closes.get('TLT')![last - 10] = NaN;
    m.closes.set('AAA', stockLike(m.market, 1, 0.01, m.noise));
    const rows = rowsOf(run(m.closes, m.dates, ['AAA', 'SPY']), 'AAA');
    expect(rows.get('IR Beta')!.observations).toBe(88);
    expect(rows.get('Market Beta (90D)')!.observations).toBe(90);
    expect(rows.get('Momentum')!.observations).toBe(90);
    expect(rows.get('Size Spread')!.observations).toBe(180);
  });
});

describe('computeSymbolFactors: clamping, errors and provider betas', () => {
  it('clamps betas beyond ±5 and flags them', () => {
    const m = syntheticMarket();
    m.closes.set('UP', stockLike(m.market, 8, 0.002, m.noise));
    m.closes.set('DOWN', stockLike(m.market, -8, 0.002, m.noise));
    const out = run(m.closes, m.dates, ['UP', 'DOWN']);
    const up = rowsOf(out, 'UP').get('Market Beta (90D)')!;
    const down = rowsOf(out, 'DOWN').get('Market Beta (90D)')!;
    expect([up.beta, up.qualityFlag]).toEqual([5, 'clamped']);
    expect([down.beta, down.qualityFlag]).toEqual([-5, 'clamped']);
    // R² and the standard error are those of the fit (SPY is 0.6 × market + noise here).
    expect(up.rSquared).toBeGreaterThan(0.5);
    expect(up.stdError).toBeGreaterThan(0);
  });

  it('a constant regressor is an error with a reason, never a zero beta', () => {
    const m = syntheticMarket();
    m.closes.get('TLT')!.fill(95);
    m.closes.get('USMV')!.fill(80);
    m.closes.set('AAA', stockLike(m.market, 1, 0.01, m.noise));
    const out = run(m.closes, m.dates, ['AAA']);
    const errors = new Map(out.errors.map((e) => [e.factor, e.reason]));
    expect(errors.get('IR Beta')).toMatch(/TLT returns are constant over the 90 observations/);
    for (const name of ['Momentum', 'Value', 'Growth', 'Size', 'Quality', 'Low Volatility']) {
      expect(errors.get(name)).toMatch(/USMV returns are constant/);
    }
    expect(errors.size).toBe(7);
    const rows = rowsOf(out, 'AAA');
    expect([...rows.keys()]).toEqual(['Market Beta (90D)', ...SPREADS]);
  });

  it('a constant target is an error for every factor (R² undefined)', () => {
    const m = syntheticMarket();
    m.closes.set('FLAT', new Float64Array(m.dates.length).fill(10));
    const out = run(m.closes, m.dates, ['FLAT']);
    expect(out.results).toEqual([]);
    expect(out.errors).toHaveLength(12);
    expect(out.errors[0]!.reason).toMatch(/constant .*unchanged price/);
  });

  it('echoes provider betas, clamped, with their window and source checked', () => {
    const m = syntheticMarket();
    m.closes.set('AAA', stockLike(m.market, 1, 0.01, m.noise));
    m.closes.set('BBB', stockLike(m.market, 1, 0.01, m.noise));
    m.closes.set('CCC', stockLike(m.market, 1, 0.01, m.noise));
    const out = run(m.closes, m.dates, ['AAA', 'BBB', 'CCC', 'DDD'], {
      providerBetas: new Map([
        ['AAA', { beta: 1.23, source: 'yahoo' }],
        [
          'BBB',
          { beta: 7.5, source: 'sample:5y-monthly-vs-SPY', observations: 60, windowDays: 1260 },
        ],
        ['CCC', { beta: NaN, source: 'broken' }],
      ]),
    });
    const provider = (symbol: string) =>
      out.results.find((r) => r.symbol === symbol && r.factorName === 'Provider Beta (1Y)');
    expect(provider('AAA')).toEqual({
      symbol: 'AAA',
      factorName: 'Provider Beta (1Y)',
      beta: 1.23,
      rSquared: null,
      stdError: null,
      observations: 0,
      calculationMethod: 'provider',
      regularizationAlpha: null,
      windowDays: 252,
      qualityFlag: 'ok',
    });
    expect(provider('BBB')).toMatchObject({
      beta: 5,
      qualityFlag: 'clamped',
      observations: 60,
      windowDays: 1260,
    });
    expect(provider('CCC')).toBeUndefined();
    expect(out.errors).toEqual([
      {
        symbol: 'CCC',
        factor: 'Provider Beta (1Y)',
        reason: expect.stringMatching(/not a finite number/),
      },
    ]);
    // Display order: the provider row sits between the market beta and the IR beta.
    expect(
      out.results
        .filter((r) => r.symbol === 'AAA')
        .map((r) => r.factorName)
        .slice(0, 3),
    ).toEqual(['Market Beta (90D)', 'Provider Beta (1Y)', 'IR Beta']);
    expect(out.results.filter((r) => r.symbol === 'DDD')).toEqual([]);
  });
});
