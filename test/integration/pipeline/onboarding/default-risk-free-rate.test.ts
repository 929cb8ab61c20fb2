import { expect, it } from 'vitest';
import { BatchRunRepository } from '../../../../src/db/repositories/batch-run-repository.ts';
import { PortfolioRepository } from '../../../../src/db/repositories/portfolio-repository.ts';
import { SnapshotRepository } from '../../../../src/db/repositories/snapshot-repository.ts';
import { StressRepository } from '../../../../src/db/repositories/stress-repository.ts';
import { UserRepository } from '../../../../src/db/repositories/user-repository.ts';
import { createLogger } from '../../../../src/logger.ts';
import { SimulatedProvider } from '../../../../src/market/providers/simulated/simulated-provider.ts';
import { calculatePortfolio } from '../../../../src/pipeline/onboarding/calculate-portfolio.ts';
import { SymbolCache } from '../../../../src/pipeline/symbol-cache.ts';
import { stock } from '../../../helpers/stock-position.ts';
import { describeOnEachEngine } from '../../../helpers/test-database.ts';

/**
 * A provider without a bill-rate series (the simulated one, whose closes also start in 2015):
 * options fall back to the 4% rate and say so, and the replays it has no history for are left
 * out and listed rather than shown as a 0% loss.
 */
const DATE = '2026-07-31';

describeOnEachEngine('a provider without bill rates or deep history', ({ database }) => {
  it('prices options at 4% with a warning and a data issue, and lists the replays it cannot run', async () => {
    const db = database().db;
    const user = await new UserRepository(db).create({
      email: 'no-rates@example.com',
      passwordHash: 'x',
      fullName: null,
    });
    const portfolio = await new PortfolioRepository(db).createWithPositions({
      userId: user.id,
      name: 'Options',
      accountName: 'OPTS',
      accountType: 'taxable',
      equityBalance: 100_000,
      positions: [
        stock('AAA', 100, 50, '2026-06-01'),
        stock('AAA261218C00060000', 5, 2, '2026-06-01', {
          positionType: 'LC',
          investmentClass: 'OPTIONS',
          investmentSubtype: 'CALL',
          underlyingSymbol: 'AAA',
          strikePrice: 60,
          expirationDate: '2026-12-18',
          optionType: 'CALL',
        }),
      ],
    });
    const ctx = {
      db,
      provider: new SimulatedProvider({ latestDate: DATE }),
      cache: new SymbolCache(),
      logger: createLogger('silent'),
    };
    const result = await calculatePortfolio(ctx, portfolio.id, { date: DATE, triggeredBy: 'test' });
    expect(result.error).toBeUndefined();

    const [day] = await new SnapshotRepository(db).history(portfolio.id, DATE, DATE);
    expect(day!.dataIssues).toEqual([
      expect.objectContaining({
        symbol: 'AAA261218C00060000',
        kind: 'default_risk_free_rate',
        message: expect.stringContaining('4% default risk-free rate'),
      }),
    ]);
    // A default rate is a caveat, not missing data: the day is complete.
    expect(day!.isComplete).toBe(true);
    const log = (await new BatchRunRepository(db).get(result.batchRunId))!.activityLog;
    const messages = log.map((e) => `${e.level}: ${e.message}`);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^warning: AAA261218C00060000 priced with the 4% default risk-free rate/,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^warning: Stress tests: financial_crisis_2008, dotcom_crash_2000 not evaluated/,
      ),
    );

    const stored = await new StressRepository(db).model(portfolio.id);
    expect(stored!.model.unavailableScenarios).toEqual([
      'financial_crisis_2008',
      'dotcom_crash_2000',
    ]);
    const results = await new StressRepository(db).results(portfolio.id, DATE);
    expect(results.map((r) => r.scenarioId)).toContain('covid_crash_2020');
    expect(results).toHaveLength(20);
  });
});
