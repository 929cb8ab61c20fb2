import { expect, it } from 'vitest';
import { BatchRunRepository } from '../../../../src/db/repositories/batch-run-repository.ts';
import { calculatePortfolio } from '../../../../src/pipeline/onboarding/calculate-portfolio.ts';
import { stock } from '../../../helpers/stock-position.ts';
import { describeOnEachEngine } from '../../../helpers/test-database.ts';
import { createUserBook, samplePipeline } from '../../../helpers/user-book.ts';

describeOnEachEngine('a lot entered after the provider’s last price date', ({ database }) => {
  it('is not silently left out: the run is partial and says which lot and why', async () => {
    const db = database().db;
    const { portfolio } = await createUserBook(db, {
      email: 'late@example.com',
      name: 'Late',
      equityBalance: '100000',
      // The sample data ends on 2026-07-31; the AAPL lot was bought on the Monday after.
      positions: [stock('KO', 100, 62, '2026-02-02'), stock('AAPL', 10, 200, '2026-08-03')],
    });
    const ctx = await samplePipeline(db);
    const result = await calculatePortfolio(ctx, portfolio.id, {
      date: '2026-07-31',
      triggeredBy: 'test',
    });
    expect(result.status).toBe('partial');
    const run = (await new BatchRunRepository(db).get(result.batchRunId))!;
    expect(run.status).toBe('partial');
    const warning = run.activityLog.find(
      (e) => e.level === 'warning' && /entered after/.test(e.message),
    );
    expect(warning?.message).toContain('AAPL (entered 2026-08-03)');
    expect(warning?.message).toContain('2026-07-31');
    expect(run.errors.map((e) => e.code)).toContain('entered_after_price_date');
  });
});
