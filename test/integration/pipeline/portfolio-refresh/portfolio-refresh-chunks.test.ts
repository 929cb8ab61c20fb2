import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows, type Database, type Db } from '../../../../src/db/database.ts';
import { PortfolioRepository } from '../../../../src/db/repositories/portfolio-repository.ts';
import type { NewPosition } from '../../../../src/db/repositories/position-repository.ts';
import { UserRepository } from '../../../../src/db/repositories/user-repository.ts';
import { createLogger } from '../../../../src/logger.ts';
import { getSampleProvider } from '../../../../src/market/create-provider.ts';
import type { MarketDataProvider } from '../../../../src/market/provider.ts';
import { runPortfolioRefresh } from '../../../../src/pipeline/portfolio-refresh/run-portfolio-refresh.ts';
import { runSymbolBatch } from '../../../../src/pipeline/symbol-batch/run-symbol-batch.ts';
import { SymbolCache } from '../../../../src/pipeline/symbol-cache.ts';
import { describeOnEachEngine, openTestDatabase } from '../../../helpers/test-database.ts';
import { stock as position } from '../../../helpers/stock-position.ts';

let sample: MarketDataProvider;
beforeAll(async () => {
  sample = await getSampleProvider();
});

/** Seven books: long/short stocks, an option, a private asset, a closed lot, one not yet open. */
const BOOKS: Record<string, NewPosition[]> = {
  'CHUNK-1': [position('SPY', 300, 500, '2026-04-01'), position('XOM', -200, 110, '2026-05-01')],
  'CHUNK-2': [
    position('AAPL', 400, 200, '2026-04-01'),
    position('MSFT', 100, 400, '2026-04-01', { exitDate: '2026-07-01', exitPrice: 450 }),
    position('KO', 500, 60, '2026-06-01'),
  ],
  'CHUNK-3': [
    position('JNJ', 250, 150, '2026-05-01'),
    position('AAPL270115C00250000', 5, 20, '2026-06-01', {
      positionType: 'LC',
      investmentClass: 'OPTIONS',
      investmentSubtype: 'CALL',
      underlyingSymbol: 'AAPL',
      strikePrice: 250,
      expirationDate: '2027-01-15',
      optionType: 'CALL',
    }),
  ],
  'CHUNK-4': [
    position('FO_ART', 1, 50000, '2026-03-02', {
      investmentClass: 'PRIVATE',
      investmentSubtype: 'ART',
    }),
    position('XOM', 300, 105, '2026-04-01'),
    position('SPY', -100, 520, '2026-07-01'),
  ],
  'CHUNK-5': [position('KO', 1000, 62, '2026-04-01'), position('JNJ', -100, 155, '2026-04-01')],
  'CHUNK-6': [position('MSFT', 50, 410, '2026-09-01')],
  'CHUNK-7': [position('AAPL', 100, 190, '2026-04-01'), position('SPY', 100, 500, '2026-04-01')],
};

const ctxOf = (db: Db) => ({
  db,
  provider: sample,
  cache: new SymbolCache(),
  logger: createLogger('silent'),
});

async function seedBooks(db: Db): Promise<void> {
  const user = await new UserRepository(db).create({
    email: 'chunks@example.com',
    passwordHash: 'x',
    fullName: null,
  });
  const repo = new PortfolioRepository(db);
  for (const [accountName, positions] of Object.entries(BOOKS)) {
    await repo.createWithPositions({
      userId: user.id,
      name: accountName,
      accountName,
      accountType: 'taxable',
      equityBalance: '1000000',
      positions,
    });
  }
}

/** Two nights as production runs them: symbol batch, then the refresh of every portfolio. */
async function runTwoNights(db: Db, chunkSize: number) {
  const ctx = ctxOf(db);
  await runSymbolBatch(ctx, {
    date: '2026-07-30',
    triggeredBy: 'test',
    backfill: false,
    historyFrom: '2026-03-01',
  });
  const first = await runPortfolioRefresh(ctx, {
    date: '2026-07-30',
    triggeredBy: 'test',
    chunkSize,
  });
  await runSymbolBatch(ctx, { date: '2026-07-31', triggeredBy: 'test', backfill: false });
  const second = await runPortfolioRefresh(ctx, {
    date: '2026-07-31',
    triggeredBy: 'test',
    chunkSize,
  });
  return { first, second };
}

/**
 * Every row the refresh writes, with database-generated ids and timestamps left out and
 * portfolio / position ids replaced by account name and symbol, so two databases compare.
 */
