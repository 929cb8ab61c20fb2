import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import { useRecalculationStatus } from '../../api/hooks/positions.ts';
import {
  clearRecalculation,
  isLiveStatus,
  pendingRecalculation,
  recalculationFinished,
  subscribePending,
} from './recalculation-store.ts';

/** Give up waiting for a change's calculation after this long (the banner then goes). */
const GIVE_UP_MS = 10 * 60_000;

/**
 * Follows the calculation a change queued (or any that is running): the status every 2 s, and
 * when it ends every query of the app is refreshed (the dashboard's figures, holdings, charts)
 * with a notice saying so.
 */
export function useRecalculationWatch(portfolioId: string) {
  const queryClient = useQueryClient();
  const getWait = useCallback(() => pendingRecalculation(portfolioId), [portfolioId]);
  const wait = useSyncExternalStore(subscribePending, getWait);
  const status = useRecalculationStatus(portfolioId, wait !== null);
  const data = status.data;
  const sawLive = useRef(false);

  useEffect(() => {
    if (!data) return;
    if (isLiveStatus(data.status)) {
      sawLive.current = true;
      return;
    }
    const finished = wait ? recalculationFinished(wait, data) : sawLive.current;
    if (!finished) {
      if (wait && Date.now() - wait.since > GIVE_UP_MS) clearRecalculation(portfolioId);
      return;
    }
    sawLive.current = false;
    clearRecalculation(portfolioId);
    void queryClient.invalidateQueries({
      predicate: (query) => query.queryKey[0] !== 'onboarding-status',
    });
    const failed = data.status === 'failed';
    notifications.show({
      id: `recalculated-${portfolioId}`,
      color: failed ? 'red' : 'teal',
      title: failed ? 'Recalculation failed' : 'Analytics updated',
      message: failed
        ? 'The figures still show the previous calculation; the Progress page has the details.'
        : data.status === 'partial'
          ? 'Recalculated with warnings: some symbols had no data.'
          : 'The dashboard now includes your changes.',
    });
  }, [data, wait, portfolioId, queryClient]);

  return { status: data, running: wait !== null || isLiveStatus(data?.status) };
}
