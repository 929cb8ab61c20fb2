import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../client.ts';
import type { BatchRun } from '../types.ts';

export interface BatchHistoryFilters {
  days: number;
  status: BatchRun['status'] | null;
  jobType: BatchRun['job_type'] | null;
}

/** GET /admin/batch/history. */
export function useBatchHistory(filters: BatchHistoryFilters) {
  return useQuery({
    queryKey: ['admin', 'history', filters],
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/admin/batch/history', {
          params: {
            query: {
              days: filters.days,
              limit: 100,
              ...(filters.status ? { status: filters.status } : {}),
              ...(filters.jobType ? { job_type: filters.jobType } : {}),
            },
          },
        }),
      ),
  });
}

/** GET /admin/batch/history/summary. */
export function useBatchSummary(days: number, jobType: BatchRun['job_type'] | null) {
  return useQuery({
    queryKey: ['admin', 'summary', days, jobType],
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/admin/batch/history/summary', {
          params: { query: { days, ...(jobType ? { job_type: jobType } : {}) } },
        }),
      ),
  });
}

/** GET /admin/batch/history/{id}: one run with its phases and error summary. */
export function useBatchRun(id: string | null) {
  return useQuery({
    queryKey: ['admin', 'run', id],
    enabled: id !== null,
    queryFn: () =>
      unwrap(api.GET('/api/v1/admin/batch/history/{id}', { params: { path: { id: id! } } })),
  });
}

/** GET /admin/batch/history/{id}/logs: the run with its activity log (downloaded as JSON). */
export function fetchBatchRunLogs(id: string) {
  return unwrap(api.GET('/api/v1/admin/batch/history/{id}/logs', { params: { path: { id } } }));
}

/** GET /admin/batch/run/current, refreshed every 2 s while the page is open. */
export function useCurrentRuns() {
  return useQuery({
    queryKey: ['admin', 'current'],
    refetchInterval: 2000,
    queryFn: () => unwrap(api.GET('/api/v1/admin/batch/run/current')),
  });
}

/** POST /admin/batch/run (409 when that job is already running). */
export function useRunBatch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (type: 'symbol_batch' | 'portfolio_refresh') =>
      unwrap(api.POST('/api/v1/admin/batch/run', { params: { query: { type } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin'] }),
  });
}

/** GET /admin/metrics: onboarding per day. */
export function useAdminMetrics(days: number) {
  return useQuery({
    queryKey: ['admin', 'metrics', days],
    queryFn: () => unwrap(api.GET('/api/v1/admin/metrics', { params: { query: { days } } })),
  });
}

/** GET /admin/cache/health. */
export function useCacheHealth() {
  return useQuery({
    queryKey: ['admin', 'cache'],
    refetchInterval: 10_000,
    queryFn: () => unwrap(api.GET('/api/v1/admin/cache/health')),
  });
}
