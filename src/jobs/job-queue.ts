import type { RefreshMode } from '../pipeline/portfolio-refresh/phase-4-pnl.ts';

/** Nightly-type work an admin (or the scheduler) can start. */
export type BatchJobType = 'symbol_batch' | 'portfolio_refresh' | 'admin_metrics';

/**
 * Background work as the API sees it. Every enqueue first creates the `batch_runs` row (status
 * `queued`) — so the run id exists before any worker picks the job up, and the partial unique
 * index on (job_type, scope_key) rejects a second live run of the same scope with
 * `JobAlreadyActiveError` from the batch-run repository.
 */
export interface JobQueue {
  /** High priority: a user is watching the onboarding page. */
  enqueuePortfolioCalculation(input: {
    portfolioId: string;
    mode: RefreshMode;
    triggeredBy: string;
    date?: string;
  }): Promise<{ batchRunId: string }>;
  /** Nightly-type work started by an admin (or the scheduler). */
  enqueueBatch(input: {
    type: BatchJobType;
    date?: string;
    triggeredBy: string;
  }): Promise<{ batchRunId: string }>;
  /** Jobs waiting or running, for /metrics. */
  queueDepth(): Promise<number>;
  /**
   * Stops taking jobs and waits (up to a timeout) for the running ones to finish; whatever is
   * still running then is handed back to the queue, to be retried by the next worker.
   */
  stop(): Promise<void>;
}
