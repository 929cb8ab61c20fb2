import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { verifyPassword } from '../../../../src/security/password.ts';
import { ensureCliUser } from '../../../../src/cli/cli-user.ts';
import { queryRows } from '../../../../src/db/database.ts';
import { PortfolioRepository } from '../../../../src/db/repositories/portfolio-repository.ts';
import { PositionRepository } from '../../../../src/db/repositories/position-repository.ts';
import { PortfolioFactorRepository } from '../../../../src/db/repositories/portfolio-factor-repository.ts';
import { StressRepository } from '../../../../src/db/repositories/stress-repository.ts';
import { UserRepository } from '../../../../src/db/repositories/user-repository.ts';
import { STRESS_SCENARIOS } from '../../../../src/domain/stress/scenarios.ts';
import { createLogger } from '../../../../src/logger.ts';
import { getSampleProvider } from '../../../../src/market/create-provider.ts';
import type { MarketDataProvider } from '../../../../src/market/provider.ts';
import { DEMO_ADMIN, DEMO_USER } from '../../../../src/pipeline/demo/demo-portfolios.ts';
import { seedDemo } from '../../../../src/pipeline/demo/seed-demo.ts';
import {
  calculatePortfolio,
  type CalculatePortfolioResult,
} from '../../../../src/pipeline/onboarding/calculate-portfolio.ts';
import { buildPortfolioReport } from '../../../../src/pipeline/reports/portfolio-report.ts';
import { SymbolCache } from '../../../../src/pipeline/symbol-cache.ts';
import { describeOnEachEngine } from '../../../helpers/test-database.ts';

let sample: MarketDataProvider;
beforeAll(async () => {
  sample = await getSampleProvider();
});

const TODAY = '2026-11-23';
const DATE = '2026-07-31';

