import { z } from 'zod';
import { BATCH_STATUSES } from '../../db/schema/enums.ts';
import {
  activityLogEntrySchema,
  currentPhaseProgressSchema,
  overallProgressSchema,
  phaseSchema,
  runErrorSchema,
} from '../batch-runs/schemas.ts';

/**
 * The onboarding responses: the status views, built by the services in this folder, and the
 * answer of `POST /portfolios/{id}/calculate`.
 */

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
  activity_log: z.array(activityLogEntrySchema),
  errors: z.array(runErrorSchema),
});

/** `POST /portfolios/{id}/calculate`: the run was queued. */
export const calculationStartedSchema = z.object({
  portfolio_id: z.uuid(),
  batch_run_id: z.uuid(),
  status: z.literal('started'),
  message: z.string(),
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
