import { beforeAll, expect, it } from 'vitest';
import { BatchRunRepository } from '../../../../src/db/repositories/batch-run-repository.ts';
import { PortfolioRepository } from '../../../../src/db/repositories/portfolio-repository.ts';
import { PositionRepository } from '../../../../src/db/repositories/position-repository.ts';
import { SnapshotRepository } from '../../../../src/db/repositories/snapshot-repository.ts';
import { getSampleProvider } from '../../../../src/market/create-provider.ts';
import type { MarketDataProvider } from '../../../../src/market/provider.ts';
import { calculatePortfolio } from '../../../../src/pipeline/onboarding/calculate-portfolio.ts';
import { createTestApp } from '../../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../../helpers/test-database.ts';
import { startTestQueue, stock, waitFor, waitForRun } from '../../jobs/job-test-helpers.ts';

/** 2026-08-04 in New York; the sample data ends on 2026-07-31. */
const NOW = new Date('2026-08-04T15:00:00Z');

let sample: MarketDataProvider;
beforeAll(async () => {
  sample = await getSampleProvider();
});

describeOnEachEngine('changes made while a calculation runs', ({ database }) => {
  it('are coalesced into one follow-up run, never a 409, and that run sees every change', async () => {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const queue = await startTestQueue(database(), sample, {
      runners: {
        // The first calculation holds until the test has made its changes.
        calculatePortfolio: async (...args) => {
          calls += 1;
          if (calls === 1) await released;
          return calculatePortfolio(...args);
        },
      },
    });
    try {
      const t = await createTestApp(() => database(), { jobs: queue, now: () => NOW });
      const token = await t.login('coalesce@example.com');
      const me = (await (await t.request('/api/v1/auth/me', { token })).json()) as { id: string };
      const portfolio = await new PortfolioRepository(database().db).createWithPositions({
        userId: me.id,
        name: 'Busy',
        accountName: 'BUSY-1',
        accountType: 'taxable',
        equityBalance: '200000',
        positions: [stock('AAPL', 100, 250, '2026-06-01'), stock('KO', 300, 60, '2026-06-01')],
      });
      const send = (method: string, path: string, body?: unknown) =>
        t.send(method, `/api/v1/${path}`, body, token);

      const added = await send('POST', `portfolios/${portfolio.id}/positions`, [
        { symbol: 'MSFT', quantity: 20, entry_price: 400, entry_date: '2026-06-15' },
      ]);
      expect(added.status).toBe(201);
      const first = (
        (await added.json()) as { calculation: { status: string; batch_run_id: string } }
      ).calculation;
      expect(first.status).toBe('queued');
      // The worker has taken it (and holds it).
      await waitFor(
        async () => calls,
        (n) => n === 1,
      );

      const lots = await new PositionRepository(database().db).listPositions(portfolio.id);
      const ko = lots.find((l) => l.symbol === 'KO')!;
      const aapl = lots.find((l) => l.symbol === 'AAPL')!;
      const edit = await send('PUT', `positions/${aapl.id}`, { quantity: 150 });
      const removal = await send('DELETE', `positions/${ko.id}`);
      for (const res of [edit, removal]) {
        expect(res.status).toBe(200);
        expect(((await res.json()) as { calculation: unknown }).calculation).toMatchObject({
          status: 'coalesced',
          batch_run_id: null,
        });
      }
      // The status endpoint answers the live run.
      const status = await t.request(`/api/v1/onboarding/status/${portfolio.id}`, { token });
      expect(((await status.json()) as { batch_run_id: string }).batch_run_id).toBe(
        first.batch_run_id,
      );

      release();
      expect((await waitForRun(database(), first.batch_run_id)).status).toBe('completed');
      const runs = new BatchRunRepository(database().db);
      const all = await waitFor(
        () => runs.calculationsOf(portfolio.id, 10),
        (rows) => rows.length === 2 && rows.every((r) => r.status === 'completed'),
      );
      const followUp = all.find((r) => r.id !== first.batch_run_id)!;
      expect(followUp).toMatchObject({
        mode: 'full',
        triggeredBy: 'changes made during the previous calculation',
      });
      expect(calls).toBe(2);

      // The stored book is the changed one: AAPL 150, MSFT 20, no KO.
      const latest = (
        await new SnapshotRepository(database().db).history(
          portfolio.id,
          '2026-07-31',
          '2026-07-31',
        )
      )[0]!;
      expect(latest.numPositions).toBe(2);
      const held = await new PositionRepository(database().db).listPositions(portfolio.id);
      const aaplNow = held.find((l) => l.symbol === 'AAPL')!;
      // AAPL closed 2026-07-31 at the sample data's last price.
      expect(aaplNow.marketValue).toBeCloseTo(150 * aaplNow.lastPrice!, 2);
      expect(latest.longValue).toBeCloseTo(
        held.reduce((s, l) => s + (l.marketValue ?? 0), 0),
        2,
      );
      // Nothing asks for a third run.
      expect(
        await new PortfolioRepository(database().db).takeRecalculationRequest(portfolio.id),
      ).toBe(false);
    } finally {
      release();
      await queue.stop();
    }
  });
});
