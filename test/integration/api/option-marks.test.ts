import { beforeAll, expect, it } from 'vitest';
import { PortfolioRepository } from '../../../src/db/repositories/portfolio-repository.ts';
import { SnapshotRepository } from '../../../src/db/repositories/snapshot-repository.ts';
import { blackScholes } from '../../../src/domain/options/black-scholes.ts';
import { createLogger } from '../../../src/logger.ts';
import { getSampleProvider } from '../../../src/market/create-provider.ts';
import { loadSamplePrices } from '../../../src/market/providers/sample/load-sample-prices.ts';
import { loadTreasuryBillRates } from '../../../src/market/providers/sample/load-treasury-bill-rates.ts';
import { calculatePortfolio } from '../../../src/pipeline/onboarding/calculate-portfolio.ts';
import { SymbolCache } from '../../../src/pipeline/symbol-cache.ts';
import { stock } from '../../helpers/stock-position.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';

/**
 * SPEC §5 on real data: an option's mark depends on the contract and the day, never on the
 * portfolio holding it (volatility from the underlying's own closes before the book's first day,
 * the day's 3-month bill rate), and open or closed is judged at the calculation date.
 */
const DATE = '2026-07-31';
const ENTRY = '2025-01-02';
const CONTRACT = 'AAPL260116C00250000';
const CONTRACTS = 10;

const call = (entryPrice: number) =>
  stock(CONTRACT, CONTRACTS, entryPrice, ENTRY, {
    positionType: 'LC',
    investmentClass: 'OPTIONS',
    investmentSubtype: 'CALL',
    underlyingSymbol: 'AAPL',
    strikePrice: 250,
    expirationDate: '2026-01-16',
    optionType: 'CALL',
  });

/** The textbook mark, computed here from the bundled files, not by the pipeline's code. */
async function expectedMark(date: string, expiry: string, strike: number) {
  const prices = await loadSamplePrices();
  const bills = await loadTreasuryBillRates();
  const i = prices.dates.indexOf(date);
  const aapl = prices.closes.get('AAPL')!;
  const returns = Array.from({ length: 63 }, (_, k) => aapl[i - k]! / aapl[i - k - 1]! - 1);
  const mean = returns.reduce((a, r) => a + r, 0) / 63;
  const volatility = Math.sqrt((returns.reduce((a, r) => a + (r - mean) ** 2, 0) / 62) * 252);
  const rate = bills.ratePercent[bills.dates.indexOf(date)]! / 100;
  const years = (Date.parse(expiry) - Date.parse(date)) / 86_400_000 / 365;
  const spot = aapl[i]!;
  return {
    volatility,
    rate,
    ...blackScholes({ kind: 'CALL', spot, strike, years, rate, volatility }),
  };
}

