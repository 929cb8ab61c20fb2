import { z } from 'zod';
import { ACCOUNT_TYPES, EQUITY_CHANGE_TYPES } from '../../db/schema/enums.ts';
import { calculationRequestSchema } from '../positions/schemas.ts';

/**
 * The responses of the portfolio endpoints: CRUD (portfolio-service.ts), position details
 * (position-details.ts), snapshots (portfolio-snapshots.ts), equity changes
 * (equity-changes.ts) and the onboarding uploads (onboarding-upload.ts).
 */

export const portfolioSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  account_name: z.string(),
  account_type: z.enum(ACCOUNT_TYPES),
  description: z.string().nullable(),
  currency: z.string(),
  is_active: z.boolean(),
  net_asset_value: z
    .number()
    .describe('Latest snapshot NAV; equity_balance before any calculation'),
  total_value: z
    .number()
    .nullable()
    .describe('Market value of the holdings (signed, cash excluded); null before any pricing'),
  equity_balance: z.number(),
  position_count: z.number().int().describe('Positions still open'),
  anchor_date: z.string().nullable(),
  last_calculation_date: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const portfolioDeleteResponse = z.object({
  id: z.uuid(),
  deleted: z.literal(true),
  message: z.string(),
});

const nullableNumber = z.number().nullable();

/** Position Greeks: per-share Greeks × 100 × signed contracts, like the snapshot's totals. */
const greeksSchema = z
  .object({
    delta: z.number(),
    gamma: z.number(),
    theta: z.number().describe('Per calendar day'),
    vega: z.number().describe('Per volatility point'),
    underlying_price: z.number(),
    // Annualised volatility used by the model (decimal).
    volatility: z.number(),
    // The 4% default when no quote was known.
    risk_free_rate: z.number().describe('The 3-month bill rate used (decimal; 0.04 by default)'),
    // Date of the underlying close the Greeks are computed on.
    as_of: z.string(),
  })
  .nullable()
  .describe('Position Greeks (per-share × 100 × contracts) for open options; null otherwise');

const positionDetailSchema = z.object({
  id: z.uuid(),
  portfolio_id: z.uuid(),
  symbol: z.string(),
  company_name: z.string().nullable(),
  sector: z.string().nullable(),
  industry: z.string().nullable(),
  position_type: z.enum(['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP']),
  investment_class: z.enum(['PUBLIC', 'OPTIONS', 'PRIVATE']),
  investment_subtype: z.string().nullable(),
  quantity: z.number(),
  entry_date: z.string(),
  entry_price: z.number(),
  exit_date: z.string().nullable(),
  exit_price: nullableNumber,
  is_open: z.boolean(),
  cost_basis: z.number(),
  current_price: nullableNumber,
  market_value: nullableNumber,
  unrealized_pnl: nullableNumber,
  unrealized_pnl_percent: nullableNumber,
  strike_price: nullableNumber,
  expiration_date: z.string().nullable(),
  underlying_symbol: z.string().nullable(),
  option_type: z.enum(['CALL', 'PUT']).nullable(),
  notes: z.string().nullable().describe("The lot's free-text notes"),
  greeks: greeksSchema,
});

export const detailsResponse = z.object({
  portfolio_id: z.uuid(),
  as_of: z.string().nullable().describe('Date of the marks (the latest calculation)'),
  positions: z.array(positionDetailSchema),
  summary: z.object({
    total_positions: z.number().int().describe('Lots listed'),
    open_positions: z.number().int(),
    closed_positions_hidden: z
      .number()
      .int()
      .describe('Closed or expired lots left out (include_closed=true lists them)'),
    total_cost_basis: z.number(),
    total_market_value: nullableNumber,
    total_unrealized_pnl: nullableNumber,
  }),
});

export const snapshotResponse = z.looseObject({
  portfolio_id: z.uuid(),
  available: z.boolean(),
  reason: z.string().nullable(),
  snapshot_date: z.string().nullable(),
  net_asset_value: nullableNumber,
  daily_pnl: nullableNumber,
  daily_return: nullableNumber,
  cumulative_pnl: nullableNumber,
  beta_calculated_90d: nullableNumber,
  beta_provider_1y: nullableNumber,
  is_complete: z.boolean(),
});

