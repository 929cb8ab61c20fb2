import { z } from 'zod';
import { businessToday } from '../../services/portfolios/business-date.ts';
import { latestSnapshot, snapshotHistory } from '../../services/portfolios/portfolio-snapshots.ts';
import { positionDetails } from '../../services/portfolios/position-details.ts';
import { ApiError } from '../api-error.ts';
import { defineRoute, type Route } from '../openapi/define-route.ts';
import { ownedPortfolio, ownedPortfolioParam } from '../owned-portfolio.ts';
import { apiDate } from '../request-input.ts';

const calendarDate = apiDate;

const detailsQuery = z.object({
  portfolio_id: z.string().describe('The portfolio (UUID)'),
  include_closed: z
    .enum(['true', 'false'])
    .optional()
    .describe('`true` lists closed and expired lots too (judged at the calculation date)'),
});

const historyQuery = z.object({
  from: calendarDate.optional().describe('First date (default: the first snapshot)'),
  to: calendarDate.optional().describe('Last date (default: the latest snapshot)'),
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

const detailsResponse = z.object({
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

const snapshotResponse = z.looseObject({
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

const historyResponse = z.object({
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

/** A query-string id must be a UUID like a path id: 400, not a database error. */
function portfolioIdOf(value: string): string {
  if (!z.guid().safeParse(value).success) {
    throw new ApiError(
      400,
      'ERR_INVALID_ID',
      `portfolio_id must be a UUID, got "${value.slice(0, 64)}"`,
    );
  }
  return value.toLowerCase();
}

/** /data: position details, the latest snapshot and the snapshot history of a portfolio. */
export const portfolioDataRoutes: Route[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/data/positions/details',
    tag: 'portfolios',
    summary: 'Positions of a portfolio with marks, company profile and option Greeks',
    auth: 'user',
    query: detailsQuery,
    success: { status: 200, description: 'Positions and totals', schema: detailsResponse },
    errors: { 400: 'ERR_INVALID_ID' },
    handler: async (c, { ctx, query }) => {
      const q = query();
      const portfolio = await ownedPortfolio(c, portfolioIdOf(q.portfolio_id));
      return c.json(
        await positionDetails(c.get('database').db, portfolio.id, businessToday(ctx.now()), {
          includeClosed: q.include_closed === 'true',
        }),
      );
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/data/portfolio/{id}/snapshot',
    tag: 'portfolios',
    summary: 'The latest snapshot (every stored column); available:false before any calculation',
    auth: 'user',
    success: { status: 200, description: 'The snapshot', schema: snapshotResponse },
    errors: { 400: 'ERR_INVALID_ID' },
    handler: async (c) => {
      const portfolio = await ownedPortfolioParam(c);
      return c.json(await latestSnapshot(c.get('database').db, portfolio.id));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/data/portfolio/{id}/history',
    tag: 'portfolios',
    summary: 'Daily snapshots in a date range, oldest first',
    auth: 'user',
    query: historyQuery,
    success: { status: 200, description: 'The snapshots', schema: historyResponse },
    errors: { 400: 'ERR_INVALID_ID' },
    handler: async (c, { query }) => {
      const portfolio = await ownedPortfolioParam(c);
      const q = query();
      const from = q.from ?? '0001-01-01';
      const to = q.to ?? '9999-12-31';
      if (from > to) {
        throw new ApiError(422, 'ERR_VALIDATION', `from (${from}) is after to (${to})`, {
          issues: [{ field: 'from', message: 'must not be after to' }],
        });
      }
      return c.json(await snapshotHistory(c.get('database').db, portfolio.id, from, to));
    },
  }),
];
