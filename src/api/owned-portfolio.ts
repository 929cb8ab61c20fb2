import type { Context } from 'hono';
import { PortfolioRepository, type PortfolioRow } from '../db/repositories/portfolio-repository.ts';
import { ApiError } from './api-error.ts';
import type { AppEnv } from './app-env.ts';
import { uuidParam } from './request-input.ts';

export const PORTFOLIO_NOT_FOUND = 'ERR_PORTFOLIO_NOT_FOUND';

/**
 * The portfolio a route names, if the signed-in user owns it. Someone else's portfolio and a
 * missing or deleted one get the same 404, so ids cannot be probed. Admins too: role admin
 * opens /admin/*, not other people's books.
 */
export async function ownedPortfolio(
  c: Context<AppEnv>,
  portfolioId: string,
): Promise<PortfolioRow> {
  const portfolio = await new PortfolioRepository(c.get('database').db).get(
    portfolioId,
    c.get('user').id,
  );
  if (!portfolio) {
    throw new ApiError(404, PORTFOLIO_NOT_FOUND, `Portfolio ${portfolioId} was not found`);
  }
  return portfolio;
}

/** `ownedPortfolio` for the `:id`-style path parameter `name` (400 when it is not a UUID). */
export function ownedPortfolioParam(c: Context<AppEnv>, name = 'id'): Promise<PortfolioRow> {
  return ownedPortfolio(c, uuidParam(c, name));
}
