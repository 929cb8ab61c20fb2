import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../client.ts';

/** GET /symbols/{symbol}: profile, last close, the 13 factor betas. */
export function useSymbol(symbol: string) {
  return useQuery({
    queryKey: ['symbol', symbol],
    queryFn: () => unwrap(api.GET('/api/v1/symbols/{symbol}', { params: { path: { symbol } } })),
  });
}

/** GET /symbols/{symbol}/prices from a date (to the last close). */
export function useSymbolPrices(symbol: string, from: string | null) {
  return useQuery({
    queryKey: ['symbol-prices', symbol, from],
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/symbols/{symbol}/prices', {
          params: { path: { symbol }, query: from ? { from } : {} },
        }),
      ),
  });
}
