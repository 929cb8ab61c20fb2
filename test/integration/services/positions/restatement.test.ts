import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { queryRows, type Db } from '../../../../src/db/database.ts';
import {
  PortfolioRepository,
  type PortfolioRow,
} from '../../../../src/db/repositories/portfolio-repository.ts';
import {
  PositionRepository,
  type NewPosition,
  type PositionRow,
} from '../../../../src/db/repositories/position-repository.ts';
import { UserRepository } from '../../../../src/db/repositories/user-repository.ts';
import { createLogger } from '../../../../src/logger.ts';
import { getSampleProvider } from '../../../../src/market/create-provider.ts';
import { calculatePortfolio } from '../../../../src/pipeline/onboarding/calculate-portfolio.ts';
import { SymbolCache } from '../../../../src/pipeline/symbol-cache.ts';
import {
  addLots,
  closeLot,
  deleteLot,
  updateLot,
} from '../../../../src/services/positions/manage-lots.ts';
import { stock } from '../../../helpers/stock-position.ts';
import { describeOnEachEngine } from '../../../helpers/test-database.ts';
import { STRESS_SCENARIOS } from '../../../../src/domain/stress/scenarios.ts';

/**
 * History stays right: a book changed in place and recalculated equals, to the cent, a fresh
 * onboarding of the changed book — every snapshot day, every factor exposure, every stress
 * result — on both engines.
 */
const D = '2026-07-31';
const TODAY = '2026-08-03';

const BOOK: NewPosition[] = [
  stock('AAPL', 300, 190, '2026-01-05'),
  stock('MSFT', 80, 420, '2026-02-02'),
  stock('XOM', -150, 110, '2026-03-02'),
  stock('AAPL270115C00250000', 4, 20, '2026-04-01', {
    positionType: 'LC',
    investmentClass: 'OPTIONS',
    investmentSubtype: 'CALL',
    underlyingSymbol: 'AAPL',
    strikePrice: 250,
    expirationDate: '2027-01-15',
    optionType: 'CALL',
  }),
  stock('JNJ', 120, 150, '2026-05-01', { exitDate: '2026-06-15', exitPrice: 158 }),
];

/** A lot as a fresh upload would state it (ids and audit columns left out). */
const asNew = (p: PositionRow): NewPosition => ({
  symbol: p.symbol,
  positionType: p.positionType,
  quantity: p.quantity,
  entryPrice: p.entryPrice,
  entryDate: p.entryDate,
  exitDate: p.exitDate,
  exitPrice: p.exitPrice,
  investmentClass: p.investmentClass,
  investmentSubtype: p.investmentSubtype,
  underlyingSymbol: p.underlyingSymbol,
  strikePrice: p.strikePrice,
  expirationDate: p.expirationDate,
  optionType: p.optionType,
});

const lotKey = (p: {
  symbol: string;
  entryDate: string;
  exitDate: string | null;
  quantity: number;
}) => `${p.symbol}|${p.entryDate}|${p.exitDate ?? 'open'}|${p.quantity}`;

/** Every stored analytics row of a book, position ids replaced by the lot they name. */
/**
 * Money columns are numeric (compared exactly, to the cent); ratios and betas are doubles,
 * whose last bit depends on the order lots are summed in (two halves of a split lot share a
 * symbol and a date, so their order is by id): compared to 12 significant digits.
 */
const toTwelveDigits = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v,
    ),
  );

