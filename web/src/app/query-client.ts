import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/errors.ts';

export const ME_QUERY_KEY = ['auth', 'me'] as const;

/**
 * One client for the app. A 401 from any call means the session ended (expired, signed out in
 * another tab): the signed-in user is cleared and the route guard sends the user to sign in.
 */
export function createQueryClient(): QueryClient {
  const onUnauthorized = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401) client.setQueryData(ME_QUERY_KEY, null);
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: onUnauthorized }),
    mutationCache: new MutationCache({ onError: onUnauthorized }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // Client errors (404, 422, …) will not change on a retry; network and 5xx might.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      },
    },
  });
  return client;
}
