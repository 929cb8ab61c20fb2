import { describe, expect, it } from 'vitest';
import { computePortfolioHistory } from '../../../../src/domain/pnl/compute-portfolio-history.ts';
import type { PnlPosition } from '../../../../src/domain/pnl/types.ts';

/**
 * Golden scenarios. Every expected number below was worked out by hand from SPEC §4 (shown in
 * the comments), not by running the code.
 */
const sessions = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'];

function position(
  p: Partial<PnlPosition> & Pick<PnlPosition, 'id' | 'quantity' | 'entryPrice'>,
): PnlPosition {
  return {
    symbol: p.id,
    investmentClass: 'PUBLIC',
    multiplier: 1,
    entryDate: '2024-01-03',
    exitDate: null,
    exitPrice: null,
    ...p,
  };
}

function run(
  positions: PnlPosition[],
  closes: Record<string, (number | null)[]>,
  opts: { nav?: number; anchor?: string; flows?: { date: string; amount: number }[] } = {},
) {
  return computePortfolioHistory({
    sessions,
    positions,
    flows: opts.flows ?? [],
    anchor: { date: opts.anchor ?? '2024-01-08', nav: opts.nav ?? 10_000 },
    priceOf: (i, s) => closes[positions[i]!.id]![s] ?? NaN,
    detailDates: new Set(sessions),
  });
}

const aaplCloses = [9.5, 10.5, 11, 10.8, 11.2];

