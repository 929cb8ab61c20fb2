import { z } from 'zod';
import { BATCH_STATUSES } from '../../db/schema/enums.ts';
import {
  currentPhaseProgressSchema,
  overallProgressSchema,
  phaseSchema,
  runErrorSchema,
} from '../batch-runs/schemas.ts';

/** The onboarding status responses, built by the services in this folder. */

export const onboardingStatusSchema = z.object({
  portfolio_id: z.uuid(),
  batch_run_id: z.uuid().nullable(),
  status: z.enum(['not_found', ...BATCH_STATUSES]),
  mode: z.string().nullable(),
  started_at: z.string().nullable(),
  elapsed_seconds: z.number().nullable(),
  overall_progress: overallProgressSchema,
  current_phase_progress: currentPhaseProgressSchema,
  phases: z.array(phaseSchema),
  activity_log: z.array(
    z.object({
      timestamp: z.string(),
      message: z.string(),
      level: z.enum(['info', 'warning', 'error']),
    }),
  ),
  errors: z.array(runErrorSchema),
});

export const portfolioBatchStatusSchema = z.object({
  status: z.enum(BATCH_STATUSES),
  batch_run_id: z.uuid(),
  portfolio_id: z.uuid(),
  started_at: z.string().nullable(),
  elapsed_seconds: z.number().nullable(),
  triggered_by: z.string(),
});

/** API.md's onboarding status response. */
export type OnboardingStatusView = z.infer<typeof onboardingStatusSchema>;
export type PortfolioBatchStatusView = z.infer<typeof portfolioBatchStatusSchema>;
