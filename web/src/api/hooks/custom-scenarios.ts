import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../client.ts';
import type { NewCustomScenario } from '../types.ts';

/** The factors a scenario can shock, in the order the stress model lists them (SPEC §6). */
export const SCENARIO_FACTORS = [
  'Market',
  'Value',
  'Growth',
  'Momentum',
  'Quality',
  'Size',
  'Low Volatility',
  'Rates',
] as const;
export type ScenarioFactor = (typeof SCENARIO_FACTORS)[number];

const KEY = ['custom-scenarios'] as const;

/** GET /stress-scenarios: the user's own scenarios, oldest first. */
export function useCustomScenarios() {
  return useQuery({
    queryKey: KEY,
    queryFn: async () => (await unwrap(api.GET('/api/v1/stress-scenarios'))).scenarios,
  });
}

/**
 * POST /stress-scenarios. The stress tests evaluate it at once with each portfolio's stored
 * model, so the stress answers are refetched.
 */
export function useCreateCustomScenario() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewCustomScenario) => unwrap(api.POST('/api/v1/stress-scenarios', { body })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: KEY });
      void queryClient.invalidateQueries({ queryKey: ['stress-test'] });
    },
  });
}

/** DELETE /stress-scenarios/{id}. */
export function useDeleteCustomScenario() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/stress-scenarios/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: KEY });
      void queryClient.invalidateQueries({ queryKey: ['stress-test'] });
    },
  });
}
