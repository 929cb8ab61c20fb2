import type { UseQueryResult } from '@tanstack/react-query';

/** Several queries as one card sees them: data once all succeeded, the first error otherwise. */
export interface CombinedQuery<T> {
  data: T | undefined;
  isPending: boolean;
  isError: boolean;
  error: unknown;
  isFetching: boolean;
  refetch: () => void;
}

/** Combines several results with `merge` (TanStack memoizes it while the inputs are unchanged). */
export function combineResults<R, T>(
  results: UseQueryResult<R>[],
  merge: (data: R[]) => T,
): CombinedQuery<T> {
  const failed = results.find((r) => r.isError);
  const pending = results.some((r) => r.isPending);
  return {
    data: pending || failed ? undefined : merge(results.map((r) => r.data as R)),
    isPending: pending,
    isError: Boolean(failed),
    error: failed?.error ?? null,
    isFetching: results.some((r) => r.isFetching),
    refetch: () => results.forEach((r) => void r.refetch()),
  };
}
