import { describe, expect, it } from 'vitest';
import { tradingSessionsBetween } from '../../../../src/domain/calendar/index.ts';
import { monthlyBetaVsBenchmark } from '../../../../src/domain/factors/provider-beta.ts';
import { gaussian } from './synthetic-prices.ts';

/** Index of the last session of each calendar month in `dates`. */
function monthEnds(dates: readonly string[]): number[] {
  const ends: number[] = [];
  dates.forEach((date, i) => {
    if (i + 1 === dates.length || dates[i + 1]!.slice(0, 7) !== date.slice(0, 7)) ends.push(i);
  });
  return ends;
}

/**
 * A benchmark random walk, and a symbol whose month-end closes are built so that every monthly
 * return is exactly alpha + beta × the benchmark's; its closes between month-ends are noise that
 * must not matter.
 */
function constructed(beta: number, alpha = 0.002, from = '2018-01-02', to = '2026-07-31') {
  const dates = tradingSessionsBetween(from, to);
  const noise = gaussian(11);
  const benchmark = new Float64Array(dates.length);
  benchmark[0] = 100;
  for (let t = 1; t < dates.length; t++) benchmark[t] = benchmark[t - 1]! * (1 + 0.01 * noise());
  const symbol = new Float64Array(dates.length);
  for (let t = 0; t < dates.length; t++) symbol[t] = 50 * (1 + 0.05 * noise());
  const ends = monthEnds(dates);
  let level = 50;
  symbol[ends[0]!] = level;
  for (let k = 1; k < ends.length; k++) {
    const market = benchmark[ends[k]!]! / benchmark[ends[k - 1]!]! - 1;
    level *= 1 + alpha + beta * market;
    symbol[ends[k]!] = level;
  }
  return { dates, benchmark, symbol, ends };
}

describe('monthlyBetaVsBenchmark', () => {
  it('recovers the beta of month-end-to-month-end returns over the last 60 months', () => {
    for (const beta of [1.5, -0.4, 0.9]) {
      const { dates, benchmark, symbol } = constructed(beta);
      const result = monthlyBetaVsBenchmark(dates, symbol, benchmark, '2026-07-31');
      expect(result!.observations).toBe(60);
      expect(result!.beta).toBeCloseTo(beta, 10);
    }
  });

  it('counts only complete months: mid-month asOf ends with the previous month', () => {
    const { dates, benchmark, ends } = constructed(1);
    // A symbol equal to the benchmark except for a wild move inside July 2026: July is not
    // complete on 2026-07-15, so it must not change the result.
    const noisy = Float64Array.from(benchmark);
    const julyStart = dates.indexOf('2026-07-01');
    for (let t = julyStart; t < dates.length; t++) noisy[t] = benchmark[t]! * (t % 2 ? 1.5 : 0.7);
    const mid = monthlyBetaVsBenchmark(dates, noisy, benchmark, '2026-07-15')!;
    expect(mid).toEqual({ beta: expect.closeTo(1, 12), observations: 60 });
    const june = monthlyBetaVsBenchmark(dates, noisy, benchmark, '2026-06-30')!;
    expect(june.beta).toBe(mid.beta);
    // On July's last session July is complete and its month-end counts.
    expect(dates[ends.at(-1)!]).toBe('2026-07-31');
    const july = monthlyBetaVsBenchmark(dates, noisy, benchmark, '2026-07-31')!;
    expect(july.beta).not.toBeCloseTo(1, 3);
  });

  it('falls back to the last session with both closes when a month-end close is missing', () => {
    const { dates, benchmark, symbol, ends } = constructed(1.2);
    const gapped = Float64Array.from(symbol);
    const end = ends.at(-5)!;
    gapped[end] = NaN;
    // The month's "month-end" becomes the session before; the constructed relation no longer
    // holds for the two returns touching it, so the beta moves but still uses 60 months.
    const result = monthlyBetaVsBenchmark(dates, gapped, benchmark, '2026-07-31')!;
    expect(result.observations).toBe(60);
    expect(result.beta).not.toBe(1.2);
  });

  it('drops the two returns around a month with no close at all', () => {
    const { dates, benchmark, symbol, ends } = constructed(0.7);
    const gapped = Float64Array.from(symbol);
    const k = ends.length - 10;
    gapped.fill(NaN, ends[k - 1]! + 1, ends[k]! + 1);
    const result = monthlyBetaVsBenchmark(dates, gapped, benchmark, '2026-07-31')!;
    expect(result.observations).toBe(58);
    expect(result.beta).toBeCloseTo(0.7, 10);
  });

  it('returns null with fewer than 24 monthly returns, or a constant benchmark', () => {
    // Month-ends July 2024 … July 2026: 25 of them, 24 returns — just enough.
    const enough = constructed(1, 0.002, '2024-07-01', '2026-07-31');
    expect(
      monthlyBetaVsBenchmark(enough.dates, enough.symbol, enough.benchmark, '2026-07-31'),
    ).toEqual({ beta: expect.closeTo(1, 10), observations: 24 });
    const short = constructed(1, 0.002, '2024-08-01', '2026-07-31');
    expect(
      monthlyBetaVsBenchmark(short.dates, short.symbol, short.benchmark, '2026-07-31'),
    ).toBeNull();
    const { dates, symbol } = constructed(1);
    expect(
      monthlyBetaVsBenchmark(dates, symbol, new Float64Array(dates.length).fill(3), '2026-07-31'),
    ).toBeNull();
  });

  it('honours `years`', () => {
    const { dates, benchmark, symbol } = constructed(1.1);
    expect(monthlyBetaVsBenchmark(dates, symbol, benchmark, '2026-07-31', 3)!.observations).toBe(
      36,
    );
  });
});