describeOnEachEngine('seeding the demo on a fresh database', ({ database }) => {
  const ctx = () => ({
    db: database().db,
    provider: sample,
    cache: new SymbolCache(),
    logger: createLogger('silent'),
  });
  const results = new Map<string, CalculatePortfolioResult>();
  let seeded: Awaited<ReturnType<typeof seedDemo>>;

  beforeAll(async () => {
    const pipeline = ctx();
    seeded = await seedDemo(pipeline, {
      today: TODAY,
      calculate: async (id) => {
        results.set(
          id,
          await calculatePortfolio(pipeline, id, { date: DATE, triggeredBy: 'test' }),
        );
      },
    });
  }, 180_000);

  it('creates the demo user and the admin, with passwords that verify', async () => {
    const users = new UserRepository(database().db);
    const demo = (await users.findByEmail(DEMO_USER.email))!;
    const admin = (await users.findByEmail(DEMO_ADMIN.email))!;
    expect([demo.role, demo.fullName, admin.role]).toEqual(['user', 'Demo User', 'admin']);
    expect(await verifyPassword('betaboard-demo', demo.passwordHash)).toBe(true);
    expect(await verifyPassword('betaboard-admin', admin.passwordHash)).toBe(true);
    expect(await verifyPassword('betaboard-admin', demo.passwordHash)).toBe(false);
    expect(seeded).toMatchObject({
      seeded: true,
      demoUserId: demo.id,
      demoUserClaimed: false,
      adminCreated: true,
      skippedAccounts: [],
      calculationFailures: [],
    });
  });

  it('creates the five books with their positions and calculates each to completion', async () => {
    if (!seeded.seeded) throw new Error('not seeded');
    const lots = new PositionRepository(database().db);
    const rows = [];
    for (const p of seeded.portfolios) {
      const r = results.get(p.id)!;
      rows.push([
        p.name,
        (await lots.listPositions(p.id)).length,
        r.status,
        r.failedSymbols,
        Math.round(r.refresh!.netAssetValue!),
      ]);
    }
    expect(rows).toEqual([
      ['Individual Investor', 9, 'completed', [], 500_000],
      ['High-Net-Worth Diversified', 24, 'completed', [], 5_000_000],
      ['Long/Short Equity Fund', 30, 'completed', [], 20_000_000],
      ['Family Office — Public Growth', 25, 'completed', [], 50_000_000],
      ['Family Office — Private Assets', 16, 'completed', [], 100_000_000],
    ]);
    // Every day of every history is complete and has a finite P&L.
    const [days] = await queryRows<{ total: number; incomplete: number; not_finite: number }>(
      database().db,
      sql`SELECT count(*)::int AS total,
            count(*) FILTER (WHERE NOT is_complete)::int AS incomplete,
            count(*) FILTER (WHERE cumulative_pnl = 'NaN' OR daily_pnl = 'NaN')::int AS not_finite
          FROM portfolio_snapshots`,
    );
    expect(days).toEqual({ total: 1245 + 1233 + 273 + 1255 + 1255, incomplete: 0, not_finite: 0 });
  });

  it('gives the fund net-short positions and options, and the private book its private assets', async () => {
    if (!seeded.seeded) throw new Error('not seeded');
    const [, , fund, , privateBook] = seeded.portfolios;
    const fundReport = (await buildPortfolioReport(database().db, fund!.id, DATE))!;
    // On the anchor the two expired options have left the book; the live call and put remain.
    expect(fundReport.snapshot).toMatchObject({
      numShortPositions: 11,
      numOptionPositions: 2,
      numLongPositions: 15,
    });
    expect(fundReport.snapshot!.shortValue).toBeLessThan(-12_000_000);
    expect(fundReport.snapshot!.portfolioDelta).toBeGreaterThan(0);
    const fundPositions = await new PositionRepository(database().db).listPositions(fund!.id);
    expect(fundPositions.filter((p) => p.quantity < 0).length).toBe(12);

    const privateReport = (await buildPortfolioReport(database().db, privateBook!.id, DATE))!;
    expect(privateReport.snapshot).toMatchObject({ numPrivatePositions: 12, numLongPositions: 4 });
    expect(privateReport.factor_exposures).toHaveLength(13);
    expect(privateReport.stress_results).toHaveLength(STRESS_SCENARIOS.length);
  });

  it('gives stress numbers a manager can believe: net-long books lose when the market falls, the fund loses in the crashes', async () => {
    if (!seeded.seeded) throw new Error('not seeded');
    const stress = new StressRepository(database().db);
    const factors = new PortfolioFactorRepository(database().db);
    for (const p of seeded.portfolios) {
      const rows = await stress.results(p.id, DATE);
      expect(rows.map((r) => r.scenarioId).sort(), p.name).toEqual(
        STRESS_SCENARIOS.map((s) => s.id).sort(),
      );
      const beta = (await factors.forPortfolio(p.id, DATE)).find(
        (f) => f.name === 'Market Beta (90D)',
      )!.beta;
      expect(beta, p.name).toBeGreaterThan(0);
      for (const id of ['market_down_5', 'market_down_10', 'market_crash_35', 'vix_spike_150']) {
        const r = rows.find((x) => x.scenarioId === id)!;
        expect(r.directPnl, `${p.name} ${id} direct`).toBeLessThan(0);
        expect(r.correlatedPnl, `${p.name} ${id} correlated`).toBeLessThan(0);
      }
      for (const id of ['market_up_5', 'market_up_10', 'market_rally_25']) {
        const r = rows.find((x) => x.scenarioId === id)!;
        expect(r.correlatedPnl, `${p.name} ${id}`).toBeGreaterThan(0);
      }
    }
    const fund = seeded.portfolios[2]!;
    const fundRows = await stress.results(fund.id, DATE);
    for (const id of ['covid_crash_2020', 'financial_crisis_2008', 'dotcom_crash_2000']) {
      const r = fundRows.find((x) => x.scenarioId === id)!;
      expect(r.correlatedPnl, id).toBeLessThan(0);
      // A net-long fund (~40 % net of 20 M NAV) loses less than the market's 34–42 % fall.
      expect(r.correlatedPnl / r.portfolioValue, id).toBeGreaterThan(-0.4);
    }
  });

  it('does nothing the second time', async () => {
    let calls = 0;
    const again = await seedDemo(ctx(), {
      today: TODAY,
      calculate: async () => {
        calls++;
      },
    });
    expect(again).toEqual({ seeded: false, reason: 'demo_user_exists' });
    expect(calls).toBe(0);
    const [counts] = await queryRows<{ users: number; portfolios: number }>(
      database().db,
      sql`SELECT (SELECT count(*)::int FROM users) AS users,
                 (SELECT count(*)::int FROM portfolios) AS portfolios`,
    );
    expect(counts).toEqual({ users: 2, portfolios: 5 });
  });
});

