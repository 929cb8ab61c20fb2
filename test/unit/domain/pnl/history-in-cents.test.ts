import { describe, expect, it } from 'vitest';
import { tradingSessionsBetween } from '../../../../src/domain/calendar/index.ts';
import { computePortfolioHistory } from '../../../../src/domain/pnl/compute-portfolio-history.ts';

/**
 * The stored money columns hold cents. Rounding each day's P&L and NAV on its own let them drift
 * apart: over a month, Σ daily P&L + flows missed the NAV change by a cent or more. Each day's NAV
 * is now rounded once and the day's P&L is the change in those NAVs less the flow, so the books
 * reconcile to the cent on every day and over any span.
 */
const sessions = tradingSessionsBetween('2025-09-02', '2025-12-31');
const toCents = (amount: number) => Math.round(amount * 100);

describe('portfolio history in cents', () => {
  it('reconciles Σ daily P&L + flows with the NAV change on every day, both sides of the anchor', () => {
    // Closes to a tenth of a cent and odd quantities: most days' P&L has a fraction of a cent.
    const closeOf = (i: number, s: number) =>
      40 + i * 17.3 + ((s * 7919 + i * 104729) % 1000) / 333;
    const history = computePortfolioHistory({
      sessions,
      positions: [7, -13, 29].map((quantity, i) => ({
        id: `P${i}`,
        symbol: `P${i}`,
        investmentClass: 'PUBLIC' as const,
        quantity,
        multiplier: 1,
        entryDate: sessions[1 + i * 5]!,
        entryPrice: closeOf(i, 1 + i * 5) + 0.0007,
        exitDate: null,
        exitPrice: null,
      })),
      flows: [
        { date: sessions[30]!, amount: 25_000 },
        { date: sessions[60]!, amount: -10_000.55 },
      ],
      anchor: { date: sessions[40]!, nav: 250_000 },
      priceOf: (i, s) => closeOf(i, s),
    });
    expect(history).toHaveLength(sessions.length - 1);
    const fractional = history.filter((d) =>
      [d.dailyPnl, d.netAssetValue, d.previousNav, d.dailyCapitalFlow, d.cumulativePnl].some(
        (x) => Math.abs(x * 100 - toCents(x)) > 1e-6,
      ),
    );
    expect(fractional).toEqual([]);
    const unbalanced = history.filter(
      (d) =>
        toCents(d.netAssetValue) - toCents(d.previousNav) !==
        toCents(d.dailyPnl) + toCents(d.dailyCapitalFlow),
    );
    expect(unbalanced).toEqual([]);
    const pnl = history.reduce((sum, d) => sum + toCents(d.dailyPnl), 0);
    const flows = history.reduce((sum, d) => sum + toCents(d.dailyCapitalFlow), 0);
    expect(flows).toBe(1_499_945);
    expect(pnl + flows).toBe(
      toCents(history.at(-1)!.netAssetValue) - toCents(history[0]!.previousNav),
    );
    expect(toCents(history.at(-1)!.cumulativePnl)).toBe(pnl);
    expect(history.find((d) => d.date === sessions[40])!.netAssetValue).toBe(250_000);
  });
});
