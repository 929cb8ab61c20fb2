import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../client.ts';
import type { AccountType, OnboardingStatus } from '../types.ts';
import { PORTFOLIOS_QUERY_KEY } from './portfolios.ts';

function csvForm(file: File, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set('csv_file', file, file.name);
  return form;
}

/** POST /onboarding/validate-csv: the dry run (parsed rows and every error); writes nothing. */
export function useValidateCsv() {
  return useMutation({
    mutationFn: (file: File) =>
      unwrap(
        api.POST('/api/v1/onboarding/validate-csv', {
          // openapi-fetch sends FormData as is (the browser sets the multipart boundary).
          body: csvForm(file) as never,
        }),
      ),
  });
}

export interface CreatePortfolioInput {
  portfolio_name: string;
  account_name: string;
  account_type: AccountType;
  equity_balance: string;
  description: string;
  file: File;
}

/** POST /onboarding/create-portfolio. */
export function useCreatePortfolio() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, description, ...fields }: CreatePortfolioInput) =>
      unwrap(
        api.POST('/api/v1/onboarding/create-portfolio', {
          body: csvForm(file, { ...fields, ...(description ? { description } : {}) }) as never,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: PORTFOLIOS_QUERY_KEY }),
  });
}

/** POST /portfolios/{id}/calculate: starts a calculation (409 when one already runs). */
export function useCalculate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ portfolioId, mode }: { portfolioId: string; mode?: 'fast' | 'full' }) =>
      unwrap(
        api.POST('/api/v1/portfolios/{id}/calculate', {
          params: { path: { id: portfolioId }, query: mode ? { mode } : {} },
        }),
      ),
    onSuccess: (_data, { portfolioId }) =>
      queryClient.invalidateQueries({ queryKey: ['onboarding-status', portfolioId] }),
  });
}

/**
 * GET /onboarding/status/{id}, polled every `intervalMs` while `poll` holds (the progress
 * state machine decides). Errors are kept as results for the machine, not retried here.
 */
export function useOnboardingStatus(portfolioId: string, poll: boolean, intervalMs = 2000) {
  return useQuery({
    queryKey: ['onboarding-status', portfolioId],
    queryFn: (): Promise<OnboardingStatus> =>
      unwrap(api.GET('/api/v1/onboarding/status/{id}', { params: { path: { id: portfolioId } } })),
    refetchInterval: poll ? intervalMs : false,
    refetchIntervalInBackground: true,
    retry: false,
    staleTime: 0,
    gcTime: 0,
  });
}
