import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, downloadFromApi, unwrap } from '../client.ts';
import type { OnboardingStatus } from '../types.ts';
import { afterBookChange, statusKey } from './after-change.ts';
import { positionsQuery } from './portfolio-data.ts';

/**
 * Managing a book after onboarding: its lots (every lot, sold ones too), the changes (add,
 * correct, sell, remove, import), the audit trail, and the calculation each change queues.
 */

/** The lots of a portfolio as entered: open and sold (the same query as "show closed"). */
export function useLots(portfolioId: string) {
  return useQuery(positionsQuery(portfolioId, true));
}

/** A lot as the add form sends it: the CSV's columns, strings checked by the API's row rules. */
export interface NewLot {
  symbol: string;
  quantity: string;
  entry_price: string;
  entry_date: string;
  notes?: string | null;
}

export interface LotCorrection {
  quantity?: string;
  entry_price?: string;
  entry_date?: string;
  notes?: string | null;
}

export interface LotSale {
  exit_date: string;
  exit_price: string;
  /** Part of the lot; the whole lot when absent. */
  quantity?: string;
}

/** POST /portfolios/{id}/positions: add lots (all or none). */
export function useAddLots(portfolioId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (lots: NewLot[]) =>
      unwrap(
        api.POST('/api/v1/portfolios/{id}/positions', {
          params: { path: { id: portfolioId } },
          body: lots,
        }),
      ),
    onSuccess: (data) => afterBookChange(queryClient, portfolioId, data.calculation),
  });
}

/** PUT /positions/{id}: correct quantity, entry price, entry date, notes. */
export function useCorrectLot(portfolioId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: LotCorrection }) =>
      unwrap(api.PUT('/api/v1/positions/{id}', { params: { path: { id } }, body: patch })),
    onSuccess: (data) => afterBookChange(queryClient, portfolioId, data.calculation),
  });
}

/** POST /positions/{id}/close: sell all or part of a lot; the answer has the realized P&L. */
export function useSellLot(portfolioId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, sale }: { id: string; sale: LotSale }) =>
      unwrap(api.POST('/api/v1/positions/{id}/close', { params: { path: { id } }, body: sale })),
    onSuccess: (data) => afterBookChange(queryClient, portfolioId, data.calculation),
  });
}

/** DELETE /positions/{id}: remove a lot entered in error. */
export function useRemoveLot(portfolioId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/positions/{id}', { params: { path: { id } } })),
    onSuccess: (data) => afterBookChange(queryClient, portfolioId, data.calculation),
  });
}

/** POST /portfolios/{id}/positions/import: append a CSV's lots; `dryRun` checks and writes nothing. */
export function useImportLots(portfolioId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }) => {
      const form = new FormData();
      form.set('csv_file', file, file.name);
      return unwrap(
        api.POST('/api/v1/portfolios/{id}/positions/import', {
          params: { path: { id: portfolioId }, query: { dry_run: dryRun ? 'true' : 'false' } },
          // openapi-fetch sends FormData as is (the browser sets the multipart boundary).
          body: form as never,
        }),
      );
    },
    onSuccess: (data) =>
      data.dry_run ? undefined : afterBookChange(queryClient, portfolioId, data.calculation),
  });
}

/** GET /portfolios/{id}/activity: the audit trail, newest first. */
export const activityQuery = (portfolioId: string) =>
  queryOptions({
    queryKey: ['activity', portfolioId],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/portfolios/{id}/activity', {
          params: { path: { id: portfolioId }, query: { limit: 100 } },
        }),
      ),
  });

export function useActivity(portfolioId: string, enabled = true) {
  return useQuery({ ...activityQuery(portfolioId), enabled });
}

/** GET /portfolios/{id}/equity-changes/summary. */
export function useEquitySummary(portfolioId: string) {
  return useQuery({
    queryKey: ['equity-summary', portfolioId],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/portfolios/{id}/equity-changes/summary', {
          params: { path: { id: portfolioId } },
        }),
      ),
  });
}

/** GET /portfolios/{id}/equity-changes/export: the CSV, saved as the server names it. */
export function useExportEquityChanges(portfolioId: string) {
  return useMutation({
    mutationFn: () =>
      downloadFromApi(
        `/api/v1/portfolios/${encodeURIComponent(portfolioId)}/equity-changes/export`,
        'equity-changes.csv',
      ),
  });
}

/**
 * GET /onboarding/status/{id} for the dashboard: asked once, then every 2 s (as the progress
 * page does) while a calculation is queued or running, or while a change waits for its own.
 */
export function useRecalculationStatus(portfolioId: string, waiting: boolean) {
  return useQuery({
    queryKey: statusKey(portfolioId),
    queryFn: (): Promise<OnboardingStatus> =>
      unwrap(api.GET('/api/v1/onboarding/status/{id}', { params: { path: { id: portfolioId } } })),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return waiting || status === 'queued' || status === 'running' ? 2000 : false;
    },
    retry: false,
    staleTime: 0,
  });
}
