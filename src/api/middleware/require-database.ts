import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../api-error.ts';
import type { AppContext } from '../app-context.ts';
import type { AppEnv } from '../app-env.ts';

/** Every /api/v1 route needs the database; while it is still opening the answer is a clean 503. */
export function requireDatabase(ctx: AppContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const database = ctx.getDatabase();
    if (!database) {
      throw new ApiError(503, 'ERR_NOT_READY', 'The service is starting; try again in a moment');
    }
    c.set('database', database);
    await next();
  };
}
