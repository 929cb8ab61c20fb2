import { z } from 'zod';

/** The responses of the custom stress-scenario endpoints (built by custom-scenarios.ts). */

export const scenarioSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  custom: z.literal(true),
  category: z.literal('custom'),
  severity: z.string(),
  shocks: z.record(z.string(), z.number()).nullable().describe('As given; null for a window'),
  window: z
    .object({ start: z.string(), end: z.string() })
    .nullable()
    .describe('Snapped to the first and last stored sessions inside the window asked for'),
  factor_moves: z
    .record(z.string(), z.number())
    .describe('The factor-series moves it resolves to (Rates as the TLT return)'),
  created_at: z.string(),
});

export const listSchema = z.object({
  scenarios: z.array(scenarioSchema),
  limit: z.number().int().describe('How many scenarios a user may keep'),
});

export const deleteSchema = z.object({ id: z.uuid(), deleted: z.literal(true) });

export type CustomScenarioView = z.infer<typeof scenarioSchema>;
export type CustomScenarioList = z.infer<typeof listSchema>;
export type CustomScenarioDeleted = z.infer<typeof deleteSchema>;