async function refreshRows(db: Db) {
  const positions = await queryRows<{ id: string; key: string }>(
    db,
    sql`SELECT p.id, pf.account_name || '/' || p.symbol || '/' || p.entry_date AS key
        FROM positions p JOIN portfolios pf ON pf.id = p.portfolio_id`,
  );
  const keyOf = new Map(positions.map((p) => [p.id, p.key]));
  const portfolios = await queryRows<{ id: string; key: string }>(
    db,
    sql`SELECT id, account_name AS key FROM portfolios`,
  );
  for (const p of portfolios) keyOf.set(p.id, p.key);
  // Ids inside JSON (stress position impacts) are rewritten too.
  const rekey = (rows: Record<string, unknown>[]) =>
    JSON.parse(
      JSON.stringify(rows).replace(
        /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
        (id) => keyOf.get(id) ?? id,
      ),
    ) as Record<string, unknown>[];
  const q = async (query: ReturnType<typeof sql>) => rekey(await queryRows(db, query));
  return {
    portfolios: await q(sql`SELECT id, anchor_date FROM portfolios ORDER BY account_name`),
    positions: await q(
      sql`SELECT p.id, p.last_price::text, p.market_value::text, p.unrealized_pnl::text
          FROM positions p JOIN portfolios pf ON pf.id = p.portfolio_id
          ORDER BY pf.account_name, p.symbol, p.entry_date`,
    ),
    snapshots: await q(
      sql`SELECT pf.account_name, s.portfolio_id, s.snapshot_date, s.net_asset_value::text,
            s.cash_value::text,
            s.long_value::text, s.short_value::text, s.gross_exposure::text, s.net_exposure::text,
            s.daily_pnl::text, s.daily_return, s.cumulative_pnl::text, s.daily_realized_pnl::text,
            s.daily_capital_flow::text, s.num_positions, s.num_long_positions,
            s.num_short_positions, s.num_option_positions, s.num_private_positions,
            s.portfolio_delta, s.portfolio_gamma, s.portfolio_theta, s.portfolio_vega,
            s.realized_volatility_21d, s.realized_volatility_63d, s.expected_volatility_21d,
            s.volatility_trend, s.volatility_percentile, s.beta_calculated_90d, s.beta_provider_1y,
            s.hhi, s.effective_num_positions, s.top_3_concentration, s.top_10_concentration,
            s.sector_exposure, s.data_issues, s.is_complete
          FROM portfolio_snapshots s JOIN portfolios pf ON pf.id = s.portfolio_id
          ORDER BY pf.account_name, s.snapshot_date`,
    ),
    factorExposures: await q(
      sql`SELECT e.portfolio_id, e.factor_id, e.calculation_date, e.exposure_value,
            e.exposure_dollar::text
          FROM factor_exposures e JOIN portfolios pf ON pf.id = e.portfolio_id
          ORDER BY pf.account_name, e.calculation_date, e.factor_id`,
    ),
    positionFactorExposures: await q(
      sql`SELECT e.position_id, e.factor_id, e.calculation_date, e.exposure_value,
            e.exposure_dollar::text
          FROM position_factor_exposures e JOIN positions p ON p.id = e.position_id
          JOIN portfolios pf ON pf.id = p.portfolio_id
          ORDER BY pf.account_name, p.symbol, e.calculation_date, e.factor_id`,
    ),
    stress: await q(
      sql`SELECT r.portfolio_id, r.scenario_id, r.calculation_date, r.portfolio_value::text,
            r.direct_pnl::text, r.correlated_pnl::text, r.correlation_effect::text,
            r.factor_impacts::text, r.position_impacts::text
          FROM stress_test_results r JOIN portfolios pf ON pf.id = r.portfolio_id
          ORDER BY pf.account_name, r.calculation_date, r.scenario_id`,
    ),
    correlations: await q(
      sql`SELECT c.portfolio_id, c.calculation_date, c.lookback_days, c.min_overlap,
            c.overall_correlation, c.effective_positions, c.data_quality, c.positions_included,
            c.positions_excluded, c.position_details,
            (SELECT json_agg(json_build_array(w.symbol_1, w.symbol_2, w.correlation, w.data_points)
                             ORDER BY w.symbol_1, w.symbol_2)
             FROM pairwise_correlations w WHERE w.correlation_calculation_id = c.id) AS pairs
          FROM correlation_calculations c JOIN portfolios pf ON pf.id = c.portfolio_id
          ORDER BY pf.account_name, c.calculation_date`,
    ),
  };
}

