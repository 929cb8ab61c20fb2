import { z } from 'zod';

/**
 * The parts of a batch run's progress that the onboarding status and the admin views both
 * answer with (one definition: the services build these shapes, the routes document them).
 */

export const phaseSchema = z.object({
  phase_id: z.string(),
  phase_name: z.string(),
  status: z.enum(['pending', 'running', 'completed', 'failed', 'skipped']),
  current: z.number(),
  total: z.number(),
  unit: z.string(),
  duration_seconds: z.number().nullable(),
});

/** Skipped phases count as done; the running phase gets partial credit (current/total). */
export const overallProgressSchema = z.object({
  current_phase: z.string().nullable(),
  current_phase_name: z.string().nullable(),
  phases_completed: z.number().int(),
  phases_total: z.number().int(),
  percent_complete: z.number(),
});

export const currentPhaseProgressSchema = z
  .object({ current: z.number(), total: z.number(), unit: z.string() })
  .nullable();

export const runErrorSchema = z.object({
  symbol: z.string().optional(),
  portfolio_id: z.string().optional(),
  phase: z.string(),
  code: z.string(),
  message: z.string(),
});

/**
 * One line of a run's activity log. The onboarding status writes its fields in this order (as
 * API.md does); the admin run log writes level before message.
 */
export const activityLogEntrySchema = z.object({
  timestamp: z.string(),
  message: z.string(),
  level: z.enum(['info', 'warning', 'error']),
});

export type PhaseView = z.infer<typeof phaseSchema>;
export type OverallProgress = z.infer<typeof overallProgressSchema>;
