import type { Db } from '../../db/database.ts';
import { BatchRunRepository } from '../../db/repositories/batch-run-repository.ts';
import { elapsedSecondsOf } from './onboarding-status.ts';
import type { PortfolioBatchStatusView } from './schemas.ts';

export type { PortfolioBatchStatusView } from './schemas.ts';

/** One run of a portfolio (null when there is no such run, or it is another portfolio's). */
export async function portfolioBatchStatus(
  db: Db,
  portfolioId: string,
  batchRunId: string,
  now: Date,
): Promise<PortfolioBatchStatusView | null> {
  const row = await new BatchRunRepository(db).get(batchRunId);
  if (!row || row.portfolioId !== portfolioId) return null;
  return {
    status: row.status,
    batch_run_id: row.id,
    portfolio_id: portfolioId,
    started_at: row.startedAt,
    elapsed_seconds: elapsedSecondsOf(row, now),
    triggered_by: row.triggeredBy,
  };
}
