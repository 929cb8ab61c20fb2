/**
 * After a change to a book: which stored days it restates, and the one calculation that
 * rewrites them. Changes made while a calculation is queued or running are coalesced: the live
 * one is left alone and a flag asks for one more after it (`takeRecalculationRequest` in the
 * job handler), so a burst of edits costs at most two runs, never a 409.
 */
import type { Db } from '../../db/database.ts';
import { JobAlreadyActiveError } from '../../db/job-already-active-error.ts';
import { PortfolioRepository } from '../../db/repositories/portfolio-repository.ts';
import { PositionRepository } from '../../db/repositories/position-repository.ts';
import { SnapshotRepository } from '../../db/repositories/snapshot-repository.ts';
import { historyStartOf } from '../../domain/pnl/history-start.ts';
import type { JobQueue } from '../../jobs/job-queue.ts';

export interface CalculationRequest {
  /** queued: a new calculation; coalesced: one was live, another follows it; not_started: no job queue in this process (the nightly refresh will). */
  status: 'queued' | 'coalesced' | 'not_started';
  batch_run_id: string | null;
  /** The first stored day the change restates; null when every stored day is (or none exists). */
  restate_from: string | null;
  days_marked: number;
}

/**
 * The first day a change on `changedDate` alters. On or after the anchor (the day whose NAV
 * is the stated equity), history rolls forward, so earlier days stand. Before it, history is
 * back-cast from the anchor: a changed P&L on any day moves the NAV of every earlier day too,
 * so the whole history is restated.
 */
export function restatementStart(anchorDate: string | null, changedDate: string): string | null {
  if (anchorDate === null) return null;
  return changedDate >= anchorDate ? changedDate : null;
}

/** Marks the restated days incomplete (inside the change's transaction). */
export async function markRestated(
  tx: Db,
  portfolio: { id: string; anchorDate: string | null },
  changedDate: string,
): Promise<{ from: string | null; days: number }> {
  const from = restatementStart(portfolio.anchorDate, changedDate);
  const days =
    portfolio.anchorDate === null
      ? 0
      : await new SnapshotRepository(tx).markIncompleteFrom(portfolio.id, from);
  return { from, days };
}

/**
 * After a lot is removed or its entry date moved later, the history may start later than it
 * did: the days before its new first day are dropped, as a fresh onboarding of the book
 * would not have them. A history held at the five-year floor keeps its days.
 */
export async function trimHistoryStart(tx: Db, portfolioId: string): Promise<void> {
  const snapshots = new SnapshotRepository(tx);
  const latest = (await snapshots.latestDates([portfolioId])).get(portfolioId);
  const positions = await new PositionRepository(tx).listPositions(portfolioId);
  if (!latest || positions.length === 0) return;
  const start = historyStartOf(
    positions.map((p) => p.entryDate),
    latest.date,
  );
  if (!start.floored) await snapshots.deleteBefore(portfolioId, start.start);
}

/** Queues the calculation that restates the marked days, or coalesces into the live one. */
export async function requestCalculation(
  db: Db,
  jobs: JobQueue | null,
  portfolioId: string,
  triggeredBy: string,
  restated: { from: string | null; days: number },
): Promise<CalculationRequest> {
  const base = { restate_from: restated.from, days_marked: restated.days };
  if (!jobs) return { status: 'not_started', batch_run_id: null, ...base };
  const enqueue = async (mode: 'fast' | 'full') => {
    try {
      const { batchRunId } = await jobs.enqueuePortfolioCalculation({
        portfolioId,
        mode,
        triggeredBy,
      });
      return batchRunId;
    } catch (error) {
      if (!(error instanceof JobAlreadyActiveError)) throw error;
      return null;
    }
  };
  const first = await enqueue('fast');
  if (first) return { status: 'queued', batch_run_id: first, ...base };
  // One is live: ask it for a follow-up, then try once more in case it ended before the ask
  // was seen (then this request is queued itself and the ask withdrawn). Either way the run
  // after it is full: the live one may have rewritten the marked days from the old positions.
  const portfolios = new PortfolioRepository(db);
  await portfolios.requestRecalculation(portfolioId);
  const second = await enqueue('full');
  if (!second) return { status: 'coalesced', batch_run_id: null, ...base };
  await portfolios.takeRecalculationRequest(portfolioId);
  return { status: 'queued', batch_run_id: second, ...base };
}
