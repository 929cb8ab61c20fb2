/**
 * Which portfolios wait for the calculation a change of theirs queued, shared by the forms
 * that make changes and the dashboard's recalculation banner (a tiny external store for
 * `useSyncExternalStore`; the tab forgets it on reload, when the status itself tells).
 */
export interface PendingRecalculation {
  /** When the change was saved (ms since the epoch). */
  since: number;
  /** `started_at` of the status known before the change: a newer start is the change's run. */
  previousStartedAt: string | null;
}

const pending = new Map<string, PendingRecalculation>();
const listeners = new Set<() => void>();

function emit() {
  for (const listener of listeners) listener();
}

export function subscribePending(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function pendingRecalculation(portfolioId: string): PendingRecalculation | null {
  return pending.get(portfolioId) ?? null;
}

export function expectRecalculation(portfolioId: string, previousStartedAt: string | null) {
  // A second change while waiting keeps the first start to compare with.
  const known = pending.get(portfolioId);
  pending.set(portfolioId, {
    since: Date.now(),
    previousStartedAt: known ? known.previousStartedAt : previousStartedAt,
  });
  emit();
}

export function clearRecalculation(portfolioId: string) {
  if (pending.delete(portfolioId)) emit();
}

/** Statuses of a calculation still to finish. */
export function isLiveStatus(status: string | undefined): boolean {
  return status === 'queued' || status === 'running';
}

/**
 * Has the calculation a change asked for finished? The status shows the latest run: finished
 * once it is no longer live and started after the run known at the time of the change.
 */
export function recalculationFinished(
  wait: PendingRecalculation,
  status: { status: string; started_at: string | null } | undefined,
): boolean {
  if (!status || isLiveStatus(status.status) || status.status === 'not_found') return false;
  if (status.started_at === null || status.started_at === wait.previousStartedAt) return false;
  // No run was known before the change: only one that started after it (a few seconds of
  // clock difference between browser and server allowed) is the change's.
  return wait.previousStartedAt !== null || Date.parse(status.started_at) >= wait.since - 5_000;
}
