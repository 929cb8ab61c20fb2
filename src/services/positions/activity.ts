/**
 * GET /portfolios/{id}/activity: the audit trail, newest first — every change to the book's
 * positions and equity changes (who, when, before and after), and its calculations (from
 * `batch_runs`, so a calculation is never written twice).
 */
import type { Db } from '../../db/database.ts';
import { BatchRunRepository } from '../../db/repositories/batch-run-repository.ts';
import { PortfolioActivityRepository } from '../../db/repositories/portfolio-activity-repository.ts';

export interface ActivityEntry {
  id: string;
  timestamp: string;
  /** The user's e-mail; for a calculation, who or what started it (`user:…`, `scheduler`, …). */
  user: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
}

export async function portfolioActivity(
  db: Db,
  portfolioId: string,
  options: { limit: number; before?: string | undefined },
): Promise<{ portfolio_id: string; entries: ActivityEntry[]; next_before: string | null }> {
  const [changes, calculations] = await Promise.all([
    new PortfolioActivityRepository(db).list(portfolioId, options.limit, options.before),
    new BatchRunRepository(db).calculationsOf(portfolioId, options.limit, options.before),
  ]);
  const entries: ActivityEntry[] = [
    ...changes.map((c) => ({
      id: c.id,
      timestamp: c.timestamp,
      user: c.userEmail,
      action: c.action,
      entity: c.entity,
      entity_id: c.entityId,
      before: c.before,
      after: c.after,
    })),
    ...calculations.map((r) => ({
      id: r.id,
      timestamp: r.createdAt,
      user: r.triggeredBy.startsWith('user:') ? r.triggeredBy.slice(5) : r.triggeredBy,
      action: 'calculation',
      entity: 'calculation',
      entity_id: r.id,
      before: null,
      after: {
        status: r.status,
        mode: r.mode,
        calculation_date: r.calculationDate,
        completed_at: r.completedAt,
      },
    })),
  ]
    .sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : 0))
    .slice(0, options.limit);
  const full = entries.length === options.limit;
  return {
    portfolio_id: portfolioId,
    entries,
    next_before: full ? (entries.at(-1)?.timestamp ?? null) : null,
  };
}
