import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../client.ts';

export const PORTFOLIOS_QUERY_KEY = ['portfolios'] as const;

/** GET /data/portfolios: the user's portfolios (deleted ones left out). */
export function usePortfolios() {
  return useQuery({
    queryKey: PORTFOLIOS_QUERY_KEY,
    queryFn: () => unwrap(api.GET('/api/v1/data/portfolios')),
  });
}
