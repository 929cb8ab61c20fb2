import { z } from 'zod';
import { ACCOUNT_TYPES } from '../../db/schema/enums.ts';

/**
 * The responses of the portfolio endpoints: CRUD (portfolio-service.ts), position details
 * (position-details.ts) and snapshots (portfolio-snapshots.ts).
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

const greeksSchema = z
  .object({
    delta: z.number(),
    gamma: z.number(),
    theta: z.number().describe('Per calendar day'),
    vega: z.number().describe('Per volatility point'),
    underlying_price: z.number(),
    volatility: z.number(),
    risk_free_rate: z.number().describe('The 3-month bill rate used (decimal; 0.04 by default)'),
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
