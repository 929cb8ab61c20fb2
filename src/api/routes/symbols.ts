import type { Context } from 'hono';
import { z } from 'zod';
import { newYorkDateTime } from '../../domain/dates.ts';
import { factorCatalog, lookupSymbol, symbolPrices } from '../../services/symbols/symbol-lookup.ts';
import { symbolResponse, pricesResponse, factorsResponse } from '../../services/symbols/schemas.ts';
import { ApiError } from '../api-error.ts';
import { defineRoute, type Route } from '../openapi/define-route.ts';
import { apiDate } from '../request-input.ts';

/** SPEC §2's symbol rule (letters, digits, `.`, `_`, `-`; at most 100 characters). */
const SYMBOL_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

const calendarDate = apiDate;

const pricesQuery = z.object({
  from: calendarDate.optional(),
  to: calendarDate.optional(),
});

/** The path's symbol, upper-cased; 400 when it cannot be a symbol at all. */
function symbolParam(c: Context): string {
  const raw = c.req.param('symbol') ?? '';
  if (!SYMBOL_PATTERN.test(raw)) {
    throw new ApiError(
      400,
      'ERR_INVALID_SYMBOL',
      `"${raw.slice(0, 64)}" is not a symbol: use letters, digits, ".", "_" or "-" (at most 100)`,
    );
  }
  return raw.toUpperCase();
}

const symbolNotFound = (symbol: string) =>
  new ApiError(404, 'ERR_SYMBOL_NOT_FOUND', `Nothing is known about the symbol ${symbol}`);

/** Symbol lookups and the factor catalogue. */
export const symbolsRoutes: Route[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/symbols/{symbol}',
    tag: 'symbols',
    summary: 'A symbol: stored profile, latest factor betas and last close',
    auth: 'user',
    success: {
      status: 200,
      description: 'What the system holds on the symbol',
      schema: symbolResponse,
    },
    errors: { 400: 'ERR_INVALID_SYMBOL', 404: 'ERR_SYMBOL_NOT_FOUND' },
    handler: async (c) => {
      const symbol = symbolParam(c);
      const details = await lookupSymbol(c.get('database').db, symbol);
      if (!details) throw symbolNotFound(symbol);
      return c.json(details);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/symbols/{symbol}/prices',
    tag: 'symbols',
    summary: 'Stored daily closes, oldest first (default: the year up to the last close)',
    auth: 'user',
    query: pricesQuery,
    success: { status: 200, description: 'Closes in the range', schema: pricesResponse },
    errors: { 400: 'ERR_INVALID_SYMBOL', 404: 'ERR_SYMBOL_NOT_FOUND' },
    handler: async (c, { ctx, query }) => {
      const symbol = symbolParam(c);
      const q = query();
      if (q.from && q.to && q.from > q.to) {
        throw new ApiError(422, 'ERR_VALIDATION', `from (${q.from}) is after to (${q.to})`);
      }
      const result = await symbolPrices(c.get('database').db, symbol, {
        ...q,
        today: newYorkDateTime(ctx.now()).date,
      });
      if (!result) throw symbolNotFound(symbol);
      return c.json({ symbol, ...result });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/factors',
    tag: 'symbols',
    summary: 'The 13 factor definitions, in display order',
    auth: 'user',
    success: { status: 200, description: 'Factor definitions', schema: factorsResponse },
    handler: async (c) => c.json({ factors: await factorCatalog(c.get('database').db) }),
  }),
];
