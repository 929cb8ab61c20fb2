import type { QueryClient } from '@tanstack/react-query';
import { expectRecalculation } from '../../features/manage/recalculation-store.ts';
import type { OnboardingStatus } from '../types.ts';

export const statusKey = (portfolioId: string) => ['onboarding-status', portfolioId] as const;

/**
 * After a change to a book (a lot, an equity change): every list of it is stale, and the
 * change queued a calculation (unless this server has no job queue) that the dashboard's
 * banner follows until it ends.
 */
export function afterBookChange(
  queryClient: QueryClient,
  portfolioId: string,
  calculation: { status: string } | null | undefined,
) {
  if (calculation && calculation.status !== 'not_started') {
    const known = queryClient.getQueryData<OnboardingStatus>(statusKey(portfolioId));
    expectRecalculation(portfolioId, known?.started_at ?? null);
  }
  return Promise.all(
    ['positions', 'activity', 'equity-changes', 'equity-summary', 'onboarding-status'].map((key) =>
      queryClient.invalidateQueries({ queryKey: [key, portfolioId] }),
    ),
  );
}
