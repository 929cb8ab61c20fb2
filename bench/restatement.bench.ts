import { PortfolioRepository } from '../src/db/repositories/portfolio-repository.ts';
import { PositionRepository } from '../src/db/repositories/position-repository.ts';
import { UserRepository } from '../src/db/repositories/user-repository.ts';
import { createLogger } from '../src/logger.ts';
import { getSampleProvider } from '../src/market/create-provider.ts';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { calculatePortfolio } from '../src/pipeline/onboarding/calculate-portfolio.ts';
import { SymbolCache } from '../src/pipeline/symbol-cache.ts';
import { closeLot, updateLot } from '../src/services/positions/manage-lots.ts';
import { openBenchDatabase, round } from './bench-helpers.ts';

const ANCHOR = '2026-07-24';
const TARGET = '2026-07-31';
const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * What a change to a 30-lot book costs (issue: history stays right, restated from the earliest
 * affected day). The book is onboarded on ANCHOR and rolled to TARGET, like a book a week old.
 * Three measurements, each the median of RUNS calculations, embedded database:
 * - a change after the anchor (a sale three sessions ago): fast run, restating 4 days;
 * - a back-dated correction (an entry price two years ago): fast run, restating every day;
 * - the full recompute of the same book, for comparison.
 */
export async function benchRestatement() {
  const { database, cleanup } = await openBenchDatabase();
  try {
    const db = database.db;
    const ctx = {
      db,
      provider: await getSampleProvider(),
      cache: new SymbolCache(),
      logger: createLogger('silent'),
    };
    const user = await new UserRepository(db).create({
      email: 'bench@example.com',
      passwordHash: 'x',
      fullName: null,
    });
    const stocks = gunzipSync(readFileSync('data/market/symbols.csv.gz'))
      .toString('utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.split(','))
      .filter((cells) => cells[2] === 'stock')
      .map((cells) => cells[0]!)
      .slice(0, 30);
    const positions = stocks.map((symbol, i) => ({
      symbol,
      positionType: 'LONG' as const,
      quantity: 100 + i,
      entryPrice: 100,
      // Spread over the two years before the anchor.
      entryDate: new Date(Date.UTC(2024, 6, 1 + i * 24)).toISOString().slice(0, 10),
      exitDate: null,
      exitPrice: null,
      investmentClass: 'PUBLIC' as const,
      investmentSubtype: 'STOCK',
      underlyingSymbol: null,
      strikePrice: null,
      expirationDate: null,
      optionType: null,
    }));
    const created = await new PortfolioRepository(db).createWithPositions({
      userId: user.id,
      name: 'Bench',
      accountName: 'BENCH',
      accountType: 'taxable',
      equityBalance: '5000000',
      positions,
    });
    await calculatePortfolio(ctx, created.id, { date: ANCHOR, triggeredBy: 'bench' });
    await calculatePortfolio(ctx, created.id, { date: TARGET, triggeredBy: 'bench' });
    const portfolio = (await new PortfolioRepository(db).get(created.id))!;
    const lots = () => new PositionRepository(db).listPositions(portfolio.id);
    const timed = async (mode: 'fast' | 'full') => {
      const t0 = performance.now();
      const result = await calculatePortfolio(ctx, portfolio.id, {
        date: TARGET,
        mode,
        triggeredBy: 'bench',
      });
      return { ms: performance.now() - t0, written: result.refresh?.snapshotsWritten ?? null };
    };

    // Warm the symbol cache and the JIT, so the first measured kind is not the slow one.
    for (let i = 0; i < 2; i++) await timed('full');
    const afterAnchor: number[] = [];
    let afterDays = 0;
    let afterWritten: number | null = null;
    for (let i = 0; i < RUNS; i++) {
      const open = (await lots()).find((p) => p.exitDate === null)!;
      const change = await closeLot(db, {
        actor: { userId: user.id },
        portfolio,
        position: open,
        exitDate: '2026-07-28',
        exitPrice: '101',
        quantity: '1',
        today: TARGET,
      });
      if (!change.ok) throw new Error('sale refused');
      afterDays = change.value.restated.days;
      const run = await timed('fast');
      afterAnchor.push(run.ms);
      afterWritten = run.written;
    }
    const backDated: number[] = [];
    let backDays = 0;
    let backWritten: number | null = null;
    for (let i = 0; i < RUNS; i++) {
      const first = (await lots())[0]!;
      const change = await updateLot(db, {
        actor: { userId: user.id },
        portfolio,
        position: first,
        patch: { entry_price: String(100 + (i % 2) + 0.5) },
        today: TARGET,
      });
      if (!change.ok) throw new Error('correction refused');
      backDays = change.value.restated.days;
      const run = await timed('fast');
      backDated.push(run.ms);
      backWritten = run.written;
    }
    const full: number[] = [];
    for (let i = 0; i < RUNS; i++) full.push((await timed('full')).ms);
    return {
      book: { lots: positions.length, history_days: backDays, anchor: ANCHOR, target: TARGET },
      sale_after_anchor: {
        days_marked: afterDays,
        snapshots_written: afterWritten,
        median_ms: round(median(afterAnchor), 0),
      },
      back_dated_correction: {
        days_marked: backDays,
        snapshots_written: backWritten,
        median_ms: round(median(backDated), 0),
      },
      full_recompute: { median_ms: round(median(full), 0) },
      runs: RUNS,
    };
  } finally {
    await cleanup();
  }
}
