import { z } from 'zod';
import { EQUITY_CHANGE_TYPES } from '../../db/schema/enums.ts';
import { businessToday } from '../../services/portfolios/business-date.ts';
import {
  deleteEquityChange,
  equityChangesCsv,
  equityChangeSummary,
  listEquityChanges,
  recordEquityChange,
} from '../../services/portfolios/equity-changes.ts';
import {
  equityChangeCreateResponse,
  equityChangeDeleteResponse,
  equityChangeListResponse,
  equityChangeSummaryResponse,
} from '../../services/portfolios/schemas.ts';
import { requestCalculation } from '../../services/positions/recalculation.ts';
import { defineRoute, type Route } from '../openapi/define-route.ts';
import { ownedPortfolioParam } from '../owned-portfolio.ts';
import { apiDate, uuidParam } from '../request-input.ts';
import { outcomeValue } from './portfolios.ts';

/** SPEC §2's cap on a portfolio's equity; one cash movement cannot be larger either. */
const MAX_AMOUNT = 1e12;

const createBody = z.object({
  change_type: z.enum(EQUITY_CHANGE_TYPES),
  amount: z
    .number()
    .positive()
    .max(MAX_AMOUNT)
    // The column holds cents: 0.004 would be stored as 0 and break "amount > 0".
    .refine((v) => Math.round(v * 100) >= 1, 'must be at least 0.01')
    .describe('Dollars, > 0 (stored to the cent)'),
  change_date: apiDate.describe('YYYY-MM-DD, not in the future'),
  notes: z.string().max(1000).nullish(),
});

/** /portfolios/{id}/equity-changes: contributions and withdrawals. */
export const equityChangesRoutes: Route[] = [
  defineRoute({
    method: 'post',
    path: '/api/v1/portfolios/{id}/equity-changes',
    tag: 'portfolios',
    summary:
      'Record a contribution or withdrawal; history is restated from its date by the calculation it queues',
    auth: 'user',
    body: createBody,
    success: {
      status: 201,
      description: 'The recorded change',
      schema: equityChangeCreateResponse,
    },
    errors: { 400: 'ERR_INVALID_ID, ERR_INVALID_JSON' },
    handler: async (c, { ctx, body }) => {
      // Ownership first: someone else's id is a 404 whatever the body says.
      const portfolio = await ownedPortfolioParam(c);
      const input = await body();
      const db = c.get('database').db;
      const user = c.get('user');
      const created = outcomeValue(
        await recordEquityChange(db, {
          portfolio,
          userId: user.id,
          changeType: input.change_type,
          amount: input.amount,
          changeDate: input.change_date,
          notes: input.notes?.trim() || null,
          today: businessToday(ctx.now()),
        }),
      );
      const calculation = await requestCalculation(
        db,
        ctx.getJobs(),
        portfolio.id,
        `user:${user.email}`,
        created.restated,
      );
      return c.json({ ...created.body, calculation }, 201);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/portfolios/{id}/equity-changes',
    tag: 'portfolios',
    summary: 'Contributions and withdrawals, oldest first, with totals',
    auth: 'user',
    success: { status: 200, description: 'The changes', schema: equityChangeListResponse },
    errors: { 400: 'ERR_INVALID_ID' },
    handler: async (c) => {
      const portfolio = await ownedPortfolioParam(c);
      return c.json(await listEquityChanges(c.get('database').db, portfolio.id));
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/portfolios/{id}/equity-changes/{change_id}',
    tag: 'portfolios',
    summary: 'Delete a contribution or withdrawal (soft delete); history is restated',
    auth: 'user',
    success: { status: 200, description: 'Deleted', schema: equityChangeDeleteResponse },
    errors: { 400: 'ERR_INVALID_ID', 404: 'ERR_PORTFOLIO_NOT_FOUND, ERR_EQUITY_CHANGE_NOT_FOUND' },
    handler: async (c, { ctx }) => {
      const portfolio = await ownedPortfolioParam(c);
      const changeId = uuidParam(c, 'change_id');
      const db = c.get('database').db;
      const user = c.get('user');
      const deleted = outcomeValue(
        await deleteEquityChange(db, { portfolio, userId: user.id, changeId }),
      );
      const calculation = await requestCalculation(
        db,
        ctx.getJobs(),
        portfolio.id,
        `user:${user.email}`,
        deleted.restated,
      );
      return c.json({ ...deleted.body, calculation });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/portfolios/{id}/equity-changes/summary',
    tag: 'portfolios',
    summary:
      'Total contributions, withdrawals and net flow; the last 30 and 90 days; the last change',
    auth: 'user',
    success: { status: 200, description: 'The summary', schema: equityChangeSummaryResponse },
    errors: { 400: 'ERR_INVALID_ID' },
    handler: async (c, { ctx }) => {
      const portfolio = await ownedPortfolioParam(c);
      return c.json(
        await equityChangeSummary(c.get('database').db, portfolio.id, businessToday(ctx.now())),
      );
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/portfolios/{id}/equity-changes/export',
    tag: 'portfolios',
    summary: 'The contributions and withdrawals as a CSV download',
    auth: 'user',
    success: {
      status: 200,
      description: 'date,type,amount,notes,recorded_at',
      contentType: 'text/csv',
    },
    errors: { 400: 'ERR_INVALID_ID' },
    handler: async (c) => {
      const portfolio = await ownedPortfolioParam(c);
      const file = await equityChangesCsv(c.get('database').db, portfolio);
      return c.body(file.body, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${file.filename}"`,
      });
    },
  }),
];
