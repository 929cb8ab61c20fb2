import { expect, it } from 'vitest';
import { BatchRunRepository } from '../../../../src/db/repositories/batch-run-repository.ts';
import { createLogger } from '../../../../src/logger.ts';
import { getSampleProvider } from '../../../../src/market/create-provider.ts';
import { resumeDemoCalculations, seedDemo } from '../../../../src/pipeline/demo/seed-demo.ts';
import { SymbolCache } from '../../../../src/pipeline/symbol-cache.ts';
import { describeOnEachEngine } from '../../../helpers/test-database.ts';

const TODAY = '2026-08-03';

describeOnEachEngine('a first start that died before calculating the demo', ({ database }) => {
  it('is finished by the next start: every uncalculated or failed demo book is calculated', async () => {
    const ctx = {
      db: database().db,
      provider: await getSampleProvider(),
      cache: new SymbolCache(),
      logger: createLogger('silent'),
    };
    // The first start writes the books, then dies before enqueueing any calculation.
    const first = await seedDemo(ctx, {
      today: TODAY,
      calculate: async () => {
        throw new Error('killed');
      },
    });
    if (!first.seeded) throw new Error('not seeded');
    expect(first.portfolios).toHaveLength(5);

    const calculated: string[] = [];
    // The next start: the demo exists, so seeding does nothing, and resuming calculates them.
    expect(await seedDemo(ctx, { today: TODAY, calculate: async () => {} })).toEqual({
      seeded: false,
      reason: 'demo_user_exists',
    });
    const second = await resumeDemoCalculations(ctx, {
      calculate: async (id) => {
        calculated.push(id);
      },
    });
    expect([...second].sort()).toEqual(first.portfolios.map((p) => p.id).sort());
    expect([...calculated].sort()).toEqual(first.portfolios.map((p) => p.id).sort());

    // A book whose calculation is under way or finished is not started again; a failed one is.
    const runs = new BatchRunRepository(ctx.db);
    const [done, failed, ...rest] = first.portfolios;
    for (const [p, status] of [
      [done!, 'completed'],
      [failed!, 'failed'],
      ...rest.map((r) => [r, 'running'] as const),
    ] as const) {
      const id = await runs.create({
        jobType: 'onboarding',
        scope: { portfolio_id: p.id },
        scopeKey: `portfolio:${p.id}`,
        portfolioId: p.id,
        triggeredBy: 'demo_seed',
      });
      if (status !== 'running') await runs.finish(id, status);
    }
    calculated.length = 0;
    const third = await resumeDemoCalculations(ctx, {
      calculate: async (id) => {
        calculated.push(id);
      },
    });
    expect(third).toEqual([failed!.id]);
    expect(calculated).toEqual([failed!.id]);
  });
});