async function analyticsOf(db: Db, portfolioId: string) {
  const positions = await new PositionRepository(db).listPositions(portfolioId);
  const keyOf = new Map(positions.map((p) => [p.id, lotKey(p)]));
  const unId = (value: unknown) =>
    JSON.parse(
      JSON.stringify(value).replace(
        /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
        (id) => keyOf.get(id) ?? id,
      ),
    ) as unknown;
  const snapshots = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT * FROM portfolio_snapshots WHERE portfolio_id = ${portfolioId} ORDER BY snapshot_date`,
  );
  const factors = await queryRows(
    db,
    sql`SELECT factor_id, calculation_date, exposure_value, exposure_dollar FROM factor_exposures
        WHERE portfolio_id = ${portfolioId} ORDER BY calculation_date, factor_id`,
  );
  const positionFactors = await queryRows<{ position_id: string }>(
    db,
    sql`SELECT position_id, factor_id, calculation_date, exposure_value, exposure_dollar
        FROM position_factor_exposures
        WHERE position_id = ANY(${sql.param(positions.map((p) => p.id))}::uuid[])`,
  );
  const stress = await queryRows(
    db,
    sql`SELECT scenario_id, calculation_date, portfolio_value, direct_pnl, correlated_pnl,
          correlation_effect, factor_impacts, position_impacts
        FROM stress_test_results WHERE portfolio_id = ${portfolioId}
        ORDER BY calculation_date, scenario_id`,
  );
  const valuations = positions
    .map((p) => ({ key: lotKey(p), lastPrice: p.lastPrice, marketValue: p.marketValue }))
    .sort((a, b) => a.key.localeCompare(b.key));
  return {
    snapshots: snapshots.map(
      ({ id: _id, portfolio_id: _p, created_at: _c, updated_at: _u, ...rest }) => unId(rest),
    ),
    factors,
    // Rows in the lot's order, not the table's: Postgres returns rows an update moved later.
    positionFactors: (
      unId(positionFactors) as {
        position_id: string;
        factor_id: number;
        calculation_date: string;
      }[]
    ).sort(
      (a, b) =>
        a.position_id.localeCompare(b.position_id) ||
        a.calculation_date.localeCompare(b.calculation_date) ||
        a.factor_id - b.factor_id,
    ),
    stress: unId(stress),
    valuations,
  };
}

describeOnEachEngine('restating history after a change to the book', ({ database }) => {
  const ctx = async () => ({
    db: database().db,
    provider: await getSampleProvider(),
    cache: new SymbolCache(),
    logger: createLogger('silent'),
  });
  let userId: string;
  let book: PortfolioRow;
  let fresh = 0;

  const portfolioOf = async (id: string) => (await new PortfolioRepository(database().db).get(id))!;
  const lotsOf = (id: string) => new PositionRepository(database().db).listPositions(id);
  const calculate = async (id: string, date = D) => {
    const result = await calculatePortfolio(await ctx(), id, { date, triggeredBy: 'test' });
    expect(result.status).toBe('completed');
  };

  /** A new portfolio holding exactly `lots`, onboarded on `dates` in turn. */
  async function freshOnboarding(lots: PositionRow[], dates = [D]) {
    fresh += 1;
    const created = await new PortfolioRepository(database().db).createWithPositions({
      userId,
      name: `Fresh ${fresh}`,
      accountName: `FRESH-${fresh}`,
      accountType: 'taxable',
      equityBalance: '1000000',
      positions: lots.map(asNew),
    });
    for (const date of dates) await calculate(created.id, date);
    return created.id;
  }

  async function expectSameAsFresh(dates = [D]) {
    const edited = await analyticsOf(database().db, book.id);
    const freshId = await freshOnboarding(await lotsOf(book.id), dates);
    const expected = await analyticsOf(database().db, freshId);
    expect(edited.snapshots.length).toBeGreaterThan(100);
    expect(edited.factors).toHaveLength(13);
    expect((edited.stress as unknown[]).length).toBeGreaterThanOrEqual(STRESS_SCENARIOS.length);
    expect(toTwelveDigits(edited)).toEqual(toTwelveDigits(expected));
  }

  beforeAll(async () => {
    const user = await new UserRepository(database().db).create({
      email: 'restate@example.com',
      passwordHash: 'x',
      fullName: 'Restate',
    });
    userId = user.id;
    book = await new PortfolioRepository(database().db).createWithPositions({
      userId,
      name: 'Edited in place',
      accountName: 'EDITED-1',
      accountType: 'taxable',
      equityBalance: '1000000',
      positions: BOOK,
    });
    await calculate(book.id);
    book = await portfolioOf(book.id);
    expect(book.anchorDate).toBe(D);
  });

  const actor = () => ({ userId });
  const lot = async (symbol: string) =>
    (await lotsOf(book.id)).find((p) => p.symbol === symbol && p.exitDate === null)!;

  it('a corrected entry price', async () => {
    const change = await updateLot(database().db, {
      actor: actor(),
      portfolio: book,
      position: await lot('MSFT'),
      patch: { entry_price: '405.25' },
      today: TODAY,
    });
    // Before the anchor: the NAV of every earlier day moves, so every stored day is restated.
    expect(change.ok && change.value.restated.from).toBeNull();
    await calculate(book.id);
    await expectSameAsFresh();
  });

  it('a back-dated lot that moves the history start earlier', async () => {
    const change = await addLots(database().db, {
      actor: actor(),
      portfolio: book,
      lots: [{ symbol: 'SPY', quantity: 50, entry_price: 480, entry_date: '2025-11-03' }],
      today: TODAY,
    });
    expect(change.ok).toBe(true);
    await calculate(book.id);
    const first = (await analyticsOf(database().db, book.id)).snapshots[0] as {
      snapshot_date: string;
    };
    expect(first.snapshot_date).toBe('2025-11-03');
    await expectSameAsFresh();
  });

  it('a partial close (the lot splits; the sold part carries the exit)', async () => {
    const change = await closeLot(database().db, {
      actor: actor(),
      portfolio: book,
      position: await lot('AAPL'),
      exitDate: '2026-06-01',
      exitPrice: '201.50',
      quantity: '100',
      today: TODAY,
    });
    expect(change.ok).toBe(true);
    await calculate(book.id);
    await expectSameAsFresh();
  });

  it('a lot removed (the earliest: the history starts later again)', async () => {
    const change = await deleteLot(database().db, {
      actor: actor(),
      portfolio: book,
      position: await lot('SPY'),
    });
    expect(change.ok).toBe(true);
    await calculate(book.id);
    const first = (await analyticsOf(database().db, book.id)).snapshots[0] as {
      snapshot_date: string;
    };
    expect(first.snapshot_date).toBe('2026-01-05');
    await expectSameAsFresh();
  });
});

describeOnEachEngine('a change after the anchor restates from its date only', ({ database }) => {
  const D1 = '2026-07-24';
  const ctx = async () => ({
    db: database().db,
    provider: await getSampleProvider(),
    cache: new SymbolCache(),
    logger: createLogger('silent'),
  });
  const calculate = async (id: string, date: string) => {
    const result = await calculatePortfolio(await ctx(), id, { date, triggeredBy: 'test' });
    expect(result.status).toBe('completed');
  };
  const updatedAt = (id: string) =>
    queryRows<{ snapshot_date: string; updated_at: string }>(
      database().db,
      sql`SELECT snapshot_date, updated_at::text FROM portfolio_snapshots
          WHERE portfolio_id = ${id} ORDER BY snapshot_date`,
    );

  it('a sale last week: earlier days are not rewritten, and the book equals a fresh one rolled forward', async () => {
    const user = await new UserRepository(database().db).create({
      email: 'after-anchor@example.com',
      passwordHash: 'x',
      fullName: 'After',
    });
    const make = async (name: string, positions: NewPosition[]) => {
      const created = await new PortfolioRepository(database().db).createWithPositions({
        userId: user.id,
        name,
        accountName: name,
        accountType: 'taxable',
        equityBalance: '500000',
        positions,
      });
      await calculate(created.id, D1);
      await calculate(created.id, D);
      return (await new PortfolioRepository(database().db).get(created.id))!;
    };
    const book = await make('ROLLED', BOOK.slice(0, 3));
    expect(book.anchorDate).toBe(D1);
    const before = await updatedAt(book.id);
    const msft = (await new PositionRepository(database().db).listPositions(book.id)).find(
      (p) => p.symbol === 'MSFT',
    )!;
    const change = await closeLot(database().db, {
      actor: { userId: user.id },
      portfolio: book,
      position: msft,
      exitDate: '2026-07-28',
      exitPrice: '512.40',
      today: TODAY,
    });
    expect(change.ok && change.value.restated).toEqual({ from: '2026-07-28', days: 4 });
    await calculate(book.id, D);

    const after = await updatedAt(book.id);
    const untouched = (rows: typeof before) => rows.filter((r) => r.snapshot_date < '2026-07-28');
    expect(untouched(after)).toEqual(untouched(before));
    expect(after.filter((r) => r.snapshot_date >= '2026-07-28')).toHaveLength(4);

    const lots = await new PositionRepository(database().db).listPositions(book.id);
    const fresh = await make('ROLLED-FRESH', lots.map(asNew));
    expect(toTwelveDigits(await analyticsOf(database().db, book.id))).toEqual(
      toTwelveDigits(await analyticsOf(database().db, fresh.id)),
    );
  });
});
