import {
  queryOptions,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
  type UseQueryResult,
} from '@tanstack/react-query';
import { combineHistories } from '../../lib/history.ts';
import { api, unwrap } from '../client.ts';
import { afterBookChange } from './after-change.ts';
import type { HistoryPoint, PositionDetail } from '../types.ts';
import { combineResults } from './combine.ts';

const path = (id: string) => ({ params: { path: { id } } });

/** GET /data/portfolio/{id}/snapshot: the latest snapshot (data-quality notices). */
export const snapshotQuery = (portfolioId: string) =>
  queryOptions({
    queryKey: ['snapshot', portfolioId],
    queryFn: () => unwrap(api.GET('/api/v1/data/portfolio/{id}/snapshot', path(portfolioId))),
  });

export function useSnapshot(portfolioId: string | null) {
  return useQuery({ ...snapshotQuery(portfolioId ?? ''), enabled: portfolioId !== null });
}

/** GET /data/portfolio/{id}/history. */
export const historyQuery = (portfolioId: string) =>
  queryOptions({
    queryKey: ['history', portfolioId],
    queryFn: () => unwrap(api.GET('/api/v1/data/portfolio/{id}/history', path(portfolioId))),
  });

const mergeHistories = (results: UseQueryResult<{ snapshots: HistoryPoint[] }>[]) =>
  combineResults(results, (data) => combineHistories(data.map((d) => d.snapshots)));

/**
 * GET /data/portfolio/{id}/history of one portfolio, or of every portfolio summed on the days
 * all of them have (All accounts).
 */
export function useHistory(portfolioIds: string[]) {
  return useQueries({
    queries: portfolioIds.map(historyQuery),
    combine: mergeHistories,
  });
}

type PositionsResult = UseQueryResult<{ positions: PositionDetail[] }>;
const mergePositions = (results: PositionsResult[]) =>
  combineResults(results, (data) => data.flatMap((d) => d.positions));

/**
 * GET /data/positions/details of several portfolios, as one list: the lots held on each
 * portfolio's calculation date, closed and expired ones too with `include_closed=true`.
 */
export const positionsQuery = (portfolioId: string, includeClosed: boolean) =>
  queryOptions({
    queryKey: ['positions', portfolioId, includeClosed],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/data/positions/details', {
          params: {
            query: { portfolio_id: portfolioId, include_closed: includeClosed ? 'true' : 'false' },
          },
        }),
      ),
  });

export function usePositions(portfolioIds: string[], includeClosed: boolean) {
  return useQueries({
    combine: mergePositions,
    queries: portfolioIds.map((id) => positionsQuery(id, includeClosed)),
  });
}

/** GET /portfolios/{id}/equity-changes. */
export const equityChangesQuery = (portfolioId: string) =>
  queryOptions({
    queryKey: ['equity-changes', portfolioId],
    queryFn: () => unwrap(api.GET('/api/v1/portfolios/{id}/equity-changes', path(portfolioId))),
  });

export function useEquityChanges(portfolioId: string | null) {
  return useQuery({ ...equityChangesQuery(portfolioId ?? ''), enabled: portfolioId !== null });
}

export interface NewEquityChange {
  change_type: 'CONTRIBUTION' | 'WITHDRAWAL';
  amount: number;
  change_date: string;
  notes: string | null;
}

/** POST /portfolios/{id}/equity-changes. */
export function useAddEquityChange(portfolioId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewEquityChange) =>
      unwrap(
        api.POST('/api/v1/portfolios/{id}/equity-changes', {
          params: { path: { id: portfolioId } },
          body: body as never,
        }),
      ),
    onSuccess: (data) => afterBookChange(queryClient, portfolioId, data.calculation),
  });
}

/** DELETE /portfolios/{id}/equity-changes/{change_id}. */
export function useDeleteEquityChange(portfolioId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changeId: string) =>
      unwrap(
        api.DELETE('/api/v1/portfolios/{id}/equity-changes/{change_id}', {
          params: { path: { id: portfolioId, change_id: changeId } },
        }),
      ),
    onSuccess: (data) => afterBookChange(queryClient, portfolioId, data.calculation),
  });
}
