import type { Context } from 'hono';
import { z } from 'zod';
import { ACCOUNT_TYPES } from '../../db/schema/enums.ts';
import { businessToday } from '../../services/portfolios/business-date.ts';
import {
  ACCOUNT_NAME_MAX_LENGTH,
  DESCRIPTION_MAX_LENGTH,
  MAX_EQUITY_BALANCE,
  PORTFOLIO_NAME_MAX_LENGTH,
  type RawPortfolioFields,
} from '../../services/portfolios/portfolio-fields.ts';
import {
  createPortfolio,
  deletePortfolio,
  getPortfolio,
  listPortfolios,
  updatePortfolio,
} from '../../services/portfolios/portfolio-service.ts';
import type { Outcome } from '../../services/portfolios/problem.ts';
import { portfolioDeleteResponse, portfolioSchema } from '../../services/portfolios/schemas.ts';
import { ApiError } from '../api-error.ts';
import type { AppContext } from '../app-context.ts';
import type { AppEnv } from '../app-env.ts';
import { defineRoute, type Route } from '../openapi/define-route.ts';
import { ownedPortfolioParam } from '../owned-portfolio.ts';
import { readJsonBody } from '../request-input.ts';

/**
 * The request body as documented. Handlers accept any JSON object and check the fields with the
 * shared portfolio rules, which answer with SPEC §2's ERR_PORT_* codes (a zod failure would only
 * say ERR_VALIDATION) and report every problem at once.
 */
const createBody = z.object({
  name: z.string().min(1).max(PORTFOLIO_NAME_MAX_LENGTH),
  account_name: z.string().min(1).max(ACCOUNT_NAME_MAX_LENGTH),
  account_type: z.enum(ACCOUNT_TYPES),
  equity_balance: z
    .union([z.number(), z.string()])
    .describe(`Dollars, > 0 and ≤ ${MAX_EQUITY_BALANCE}; rounded to cents`),
  description: z.string().max(DESCRIPTION_MAX_LENGTH).nullish(),
});
const updateBody = createBody.partial();

const anyJsonObject = z.looseObject({});

const fieldErrors = {
  400: 'ERR_PORT_002…006, 009…011 (details.errors lists every problem), ERR_INVALID_JSON',
  409: 'ERR_PORT_001 (account name already used)',
};

/** A service outcome as the response value, or the refusal as an API error. */
export function outcomeValue<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  const p = outcome.problem;
  throw new ApiError(p.status, p.code, p.message, p.details);
}

/** JSON keys → the shared field names; a key that is absent stays undefined (not sent). */
function rawFields(body: Record<string, unknown>): RawPortfolioFields {
  return {
    name: body.name,
    accountName: body.account_name,
    accountType: body.account_type,
    equityBalance: body.equity_balance,
    description: body.description,
  };
}

const today = (ctx: AppContext) => businessToday(ctx.now());
const dbOf = (c: Context<AppEnv>) => c.get('database').db;

/** Portfolio CRUD and the `/data/portfolios` list. */
export const portfoliosRoutes: Route[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/data/portfolios',
    tag: 'portfolios',
    summary: 'Your portfolios (deleted ones left out), oldest first',
    auth: 'user',
    success: { status: 200, description: 'A bare array', schema: z.array(portfolioSchema) },
    handler: async (c, { ctx }) =>
      c.json(await listPortfolios(dbOf(c), c.get('user').id, today(ctx))),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/portfolios',
    tag: 'portfolios',
    summary: 'Your portfolios (same list as /data/portfolios)',
    auth: 'user',
    success: { status: 200, description: 'A bare array', schema: z.array(portfolioSchema) },
    handler: async (c, { ctx }) =>
      c.json(await listPortfolios(dbOf(c), c.get('user').id, today(ctx))),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/portfolios',
    tag: 'portfolios',
    summary: 'Create an empty portfolio',
    auth: 'user',
    body: createBody,
    success: { status: 201, description: 'The new portfolio', schema: portfolioSchema },
    errors: fieldErrors,
    // Any JSON object: the shared portfolio rules check the fields (see createBody).
    handler: async (c, { ctx }) => {
      const body = await readJsonBody(c, anyJsonObject);
      const created = outcomeValue(
        await createPortfolio(dbOf(c), c.get('user').id, rawFields(body), today(ctx)),
      );
      return c.json(created, 201);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/portfolios/{id}',
    tag: 'portfolios',
    summary: 'One portfolio',
    auth: 'user',
    success: { status: 200, description: 'The portfolio', schema: portfolioSchema },
    errors: { 400: 'ERR_INVALID_ID' },
    handler: async (c, { ctx }) => {
      const portfolio = await ownedPortfolioParam(c);
      return c.json((await getPortfolio(dbOf(c), c.get('user').id, portfolio.id, today(ctx)))!);
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/portfolios/{id}',
    tag: 'portfolios',
    summary: 'Change a portfolio’s fields (only those sent; description null clears it)',
    auth: 'user',
    body: updateBody,
    success: { status: 200, description: 'The updated portfolio', schema: portfolioSchema },
    errors: { ...fieldErrors, 400: `${fieldErrors[400]}, ERR_INVALID_ID` },
    handler: async (c, { ctx }) => {
      const portfolio = await ownedPortfolioParam(c);
      const body = await readJsonBody(c, anyJsonObject);
      return c.json(
        outcomeValue(
          await updatePortfolio(
            dbOf(c),
            c.get('user').id,
            portfolio.id,
            rawFields(body),
            today(ctx),
          ),
        ),
      );
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/portfolios/{id}',
    tag: 'portfolios',
    summary: 'Delete a portfolio (soft delete; its account name can be reused)',
    auth: 'user',
    success: { status: 200, description: 'Deleted', schema: portfolioDeleteResponse },
    errors: { 400: 'ERR_INVALID_ID' },
    handler: async (c) => {
      const portfolio = await ownedPortfolioParam(c);
      return c.json(outcomeValue(await deletePortfolio(dbOf(c), c.get('user').id, portfolio.id)));
    },
  }),
];