describeOnEachEngine('portfolio refresh in chunks', ({ database, engine }) => {
  let oneByOne: Database | undefined;
  afterAll(async () => {
    await oneByOne?.close();
  });

  it('writes exactly the rows that refreshing the portfolios one by one writes', async () => {
    oneByOne = await openTestDatabase(engine);
    await seedBooks(database().db);
    await seedBooks(oneByOne.db);

    // Chunks of 3: the seven books are written as 3 + 3 + 1.
    const chunked = await runTwoNights(database().db, 3);
    const single = await runTwoNights(oneByOne.db, 1);

    for (const run of [chunked.first, chunked.second, single.first, single.second]) {
      expect(run.status).toBe('completed');
      expect(run.failures).toEqual([]);
      expect(run.results).toHaveLength(7);
    }
    // The second night writes each portfolio's new day; CHUNK-2 also rewrites the days it holds
    // MSFT unpriced past the carry limit (exited, so outside the symbol batch): still incomplete.
    const written = chunked.second.results.map((r) => r.snapshotsWritten);
    expect(written.filter((n) => n === 1)).toHaveLength(6);
    expect(written[1]).toBeGreaterThan(1);
    expect(written).toEqual(single.second.results.map((r) => r.snapshotsWritten));

    const a = await refreshRows(database().db);
    const b = await refreshRows(oneByOne.db);
    expect(a.snapshots.length).toBeGreaterThan(6 * 80);
    expect(a.positionFactorExposures.length).toBeGreaterThan(0);
    expect(a.stress).toHaveLength(7 * 2 * 22);
    expect(a.correlations.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
  });

  it('a full recompute in chunks writes the same rows again', async () => {
    const before = await refreshRows(database().db);
    // Every day of the option book carries that day's Greeks (the back-cast history too), so a
    // full recompute has nothing to lose: it writes the very values the nightly runs wrote.
    const optionBook = before.snapshots.filter((s) => s.account_name === 'CHUNK-3');
    const optionDays = optionBook.filter((s) => String(s.snapshot_date) >= '2026-06-01');
    expect(optionDays.length).toBeGreaterThan(40);
    for (const day of optionDays) {
      expect(day.portfolio_delta).toBeGreaterThan(0);
      expect(day.portfolio_vega).toBeGreaterThan(0);
    }
    // Before the option was bought the book held none: zero Greeks, not unknown ones.
    expect(optionBook.find((s) => s.snapshot_date === '2026-05-29')).toMatchObject({
      portfolio_delta: 0,
      portfolio_gamma: 0,
    });
    // Every portfolio's day made incomplete: the next run picks them all up again.
    await database().db.execute(
      sql`UPDATE portfolio_snapshots SET is_complete = false WHERE snapshot_date = '2026-07-31'`,
    );
    const full = await runPortfolioRefresh(ctxOf(database().db), {
      date: '2026-07-31',
      mode: 'full',
      triggeredBy: 'test',
      chunkSize: 4,
    });
    expect(full.status).toBe('completed');
    expect(full.results).toHaveLength(7);
    expect(await refreshRows(database().db)).toEqual(before);
  });

  it('a portfolio that fails to compute or to write fails alone; the rest of its chunk is written', async () => {
    const db = database().db;
    const ids = new Map(
      (
        await queryRows<{ id: string; account: string }>(
          db,
          sql`SELECT id, account_name AS account FROM portfolios`,
        )
      ).map((r) => [r.account, r.id]),
    );
    // CHUNK-1's stress rows are refused by the database; CHUNK-5's prices cannot be read.
    await db.execute(
      sql.raw(`CREATE FUNCTION refuse_chunk_1() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.portfolio_id = '${ids.get('CHUNK-1')}' THEN RAISE EXCEPTION 'refused by test'; END IF;
          RETURN NEW;
        END $$`),
    );
    await db.execute(
      sql.raw(`CREATE TRIGGER refuse_chunk_1 BEFORE INSERT ON stress_test_results
        FOR EACH ROW EXECUTE FUNCTION refuse_chunk_1()`),
    );
    class FailingCache extends SymbolCache {
      override getAlignedCloses(...args: Parameters<SymbolCache['getAlignedCloses']>) {
        if (args[1].includes('KO') && args[1].includes('JNJ') && args[1].length === 2)
          return Promise.reject(new Error('prices unavailable'));
        return super.getAlignedCloses(...args);
      }
    }
    await db.execute(
      sql`UPDATE portfolio_snapshots SET is_complete = false WHERE snapshot_date = '2026-07-31'`,
    );
    const before = await refreshRows(db);
    await db.execute(sql`DELETE FROM stress_test_results WHERE calculation_date = '2026-07-31'`);

    const run = await runPortfolioRefresh(
      { ...ctxOf(db), cache: new FailingCache() },
      { date: '2026-07-31', triggeredBy: 'test', chunkSize: 7 },
    );
    expect(run.status).toBe('partial');
    expect(run.failures).toEqual([
      { portfolioId: ids.get('CHUNK-5'), message: 'prices unavailable' },
      { portfolioId: ids.get('CHUNK-1'), message: 'refused by test' },
    ]);
    expect(run.results.map((r) => r.portfolioId)).toEqual(
      ['CHUNK-2', 'CHUNK-3', 'CHUNK-4', 'CHUNK-6', 'CHUNK-7'].map((a) => ids.get(a)),
    );
    const after = await refreshRows(db);
    // The five written have their rows back exactly; the two failed have no stress rows for the
    // day and their snapshot stays incomplete, so the next run retries them.
    const forDay = (rows: Record<string, unknown>[], account: string) =>
      rows.filter((r) => r.portfolio_id === account && r.calculation_date === '2026-07-31');
    for (const account of ['CHUNK-2', 'CHUNK-3', 'CHUNK-4', 'CHUNK-6', 'CHUNK-7'])
      expect(forDay(after.stress, account)).toEqual(forDay(before.stress, account));
    for (const account of ['CHUNK-1', 'CHUNK-5']) {
      expect(forDay(after.stress, account)).toEqual([]);
      expect(
        after.snapshots.find((s) => s.portfolio_id === account && s.snapshot_date === '2026-07-31')
          ?.is_complete,
      ).toBe(false);
    }
    await db.execute(sql`DROP TRIGGER refuse_chunk_1 ON stress_test_results`);
  });

  it('replaced calculations and deleted portfolios leave no orphan exposures or pairs', async () => {
    const db = database().db;
    const countOf = async (query: ReturnType<typeof sql>) =>
      (await queryRows<{ n: number }>(db, query))[0]!.n;
    const exposuresOf = (account: string) =>
      countOf(sql`SELECT count(*)::int AS n FROM position_factor_exposures e
        JOIN positions p ON p.id = e.position_id
        JOIN portfolios pf ON pf.id = p.portfolio_id WHERE pf.account_name = ${account}`);
    const pairsOf = (account: string) =>
      countOf(sql`SELECT count(*)::int AS n FROM pairwise_correlations w
        JOIN correlation_calculations c ON c.id = w.correlation_calculation_id
        JOIN portfolios pf ON pf.id = c.portfolio_id WHERE pf.account_name = ${account}`);
    const orphanExposures = sql`SELECT count(*)::int AS n FROM position_factor_exposures e
      WHERE NOT EXISTS (SELECT 1 FROM positions p WHERE p.id = e.position_id)`;
    const orphanPairs = sql`SELECT count(*)::int AS n FROM pairwise_correlations w
      WHERE NOT EXISTS (SELECT 1 FROM correlation_calculations c WHERE c.id = w.correlation_calculation_id)`;
    // The recomputes above replaced calculations: their old pairs went with them.
    expect(await countOf(orphanPairs)).toBe(0);

    const exposures = await exposuresOf('CHUNK-4');
    const pairs = await pairsOf('CHUNK-4');
    expect(exposures).toBeGreaterThan(0);
    expect(pairs).toBeGreaterThan(0);
    const totalExposures = await countOf(
      sql`SELECT count(*)::int AS n FROM position_factor_exposures`,
    );
    const totalPairs = await countOf(sql`SELECT count(*)::int AS n FROM pairwise_correlations`);
    // Positions and calculations go by the portfolio's cascades; exposures and pairs by the
    // triggers that replaced their foreign keys.
    await db.execute(sql`DELETE FROM portfolios WHERE account_name = 'CHUNK-4'`);
    expect(await countOf(sql`SELECT count(*)::int AS n FROM position_factor_exposures`)).toBe(
      totalExposures - exposures,
    );
    expect(await countOf(sql`SELECT count(*)::int AS n FROM pairwise_correlations`)).toBe(
      totalPairs - pairs,
    );
    expect(await countOf(orphanExposures)).toBe(0);
    expect(await countOf(orphanPairs)).toBe(0);
  });
});
