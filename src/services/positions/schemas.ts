import { z } from 'zod';

/**
 * The responses of the lot-management endpoints (manage-lots.ts, lot-body.ts), the audit trail
 * (activity.ts) and the calculation request every change to a book answers with
 * (recalculation.ts; the equity-change endpoints answer it too).
 */

/** A book changed: how its history is restated (API.md: each change enqueues a calculation). */
export const calculationRequestSchema = z
  .object({
    status: z
      .enum(['queued', 'coalesced', 'not_started'])
      .describe(
        'queued: a calculation was queued; coalesced: one was already live, another follows it; not_started: no job queue here (the nightly refresh restates it)',
      ),
    batch_run_id: z.uuid().nullable(),
    restate_from: z
      .string()
      .nullable()
      .describe('First stored day restated; null when every stored day is (or none exists)'),
    days_marked: z.number().int().describe('Stored days marked for recalculation'),
  })
  .describe('The calculation that restates history after the change');

export const lotResponse = z.object({
  id: z.uuid(),
  portfolio_id: z.uuid(),
  symbol: z.string(),
  position_type: z.enum(['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP']),
  investment_class: z.enum(['PUBLIC', 'OPTIONS', 'PRIVATE']),
  investment_subtype: z.string().nullable(),
  quantity: z.number(),
  entry_price: z.number(),
  entry_date: z.string(),
  exit_date: z.string().nullable(),
  exit_price: z.number().nullable(),
  underlying_symbol: z.string().nullable(),
  strike_price: z.number().nullable(),
  expiration_date: z.string().nullable(),
  option_type: z.enum(['CALL', 'PUT']).nullable(),
  notes: z.string().nullable(),
  split_from_position_id: z.uuid().nullable().describe('The sold part of a partial close'),
  is_open: z.boolean(),
  realized_pnl: z
    .number()
    .nullable()
    .describe('(exit − entry) × quantity × multiplier once sold; never added to NAV again'),
});

export const changeResponse = z.object({
  positions: z.array(lotResponse),
  calculation: calculationRequestSchema,
});

export const importResponse = z.object({
  dry_run: z.boolean(),
  valid: z.boolean(),
  positions: z.array(z.record(z.string(), z.unknown())).describe('The parsed rows'),
  errors: z.array(z.record(z.string(), z.unknown())),
  total_errors: z.number().int(),
  imported: z.array(lotResponse).describe('The lots written (empty on a dry run)'),
  calculation: calculationRequestSchema.nullable(),
});

export const closeResponse = changeResponse.extend({
  closed: lotResponse.describe('The sold lot (the new one of a partial close)'),
  remaining: lotResponse.nullable().describe('What stays open after a partial close'),
  realized_pnl: z.number(),
});

export const activityResponse = z.object({
  portfolio_id: z.uuid(),
  entries: z.array(
    z.object({
      id: z.uuid(),
      timestamp: z.string(),
      user: z.string().nullable(),
      action: z
        .string()
        .describe(
          'position.added|imported|updated|closed|deleted, equity_change.added|deleted, calculation',
        ),
      entity: z.string(),
      entity_id: z.uuid().nullable(),
      before: z.unknown(),
      after: z.unknown(),
    }),
  ),
  next_before: z.string().nullable(),
});
