import type { Context } from 'hono';
import { z } from 'zod';
import { businessToday } from '../../services/portfolios/business-date.ts';
import {
  CSV_FIELD,
  missingFileError,
  validationBody,
} from '../../services/portfolios/onboarding-upload.ts';
import { portfolioActivity } from '../../services/positions/activity.ts';
import {
  addLots,
  closeLot,
  deleteLot,
  importLots,
  updateLot,
} from '../../services/positions/manage-lots.ts';
import { findOwnedLot } from '../../services/positions/owned-lot.ts';
import { requestCalculation } from '../../services/positions/recalculation.ts';
import {
  activityResponse,
  changeResponse,
  closeResponse,
  importResponse,
} from '../../services/positions/schemas.ts';
import { ApiError } from '../api-error.ts';
import type { AppContext } from '../app-context.ts';
import type { AppEnv } from '../app-env.ts';
import { readMultipartForm } from '../multipart-form.ts';
import { defineRoute, type Route } from '../openapi/define-route.ts';
import { ownedPortfolioParam } from '../owned-portfolio.ts';
import { apiDate, uuidParam } from '../request-input.ts';
import { outcomeValue } from './portfolios.ts';

const decimal = z.union([z.number(), z.string()]);
const calendarDate = apiDate;

/** The CSV's columns as JSON fields; the rules are the CSV's (validated by the service). */
const lotSchema = z
  .object({
    symbol: z.string().describe('Ticker, or an OCC option symbol'),
    quantity: decimal.describe('Signed: negative for a short'),
    entry_price: decimal,
    entry_date: z.string().describe('YYYY-MM-DD'),
    investment_class: z.string().nullish(),
    investment_subtype: z.string().nullish(),
    underlying_symbol: z.string().nullish(),
    strike_price: decimal.nullish(),
    expiration_date: z.string().nullish(),
    option_type: z.string().nullish(),
    exit_date: z.string().nullish(),
    exit_price: decimal.nullish(),
    notes: z.string().nullish(),
  })
  .describe('A lot: the fields, rules and error codes of a CSV row (SPEC §2)');

const addBody = z.array(lotSchema).min(1, 'send at least one lot').max(1000);

const importQuery = z.object({
  dry_run: z
    .enum(['true', 'false'])
    .optional()
    .describe('`true`: check the file and report what would be imported; write nothing'),
});

// Symbol and option terms are not editable: a lot of another instrument is another lot.
const updateBody = z
  .strictObject(
    {
      quantity: decimal.optional(),
      entry_price: decimal.optional(),
      entry_date: z.string().optional(),
      notes: z.string().nullable().optional(),
    },
    {
      error: () =>
        'only quantity, entry_price, entry_date and notes can be corrected; for another ' +
        'symbol or option terms remove the lot and add a new one',
    },
  )
  .refine(
    (b) => Object.keys(b).length > 0,
    'give at least one of quantity, entry_price, entry_date, notes',
  );

const closeBody = z.strictObject({
  exit_date: calendarDate,
  exit_price: decimal,
  quantity: decimal
    .optional()
    .describe('Part of the lot to sell (same sign as the lot); the whole lot when absent'),
});

const activityQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z
    .string()
    .datetime({ offset: true })
    .optional()
    .describe('Entries before this timestamp (the previous page’s next_before)'),
});

const lotErrors = { 400: 'ERR_LOTS_INVALID (details.errors: row = lot index, field, code)' };

const dbOf = (c: Context<AppEnv>) => c.get('database').db;

/** The lot a route names, if the user owns its portfolio; anyone else's is the same 404. */
async function ownedLot(c: Context<AppEnv>) {
  const id = uuidParam(c, 'id');
  const user = c.get('user');
  const owned = await findOwnedLot(dbOf(c), id, user.id);
  if (!owned) throw new ApiError(404, 'ERR_POSITION_NOT_FOUND', `Position ${id} was not found`);
  return owned;
}

const actorOf = (c: Context<AppEnv>) => ({ userId: c.get('user').id });
const today = (ctx: AppContext) => businessToday(ctx.now());
const recalculate = (
  c: Context<AppEnv>,
  ctx: AppContext,
  portfolioId: string,
  restated: { from: string | null; days: number },
) =>
  requestCalculation(dbOf(c), ctx.getJobs(), portfolioId, `user:${c.get('user').email}`, restated);

