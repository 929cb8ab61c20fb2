import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../client.ts';

/**
 * Custom stress scenarios (API.md: POST/GET/DELETE /stress-scenarios). Not in the OpenAPI
 * document of this server build yet, so typed here from API.md; a server without the routes
 * answers 404 and the card says the feature is not available.
 */
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

export interface CustomScenario {
  id: string;
  name: string;
  description: string | null;
  shocks: Partial<Record<ScenarioFactor, number>> | null;
  window: { start: string; end: string } | null;
  created_at?: string;
}

export interface NewCustomScenario {
  name: string;
  description?: string;
  shocks?: Partial<Record<ScenarioFactor, number>>;
  window?: { start: string; end: string };
}

const KEY = ['custom-scenarios'] as const;

/** The list may come bare or wrapped; both are read. */
function scenariosOf(body: unknown): CustomScenario[] {
  if (Array.isArray(body)) return body as CustomScenario[];
  const wrapped = (body as { scenarios?: unknown } | null)?.scenarios;
  return Array.isArray(wrapped) ? (wrapped as CustomScenario[]) : [];
}

/** GET /stress-scenarios. */
export function useCustomScenarios() {
  return useQuery({
    queryKey: KEY,
    queryFn: async () => scenariosOf(await apiFetch<unknown>('/api/v1/stress-scenarios')),
  });
}

/** POST /stress-scenarios; the stress results include it from the next calculation. */
export function useCreateCustomScenario() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewCustomScenario) =>
      apiFetch<CustomScenario>('/api/v1/stress-scenarios', {
        method: 'POST',
        body: JSON.stringify(body),
      }),
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
      apiFetch<unknown>(`/api/v1/stress-scenarios/${encodeURIComponent(id)}`, {
        method: 'DELETE',
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: KEY });
      void queryClient.invalidateQueries({ queryKey: ['stress-test'] });
    },
  });
}
