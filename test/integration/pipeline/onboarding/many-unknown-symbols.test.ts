import { expect, it } from 'vitest';
import { calculatePortfolio } from '../../../../src/pipeline/onboarding/calculate-portfolio.ts';
import { onboardingStatusView } from '../../../../src/services/onboarding/onboarding-status.ts';
import { BatchRunRepository } from '../../../../src/db/repositories/batch-run-repository.ts';
import { stock } from '../../../helpers/stock-position.ts';
import { describeOnEachEngine } from '../../../helpers/test-database.ts';
import { createUserBook, samplePipeline } from '../../../helpers/user-book.ts';

const UNKNOWN = Array.from({ length: 2000 }, (_, i) => `NOSUCH${String(i).padStart(4, '0')}`);

describeOnEachEngine('a book of 2,000 symbols no provider knows', ({ database }) => {
  it('calculates to partial with a bounded status that names them', async () => {
    const db = database().db;
    const { portfolio } = await createUserBook(db, {
      email: 'many@example.com',
      name: 'Many',
      equityBalance: '1000000',
      positions: [
        stock('KO', 100, 62, '2026-02-02'),
        ...UNKNOWN.map((s) => stock(s, 10, 10, '2026-02-02')),
      ],
    });
    const ctx = await samplePipeline(db);
    const result = await calculatePortfolio(ctx, portfolio.id, {
      date: '2026-07-31',
      triggeredBy: 'test',
    });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('partial');
    expect(result.failedSymbols).toHaveLength(2000);

    const [child] = await new BatchRunRepository(db).listRecent('symbol_batch', 1);
    expect(child!.scopeKey).toMatch(/^symbols\|2001\|[0-9a-f]{32}\|2026-07-31$/);
    const row = await new BatchRunRepository(db).get(result.batchRunId);
    const view = onboardingStatusView(portfolio.id, row, new Date());
    const text = JSON.stringify(view);
    expect(text.length).toBeLessThan(64 * 1024);
    expect(text).not.toMatch(/insert into|select |params:/i);
    // The log says how many and which (the first of them), with the count of the rest.
    const summary = view.activity_log.find((e) => /2000 symbol\(s\) without data/.test(e.message));
    expect(summary?.message).toContain('NOSUCH0000');
    expect(summary?.message).toContain('and 1950 more');
    expect(view.errors.some((e) => e.code === 'no_data' && /2000 symbol/.test(e.message))).toBe(
      true,
    );
  }, 300_000);
});