/** Managing a book's lots after onboarding (API.md: Portfolios and positions). */
export const positionsRoutes: Route[] = [
  defineRoute({
    method: 'post',
    path: '/api/v1/portfolios/{id}/positions',
    tag: 'positions',
    summary: 'Add lots (JSON array; all or none); history is restated from the earliest entry',
    auth: 'user',
    body: addBody,
    success: { status: 201, description: 'The new lots', schema: changeResponse },
    errors: lotErrors,
    handler: async (c, { ctx, body }) => {
      const portfolio = await ownedPortfolioParam(c);
      const lots = await body();
      const change = outcomeValue(
        await addLots(dbOf(c), { actor: actorOf(c), portfolio, lots, today: today(ctx) }),
      );
      const calculation = await recalculate(c, ctx, portfolio.id, change.restated);
      return c.json({ positions: change.positions, calculation }, 201);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/portfolios/{id}/positions/import',
    tag: 'positions',
    summary:
      'Append the lots of a positions CSV (create-portfolio’s rules, plus lots already held)',
    auth: 'user',
    query: importQuery,
    multipart: { [CSV_FIELD]: { type: 'file', required: true, description: 'The CSV (≤ 10 MB)' } },
    success: {
      status: 201,
      description: 'What was imported (200 on a dry run)',
      schema: importResponse,
    },
    errors: { 400: 'ERR_PORT_007, ERR_PORT_008 (details.errors as in create-portfolio)' },
    handler: async (c, { ctx, query }) => {
      const portfolio = await ownedPortfolioParam(c);
      const { dry_run } = query();
      const form = await readMultipartForm(c);
      const file = await form.file(CSV_FIELD);
      if (file === undefined || file === 'not_a_file') {
        const e = missingFileError(file);
        throw new ApiError(400, e.code, e.message);
      }
      const dryRun = dry_run === 'true';
      const result = outcomeValue(
        await importLots(dbOf(c), {
          actor: actorOf(c),
          portfolio,
          file,
          today: today(ctx),
          dryRun,
        }),
      );
      const calculation = result.change
        ? await recalculate(c, ctx, portfolio.id, result.change.restated)
        : null;
      return c.json(
        {
          dry_run: dryRun,
          ...validationBody(result.parsed),
          imported: result.change?.positions ?? [],
          calculation,
        },
        dryRun ? 200 : 201,
      );
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/positions/{id}',
    tag: 'positions',
    summary: 'Correct a lot: quantity, entry price, entry date, notes',
    auth: 'user',
    body: updateBody,
    success: { status: 200, description: 'The corrected lot', schema: changeResponse },
    errors: { 404: 'ERR_POSITION_NOT_FOUND' },
    handler: async (c, { ctx, body }) => {
      const { position, portfolio } = await ownedLot(c);
      const patch = await body();
      const change = outcomeValue(
        await updateLot(dbOf(c), {
          actor: actorOf(c),
          portfolio,
          position,
          patch,
          today: today(ctx),
        }),
      );
      const calculation = await recalculate(c, ctx, portfolio.id, change.restated);
      return c.json({ positions: change.positions, calculation });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/positions/{id}/close',
    tag: 'positions',
    summary: 'Sell all or part of a lot (a partial sale splits it); realized P&L reported',
    auth: 'user',
    body: closeBody,
    success: { status: 200, description: 'The sold and remaining lots', schema: closeResponse },
    errors: { 404: 'ERR_POSITION_NOT_FOUND', 409: 'ERR_POSITION_CLOSED' },
    handler: async (c, { ctx, body }) => {
      const { position, portfolio } = await ownedLot(c);
      const input = await body();
      const change = outcomeValue(
        await closeLot(dbOf(c), {
          actor: actorOf(c),
          portfolio,
          position,
          exitDate: input.exit_date,
          exitPrice: input.exit_price,
          quantity: input.quantity,
          today: today(ctx),
        }),
      );
      const calculation = await recalculate(c, ctx, portfolio.id, change.restated);
      return c.json({
        positions: change.positions,
        closed: change.closed,
        remaining: change.remaining,
        realized_pnl: change.realized_pnl,
        calculation,
      });
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/positions/{id}',
    tag: 'positions',
    summary: 'Remove a lot entered in error (it leaves history, unlike a sale)',
    auth: 'user',
    success: { status: 200, description: 'The removed lot', schema: changeResponse },
    errors: { 404: 'ERR_POSITION_NOT_FOUND' },
    handler: async (c, { ctx }) => {
      const { position, portfolio } = await ownedLot(c);
      const change = outcomeValue(
        await deleteLot(dbOf(c), { actor: actorOf(c), portfolio, position }),
      );
      const calculation = await recalculate(c, ctx, portfolio.id, change.restated);
      return c.json({ positions: change.positions, calculation });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/portfolios/{id}/activity',
    tag: 'positions',
    summary: 'The audit trail: changes to positions and equity, and calculations, newest first',
    auth: 'user',
    query: activityQuery,
    success: { status: 200, description: 'Entries', schema: activityResponse },
    handler: async (c, { query }) => {
      const portfolio = await ownedPortfolioParam(c);
      const q = query();
      return c.json(
        await portfolioActivity(dbOf(c), portfolio.id, { limit: q.limit, before: q.before }),
      );
    },
  }),
];
