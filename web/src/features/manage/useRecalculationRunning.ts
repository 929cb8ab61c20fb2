import { useCallback, useSyncExternalStore } from 'react';
import { useRecalculationStatus } from '../../api/hooks/positions.ts';
import { isLiveStatus, pendingRecalculation, subscribePending } from './recalculation-store.ts';

/**
 * Whether a calculation of the portfolio is on its way (one a change queued, or any other):
 * read-only, for indicators beside the controls; `useRecalculationWatch` (the dashboard's
 * banner) is the one that refreshes the page when it ends.
 */
export function useRecalculationRunning(portfolioId: string): boolean {
  const getWait = useCallback(() => pendingRecalculation(portfolioId), [portfolioId]);
  const wait = useSyncExternalStore(subscribePending, getWait);
  const status = useRecalculationStatus(portfolioId, wait !== null);
  return wait !== null || isLiveStatus(status.data?.status);
}
