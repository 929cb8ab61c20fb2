import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ME_QUERY_KEY } from '../../app/query-client.ts';
import { clearUploadSession } from '../../features/upload/upload-session.ts';
import { api, unwrap } from '../client.ts';
import { ApiError } from '../errors.ts';
import type { User } from '../types.ts';

/** GET /auth/me: the signed-in user, or null when there is no valid session. */
export function useMe() {
  return useQuery({
    queryKey: ME_QUERY_KEY,
    queryFn: async (): Promise<User | null> => {
      try {
        return await unwrap(api.GET('/api/v1/auth/me'));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

/** POST /auth/login: sets the session cookie; the user is cached for the route guard. */
export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      unwrap(api.POST('/api/v1/auth/login', { body })),
    onSuccess: (session) => {
      // Another user's cached data must never show: start from an empty cache.
      queryClient.clear();
      queryClient.setQueryData(ME_QUERY_KEY, session.user);
    },
  });
}

/** POST /auth/register. */
export function useRegister() {
  return useMutation({
    mutationFn: (body: { email: string; password: string; full_name: string | null }) =>
      unwrap(api.POST('/api/v1/auth/register', { body })),
  });
}

/** POST /auth/logout: revokes the session; the browser's upload session goes with it. */
export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await unwrap(api.POST('/api/v1/auth/logout'));
      } catch (error) {
        // Already signed out (expired session): that is what the user asked for.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
    },
    onSuccess: () => {
      clearUploadSession();
      queryClient.clear();
      queryClient.setQueryData(ME_QUERY_KEY, null);
    },
  });
}
