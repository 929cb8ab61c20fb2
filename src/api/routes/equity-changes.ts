import { Hono } from 'hono';
import { z } from 'zod';
import { isIsoDate } from '../../domain/dates.ts';
import { EQUITY_CHANGE_TYPES } from '../../db/schema/enums.ts';
import { businessToday } from '../../services/portfolios/business-date.ts';
import {
  deleteEquityChange,
  listEquityChanges,
  recordEquityChange,
} from '../../services/portfolios/equity-changes.ts';
import type { AppContext } from '../app-context.ts';
import type { AppEnv } from '../app-env.ts';
import type { RouteDoc } from '../openapi/route-doc.ts';
import { ownedPortfolioParam } from '../owned-portfolio.ts';
import { readJsonBody, uuidParam } from '../request-input.ts';
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
  change_date: z
    .string()
    .refine(isIsoDate, 'expected a calendar date as YYYY-MM-DD')
    .describe('YYYY-MM-DD, not in the future'),
  notes: z.string().max(1000).nullish(),
});

const equityChangeSchema = z.object({
  id: z.uuid(),
  portfolio_id: z.uuid(),
  change_type: z.enum(EQUITY_CHANGE_TYPES),
  amount: z.number(),
  change_date: z.string(),
  notes: z.string().nullable(),
  created_at: z.string(),
});

const nextStep = z.object({ action: z.literal('calculate'), endpoint: z.string() });

const createResponse = equityChangeSchema.extend({
  message: z.string().describe('Says that analytics include it from the next calculation'),
  next_step: nextStep,
});

const listResponse = z.object({
  portfolio_id: z.uuid(),
  equity_changes: z.array(equityChangeSchema),
  summary: z.object({
    count: z.number().int(),
    total_contributions: z.number(),
    total_withdrawals: z.number(),
    net_change: z.number(),
  }),
});

const deleteResponse = z.object({
  id: z.uuid(),
  deleted: z.literal(true),
  message: z.string(),
  next_step: nextStep,
});

export const equityChangesRouteDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/v1/portfolios/{id}/equity-changes',
    tag: 'portfolios',
    summary: 'Record a contribution or withdrawal (analytics include it from the next calculation)',
    auth: 'user',
    body: createBody,
    success: { status: 201, description: 'The recorded change', schema: createResponse },
    errors: { 400: 'ERR_INVALID_ID, ERR_INVALID_JSON' },
  },
  {
    method: 'get',
    path: '/api/v1/portfolios/{id}/equity-changes',
    tag: 'portfolios',
    summary: 'Contributions and withdrawals, oldest first, with totals',
    auth: 'user',
    success: { status: 200, description: 'The changes', schema: listResponse },
    errors: { 400: 'ERR_INVALID_ID' },
  },
  {
    method: 'delete',
    path: '/api/v1/portfolios/{id}/equity-changes/{change_id}',
    tag: 'portfolios',
    summary: 'Delete a contribution or withdrawal (soft delete)',
    auth: 'user',
    success: { status: 200, description: 'Deleted', schema: deleteResponse },
    errors: { 400: 'ERR_INVALID_ID', 404: 'ERR_PORTFOLIO_NOT_FOUND, ERR_EQUITY_CHANGE_NOT_FOUND' },
  },
];

/** /portfolios/{id}/equity-changes: contributions and withdrawals. */
export function equityChangesRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/portfolios/:id/equity-changes', async (c) => {
    // Ownership first: someone else's id is a 404 whatever the body says.
    const portfolio = await ownedPortfolioParam(c);
    const body = await readJsonBody(c, createBody);
    const created = outcomeValue(
      await recordEquityChange(c.get('database').db, {
        portfolioId: portfolio.id,
        changeType: body.change_type,
        amount: body.amount,
        changeDate: body.change_date,
        notes: body.notes?.trim() || null,
        today: businessToday(ctx.now()),
      }),
    );
    return c.json(created, 201);
  });

  app.get('/portfolios/:id/equity-changes', async (c) => {
    const portfolio = await ownedPortfolioParam(c);
    return c.json(await listEquityChanges(c.get('database').db, portfolio.id));
  });

  app.delete('/portfolios/:id/equity-changes/:change_id', async (c) => {
    const portfolio = await ownedPortfolioParam(c);
    const changeId = uuidParam(c, 'change_id');
    return c.json(
      outcomeValue(await deleteEquityChange(c.get('database').db, portfolio.id, changeId)),
    );
  });

  return app;
}