describeOnEachEngine('option marks', ({ database }) => {
  let t: TestApp;
  let userId: string;
  let youngId: string;
  let oldId: string;
  let entryMark: Awaited<ReturnType<typeof expectedMark>>;

  beforeAll(async () => {
    // "Today" is after the short-dated call below expires; the calculation date is not.
    t = await createTestApp(() => database(), { now: () => new Date('2026-09-01T15:00:00Z') });
    const token = await t.login('options@example.com');
    userId = ((await (await t.request('/api/v1/auth/me', { token })).json()) as { id: string }).id;
    entryMark = await expectedMark(ENTRY, '2026-01-16', 250);
    const portfolios = new PortfolioRepository(database().db);
    // The young book starts with the option: its history window opens on the entry day.
    youngId = (
      await portfolios.createWithPositions({
        userId,
        name: 'Young',
        accountName: 'YOUNG',
        accountType: 'taxable',
        equityBalance: 100_000,
        positions: [
          call(Number(entryMark.price.toFixed(4))),
          // Expires after the calculation date but before "today".
          stock('AAPL260821C00220000', 2, 10, '2026-06-01', {
            positionType: 'LC',
            investmentClass: 'OPTIONS',
            investmentSubtype: 'CALL',
            underlyingSymbol: 'AAPL',
            strikePrice: 220,
            expirationDate: '2026-08-21',
            optionType: 'CALL',
          }),
        ],
      })
    ).id;
    // The old book held SPY for years before the same contract.
    oldId = (
      await portfolios.createWithPositions({
        userId,
        name: 'Old',
        accountName: 'OLD',
        accountType: 'taxable',
        equityBalance: 1_000_000,
        positions: [
          stock('SPY', 100, 400, '2023-01-03', { investmentSubtype: 'ETF' }),
          call(Number(entryMark.price.toFixed(4))),
        ],
      })
    ).id;
    const ctx = {
      db: database().db,
      provider: await getSampleProvider(),
      cache: new SymbolCache(),
      logger: createLogger('silent'),
    };
    for (const id of [youngId, oldId]) {
      const result = await calculatePortfolio(ctx, id, { date: DATE, triggeredBy: 'test' });
      expect(result.error).toBeUndefined();
    }
  });

  it("prices a contract on its book's first day with the underlying's own 63-day volatility and that day's bill rate", async () => {
    // AAPL's realized volatility on 2025-01-02 (SPEC §5), not the 0.25 default.
    expect(entryMark.volatility).toBeCloseTo(0.177, 3);
    expect(entryMark.rate).toBeCloseTo(0.0421, 4);
    const [day] = await new SnapshotRepository(database().db).history(youngId, ENTRY, ENTRY);
    // Bought at the model price: the entry day's P&L is the rounding of the entry price only.
    expect(Math.abs(day!.dailyPnl)).toBeLessThan(0.5 * CONTRACTS);
    expect(day!.longValue).toBeCloseTo(entryMark.price * 100 * CONTRACTS, 2);
    expect(day!.dataIssues).toEqual([]);
  });

  it('marks the same contract identically every day in two portfolios of different ages', async () => {
    const snapshots = new SnapshotRepository(database().db);
    const young = await snapshots.history(youngId, ENTRY, '2026-01-16');
    const old = await snapshots.history(oldId, ENTRY, '2026-01-16');
    const prices = await loadSamplePrices();
    const spy = prices.closes.get('SPY')!;
    expect(young.length).toBeGreaterThan(250);
    expect(young.map((d) => d.snapshotDate)).toEqual(old.map((d) => d.snapshotDate));
    let worst = 0;
    for (let k = 0; k < young.length; k++) {
      const date = young[k]!.snapshotDate;
      // The young book holds the long call and, from June 2026, another; before then its long
      // value is this contract. The old book's is SPY plus the contract.
      const spyValue = 100 * spy[prices.dates.indexOf(date)]!;
      const gap = Math.abs(young[k]!.longValue - (old[k]!.longValue - spyValue));
      worst = Math.max(worst, gap);
    }
    expect(worst).toBeLessThan(0.01);
  });

  it('judges open and closed at the calculation date: a call expiring before today keeps its Greeks', async () => {
    const res = await t.request(`/api/v1/data/positions/details?portfolio_id=${youngId}`, {
      token: await t.login('options@example.com'),
    });
    const body = (await res.json()) as {
      as_of: string;
      positions: {
        symbol: string;
        is_open: boolean;
        market_value: number | null;
        greeks: {
          delta: number;
          gamma: number;
          theta: number;
          vega: number;
          risk_free_rate: number;
        } | null;
      }[];
      summary: { total_market_value: number; closed_positions_hidden: number };
    };
    expect(body.as_of).toBe(DATE);
    // The January contract expired before the calculation date: hidden. The August one is open.
    expect(body.summary.closed_positions_hidden).toBe(1);
    expect(body.positions.map((p) => [p.symbol, p.is_open])).toEqual([
      ['AAPL260821C00220000', true],
    ]);
    const august = body.positions[0]!;
    expect(august.greeks).not.toBeNull();
    expect(august.greeks!.risk_free_rate).toBeGreaterThan(0.03);
    expect(body.summary.total_market_value).toBeCloseTo(august.market_value!, 2);
    const [snapshot] = await new SnapshotRepository(database().db).history(youngId, DATE, DATE);
    expect(august.greeks!.delta).toBeCloseTo(snapshot!.portfolioDelta!, 6);
    expect(august.greeks!.gamma).toBeCloseTo(snapshot!.portfolioGamma!, 6);
    expect(august.greeks!.theta).toBeCloseTo(snapshot!.portfolioTheta!, 6);
    expect(august.greeks!.vega).toBeCloseTo(snapshot!.portfolioVega!, 6);
    expect(body.summary.total_market_value).toBeCloseTo(snapshot!.longValue, 2);
  });
});