describe('P&L golden scenarios', () => {
  it('long only: P&L from the entry price, equity back-cast from the anchor NAV', () => {
    const s = run([position({ id: 'AAPL', quantity: 100, entryPrice: 10 })], { AAPL: aaplCloses });
    // (10.5−10)·100 = 50, (11−10.5)·100 = 50, (10.8−11)·100 = −20, (11.2−10.8)·100 = 40
    expect(s.map((d) => d.dailyPnl)).toEqual([50, 50, -20, 40].map((x) => expect.closeTo(x, 9)));
    // NAV: 01-08 = 10,000; back-cast 9,960; 9,980; 9,930; base 9,880
    expect(s.map((d) => d.netAssetValue)).toEqual(
      [9930, 9980, 9960, 10000].map((x) => expect.closeTo(x, 9)),
    );
    expect(s[0]!.previousNav).toBeCloseTo(9880, 9);
    expect(s[0]!.dailyReturn).toBeCloseTo(50 / 9880, 12);
    expect(s.at(-1)!.cumulativePnl).toBeCloseTo(120, 9);
    // cash = NAV − net exposure = 10,000 − 1,120
    expect(s.at(-1)!).toMatchObject({
      longValue: expect.closeTo(1120, 9),
      shortValue: 0,
      cashValue: expect.closeTo(8880, 9),
    });
    expect(s.at(-1)!.numLongPositions).toBe(1);
  });

  it('short stock: gains when the price falls, negative short value, cash above NAV', () => {
    const s = run([position({ id: 'XYZ', quantity: -50, entryPrice: 20 })], {
      XYZ: [20, 19, 21, 18, 18],
    });
    // (19−20)·(−50) = +50, (21−19)·(−50) = −100, (18−21)·(−50) = +150, 0
    expect(s.map((d) => d.dailyPnl)).toEqual([50, -100, 150, 0].map((x) => expect.closeTo(x, 9)));
    const last = s.at(-1)!;
    expect(last.shortValue).toBeCloseTo(-900, 9);
    expect(last.grossExposure).toBeCloseTo(900, 9);
    expect(last.netExposure).toBeCloseTo(-900, 9);
    expect(last.cashValue).toBeCloseTo(10_900, 9);
    expect(last.numShortPositions).toBe(1);
  });

  it('a position exited mid-history: exit-day P&L at the exit price, then nothing; realized not double-counted', () => {
    const s = run(
      [
        position({
          id: 'ABC',
          quantity: 10,
          entryPrice: 50,
          exitDate: '2024-01-05',
          exitPrice: 55,
        }),
      ],
      {
        ABC: [49, 51, 53, 56, 60],
      },
    );
    // 01-03: (51−50)·10 = 10; 01-04: (53−51)·10 = 20; 01-05 exit: (55−53)·10 = 20; 01-08: 0
    expect(s.map((d) => d.dailyPnl)).toEqual([10, 20, 20, 0].map((x) => expect.closeTo(x, 9)));
    // Realized (55−50)·10 = 50 is reported on the exit day and equals the P&L already booked.
    expect(s.map((d) => d.dailyRealizedPnl)).toEqual(
      [0, 0, 50, 0].map((x) => expect.closeTo(x, 9)),
    );
    expect(s.at(-1)!.cumulativePnl).toBeCloseTo(50, 9);
    expect(s[2]!.longValue).toBe(0);
    expect(s.at(-1)!.numPositions).toBe(0);
    // Equity moves only by P&L: 10,000 on the anchor, 10,000 the day before (no P&L on 01-08).
    expect(s[2]!.netAssetValue).toBeCloseTo(10_000, 9);
  });

  it('contributions and withdrawals move equity but not returns; a weekend flow lands on the next session', () => {
    const s = run(
      [position({ id: 'AAPL', quantity: 100, entryPrice: 10 })],
      { AAPL: aaplCloses },
      {
        flows: [
          { date: '2024-01-04', amount: 1000 },
          { date: '2024-01-06', amount: -500 },
        ],
      },
    );
    // E(01-08) = 10,000; E(01-05) = 10,000 − 40 + 500 = 10,460; E(01-04) = 10,460 + 20 = 10,480;
    // E(01-03) = 10,480 − 50 − 1,000 = 9,430; base = 9,430 − 50 = 9,380
    expect(s.map((d) => d.netAssetValue)).toEqual(
      [9430, 10480, 10460, 10000].map((x) => expect.closeTo(x, 9)),
    );
    expect(s.map((d) => d.dailyCapitalFlow)).toEqual([0, 1000, 0, -500]);
    expect(s[1]!.dailyReturn).toBeCloseTo(50 / 9430, 12);
    expect(s[3]!.dailyReturn).toBeCloseTo(40 / 10460, 12);
  });

  it('a private asset is held at its entry price with no market P&L', () => {
    const s = run(
      [
        position({ id: 'AAPL', quantity: 100, entryPrice: 10 }),
        position({ id: 'FO_ART', investmentClass: 'PRIVATE', quantity: 1, entryPrice: 5_000 }),
      ],
      { AAPL: aaplCloses, FO_ART: [null, null, null, null, null] },
    );
    expect(s.map((d) => d.dailyPnl)).toEqual([50, 50, -20, 40].map((x) => expect.closeTo(x, 9)));
    expect(s.at(-1)!.longValue).toBeCloseTo(6120, 9);
    expect(s.at(-1)!.numPrivatePositions).toBe(1);
    expect(s.at(-1)!.dataIssues).toEqual([]);
  });

  it('a missing price is carried at the last close, reported, and the P&L caught up when it returns', () => {
    const s = run([position({ id: 'AAPL', quantity: 100, entryPrice: 10 })], {
      AAPL: [9.5, 10.5, null, null, 11.2],
    });
    // 01-04, 01-05 carried at 10.5 → 0 P&L; 01-08: (11.2 − 10.5)·100 = 70. Total still 120.
    expect(s.map((d) => d.dailyPnl)).toEqual([50, 0, 0, 70].map((x) => expect.closeTo(x, 9)));
    expect(s[1]!.dataIssues).toEqual([
      expect.objectContaining({
        symbol: 'AAPL',
        kind: 'stale_price',
        lastPriceDate: '2024-01-03',
        sessionsStale: 1,
      }),
    ]);
    expect(s[2]!.dataIssues[0]!.sessionsStale).toBe(2);
    expect(s[3]!.dataIssues).toEqual([]);
    expect(s.every((d) => d.isComplete)).toBe(true);
    expect(s.at(-1)!.cumulativePnl).toBeCloseTo(120, 9);
  });

  it('long call and short put through expiry: settle at intrinsic value and leave the book', () => {
    const positions = [
      position({
        id: 'LC',
        investmentClass: 'OPTIONS',
        quantity: 2,
        multiplier: 100,
        entryPrice: 3,
        expirationDate: '2024-01-05',
      }),
      position({
        id: 'SP',
        investmentClass: 'OPTIONS',
        quantity: -1,
        multiplier: 100,
        entryPrice: 2,
        expirationDate: '2024-01-05',
      }),
    ];
    // Prices per share; the expiry-session value is intrinsic (call 6, put 0).
    const s = run(positions, { LC: [3, 3.5, 4, 6, 99], SP: [2, 1.5, 1, 0, 99] });
    // LC: (3.5−3)·200 = 100, (4−3.5)·200 = 100, (6−4)·200 = 400. SP: (1.5−2)·(−100) = 50, 50, (0−1)·(−100) = 100.
    expect(s.map((d) => d.dailyPnl)).toEqual([150, 150, 500, 0].map((x) => expect.closeTo(x, 9)));
    // Realized at expiry: LC (6−3)·200 = 600; SP (0−2)·(−100) = 200.
    expect(s[2]!.dailyRealizedPnl).toBeCloseTo(800, 9);
    expect(s[1]!.numOptionPositions).toBe(2);
    expect(s[3]!.numOptionPositions).toBe(0);
    expect(s[1]!.longValue).toBeCloseTo(800, 9);
    expect(s[1]!.shortValue).toBeCloseTo(-100, 9);
  });

  it('an option expiring after the last session stays on the book', () => {
    const positions = [
      position({
        id: 'LC',
        investmentClass: 'OPTIONS',
        quantity: 1,
        multiplier: 100,
        entryPrice: 3,
        expirationDate: '2027-01-15',
      }),
    ];
    const s = run(positions, { LC: [3, 3.5, 4, 4.5, 5] });
    // (3.5−3)·100, (4−3.5)·100, (4.5−4)·100, (5−4.5)·100: 50 each, never settled.
    expect(s.map((d) => d.dailyPnl)).toEqual([50, 50, 50, 50].map((x) => expect.closeTo(x, 9)));
    expect(s.at(-1)!.numOptionPositions).toBe(1);
    expect(s.at(-1)!.longValue).toBeCloseTo(500, 9);
  });

  it('a position bought before the history floor starts from the base-day close, not NaN', () => {
    // Held since 2019 (before the window): day 1 P&L = (10.5 − 9.5)·100 = 100, then
    // (11 − 10.5)·100 = 50, (10.8 − 11)·100 = −20, (11.2 − 10.8)·100 = 40; cumulative 170.
    const s = run(
      [position({ id: 'AAPL', quantity: 100, entryPrice: 5, entryDate: '2019-03-15' })],
      { AAPL: aaplCloses },
    );
    expect(s.map((d) => d.dailyPnl)).toEqual([100, 50, -20, 40].map((x) => expect.closeTo(x, 9)));
    expect(s.at(-1)!.cumulativePnl).toBeCloseTo(170, 9);
    expect(s.every((d) => Number.isFinite(d.netAssetValue))).toBe(true);
    // Without a base-day close it is carried from the entry price: (10.5 − 5)·100 = 550 on day 1.
    const unpriced = run(
      [position({ id: 'AAPL', quantity: 100, entryPrice: 5, entryDate: '2019-03-15' })],
      { AAPL: [null, 10.5, 11, 10.8, 11.2] },
    );
    expect(unpriced[0]!.dailyPnl).toBeCloseTo(550, 9);
  });
});