export const historyResponse = z.object({
  portfolio_id: z.uuid(),
  snapshots: z.array(
    z.object({
      date: z.string(),
      net_asset_value: z.number(),
      daily_pnl: z.number(),
      daily_return: z.number(),
      cumulative_pnl: z.number(),
      gross_exposure: z.number(),
      net_exposure: z.number(),
      is_complete: z.boolean(),
    }),
  ),
});

/** What to do after a change that the stored history does not reflect yet. */
const nextStepSchema = z.object({ action: z.literal('calculate'), endpoint: z.string() });

export const equityChangeSchema = z.object({
  id: z.uuid(),
  portfolio_id: z.uuid(),
  change_type: z.enum(EQUITY_CHANGE_TYPES),
  amount: z.number(),
  change_date: z.string(),
  notes: z.string().nullable(),
  created_at: z.string(),
});

export const equityChangeCreateResponse = equityChangeSchema.extend({
  message: z.string().describe('Says that history is restated from its date'),
  next_step: nextStepSchema,
  calculation: calculationRequestSchema,
});

export const equityChangeListResponse = z.object({
  portfolio_id: z.uuid(),
  equity_changes: z.array(equityChangeSchema),
  summary: z.object({
    count: z.number().int(),
    total_contributions: z.number(),
    total_withdrawals: z.number(),
    net_change: z.number(),
  }),
});

export const equityChangeDeleteResponse = z.object({
  id: z.uuid(),
  deleted: z.literal(true),
  message: z.string(),
  next_step: nextStepSchema,
  calculation: calculationRequestSchema,
});

const flows = z.object({
  count: z.number().int(),
  contributions: z.number(),
  withdrawals: z.number(),
  net_flow: z.number(),
});

export const equityChangeSummaryResponse = z.object({
  portfolio_id: z.uuid(),
  count: z.number().int(),
  total_contributions: z.number(),
  total_withdrawals: z.number(),
  net_flow: z.number().describe('Contributions − withdrawals'),
  periods: z
    .object({
      '30d': flows.extend({ from: z.string(), to: z.string() }),
      '90d': flows.extend({ from: z.string(), to: z.string() }),
    })
    .describe('The last 30 and 90 calendar days by change date, up to today'),
  last_change: equityChangeSchema.nullable(),
});

const uploadError = z.object({
  row: z
    .number()
    .int()
    .nullable()
    .describe('Physical line of the file; null for the file or a form field'),
  symbol: z.string().nullable(),
  code: z.string().describe('ERR_CSV_*, ERR_POS_* or ERR_PORT_*'),
  message: z.string(),
  field: z.string().nullable().describe('CSV column header or form field'),
});

const parsedPosition = z.object({
  row: z.number().int(),
  symbol: z.string(),
  position_type: z.enum(['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP']),
  quantity: z.number(),
  entry_price: z.number(),
  entry_date: z.string(),
  investment_class: z.enum(['PUBLIC', 'OPTIONS', 'PRIVATE']),
  investment_subtype: z.string().nullable(),
  underlying_symbol: z.string().nullable(),
  strike_price: z.number().nullable(),
  expiration_date: z.string().nullable(),
  option_type: z.enum(['CALL', 'PUT']).nullable(),
  exit_date: z.string().nullable(),
  exit_price: z.number().nullable(),
});

/** `POST /onboarding/validate-csv` (validationBody). */
export const csvValidationResponse = z.object({
  valid: z.boolean(),
  positions: z
    .array(parsedPosition)
    .describe('The first 200 parsed positions (a preview); total_positions counts them all'),
  total_positions: z.number().int().describe('Positions the file holds without errors'),
  errors: z.array(uploadError).describe('The first 500 errors; total_errors counts them all'),
  total_errors: z.number().int(),
  truncated: z.boolean().describe('True when positions or errors were cut to their preview'),
});

/** `POST /onboarding/create-portfolio`. */
export const uploadCreateResponse = z.object({
  portfolio_id: z.uuid(),
  portfolio_name: z.string(),
  account_name: z.string(),
  account_type: z.enum(ACCOUNT_TYPES),
  equity_balance: z.number(),
  positions_imported: z.number().int(),
  positions_failed: z.number().int(),
  total_positions: z.number().int(),
  message: z.string(),
  next_step: nextStepSchema,
});

export type PortfolioBody = z.infer<typeof portfolioSchema>;
export type PortfolioDeleted = z.infer<typeof portfolioDeleteResponse>;
export type PositionGreeks = NonNullable<z.infer<typeof greeksSchema>>;
