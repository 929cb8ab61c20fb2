import { expect, it } from 'vitest';
import { PortfolioRepository } from '../../../../src/db/repositories/portfolio-repository.ts';
import {
  SnapshotRepository,
  type RefreshedSnapshotRow,
} from '../../../../src/db/repositories/snapshot-repository.ts';
import { UserRepository } from '../../../../src/db/repositories/user-repository.ts';
import { historyWindowOf } from '../../../../src/domain/pnl/history-window.ts';
import { createLogger } from '../../../../src/logger.ts';
import { getSampleProvider } from '../../../../src/market/create-provider.ts';
import { loadRefreshInputs } from '../../../../src/pipeline/portfolio-refresh/refresh-inputs.ts';
import { SymbolCache } from '../../../../src/pipeline/symbol-cache.ts';
import { describeOnEachEngine } from '../../../helpers/test-database.ts';
import { stock } from '../../../helpers/stock-position.ts';

const TARGET = '2026-07-31';

/** A stored snapshot of `date` with zero P&L: only its completeness matters here. */
const snapshotRow = (portfolioId: string, date: string, isComplete: boolean) =>
  ({
    portfolioId,
    snapshotDate: date,
    netAssetValue: 0,
    cashValue: 0,
    longValue: 0,
    shortValue: 0,
    grossExposure: 0,
    netExposure: 0,
    dailyPnl: 0,
    dailyReturn: 0,
    cumulativePnl: 0,
    dailyRealizedPnl: 0,
    dailyCapitalFlow: 0,
    numPositions: 1,
    numLongPositions: 1,
    numShortPositions: 0,
    numOptionPositions: 0,
    numPrivatePositions: 0,
    portfolioDelta: null,
    portfolioGamma: null,
    portfolioTheta: null,
    portfolioVega: null,
    dataIssues: [],
    isComplete,
    analytics: null,
  }) satisfies RefreshedSnapshotRow;

describeOnEachEngine('loadRefreshInputs: the stored complete days (fast mode)', ({ database }) => {
  it('lists the complete sessions of each window: contiguous, with a gap, none', async () => {
    const db = database().db;
    const user = await new UserRepository(db).create({
      email: 'inputs@example.com',
      passwordHash: 'x',
      fullName: null,
    });
    const repo = new PortfolioRepository(db);
    const book = (name: string, entryDate: string) =>
      repo.createWithPositions({
        userId: user.id,
        name,
        accountName: name,
        accountType: 'taxable',
        equityBalance: '100000',
        positions: [stock('SPY', 10, 500, entryDate)],
      });
    const contiguous = await book('CONTIGUOUS', '2026-07-01');
    const gap = await book('GAP', '2026-06-15');
    const none = await book('NONE', '2026-07-01');
    const sessionsOf = (entryDate: string) =>
      historyWindowOf({ anchorDate: null }, [{ entryDate }], TARGET).sessions;
    const contiguousDays = sessionsOf('2026-07-01').filter((d) => d <= '2026-07-29');
    const gapDays = sessionsOf('2026-06-15').filter((d) => d <= '2026-07-30');
    await new SnapshotRepository(db).upsertRefreshed([
      // Before the window: not part of it.
      snapshotRow(contiguous.id, '2026-06-01', true),
      ...contiguousDays.map((d) => snapshotRow(contiguous.id, d, true)),
      // 2026-07-15 stored incomplete, 2026-07-16 not stored: both are to be written again.
      ...gapDays
        .filter((d) => d !== '2026-07-16')
        .map((d) => snapshotRow(gap.id, d, d !== '2026-07-15')),
    ]);

    const ctx = {
      db,
      provider: await getSampleProvider(),
      cache: new SymbolCache(),
      logger: createLogger('silent'),
    };
    const ids = [contiguous.id, gap.id, none.id];
    const inputs = await loadRefreshInputs(ctx, ids, TARGET, 'fast');
    const complete = (id: string) => [...inputs.portfolios.get(id)!.completeDates].sort();
    expect(complete(contiguous.id)).toEqual(contiguousDays);
    expect(complete(gap.id)).toEqual(
      gapDays.filter((d) => d !== '2026-07-15' && d !== '2026-07-16'),
    );
    expect(complete(gap.id)).toHaveLength(gapDays.length - 2);
    expect(complete(none.id)).toEqual([]);
    // Full mode reads none: every day is written.
    const full = await loadRefreshInputs(ctx, ids, TARGET, 'full');
    expect(full.portfolios.get(contiguous.id)!.completeDates.size).toBe(0);
  });
});