describeOnEachEngine('seeding the demo over a CLI-made demo user', ({ database }) => {
  const ctx = () => ({
    db: database().db,
    provider: sample,
    cache: new SymbolCache(),
    logger: createLogger('silent'),
  });

  it('sets the password, keeps the user and its portfolio, and skips the taken account', async () => {
    const db = database().db;
    const cliUser = await ensureCliUser(db, DEMO_USER.email);
    await new PortfolioRepository(db).createWithPositions({
      userId: cliUser.id,
      name: 'My own',
      accountName: 'DEMO-HNW',
      accountType: 'taxable',
      equityBalance: '1000',
      positions: [],
    });
    const calculated: string[] = [];
    const seeded = await seedDemo(ctx(), {
      today: TODAY,
      calculate: async (id) => {
        calculated.push(id);
        if (calculated.length === 2) throw new Error('queue unavailable');
      },
    });
    if (!seeded.seeded) throw new Error('not seeded');
    expect(seeded.demoUserId).toBe(cliUser.id);
    expect(seeded.demoUserClaimed).toBe(true);
    expect(seeded.skippedAccounts).toEqual(['DEMO-HNW']);
    expect(seeded.portfolios.map((p) => p.accountName)).toEqual([
      'DEMO-INDIVIDUAL',
      'DEMO-HF-LS',
      'DEMO-FO-GROWTH',
      'DEMO-FO-PRIVATE',
    ]);
    // A failing calculation is reported and does not stop the others.
    expect(calculated).toEqual(seeded.portfolios.map((p) => p.id));
    expect(seeded.calculationFailures).toEqual([
      {
        portfolioId: seeded.portfolios[1]!.id,
        name: 'Long/Short Equity Fund',
        error: 'queue unavailable',
      },
    ]);
    const demo = (await new UserRepository(db).findByEmail(DEMO_USER.email))!;
    expect(await verifyPassword(DEMO_USER.password, demo.passwordHash)).toBe(true);
    expect(demo.fullName).toBe('Demo User');
    const [counts] = await queryRows<{ portfolios: number }>(
      db,
      sql`SELECT count(*)::int AS portfolios FROM portfolios WHERE user_id = ${cliUser.id}`,
    );
    expect(counts!.portfolios).toBe(5);

    expect(await seedDemo(ctx(), { today: TODAY, calculate: async () => {} })).toEqual({
      seeded: false,
      reason: 'demo_user_exists',
    });
  });
});

describeOnEachEngine('two servers seeding the demo at once', ({ database }) => {
  it('seed it once', async () => {
    const ctx = {
      db: database().db,
      provider: sample,
      cache: new SymbolCache(),
      logger: createLogger('silent'),
    };
    const options = { today: TODAY, calculate: async () => {} };
    const outcomes = await Promise.all([seedDemo(ctx, options), seedDemo(ctx, options)]);
    expect(outcomes.map((o) => o.seeded).sort()).toEqual([false, true]);
    const [counts] = await queryRows<{ users: number; portfolios: number }>(
      database().db,
      sql`SELECT (SELECT count(*)::int FROM users) AS users,
                 (SELECT count(*)::int FROM portfolios) AS portfolios`,
    );
    expect(counts).toEqual({ users: 2, portfolios: 5 });
  });
});
