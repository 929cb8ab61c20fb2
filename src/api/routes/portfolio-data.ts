import { z } from 'zod';
import { businessToday } from '../../services/portfolios/business-date.ts';
import { latestSnapshot, snapshotHistory } from '../../services/portfolios/portfolio-snapshots.ts';
import { positionDetails } from '../../services/portfolios/position-details.ts';
import {
  detailsResponse,
  historyResponse,
  snapshotResponse,
} from '../../services/portfolios/schemas.ts';
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
