import { Hono } from 'hono';
import type { AppContext } from './app-context.ts';
import { healthRoutes } from './routes/health.ts';

/** The whole HTTP surface; tests drive it through `app.request()` without opening a port. */
export function createApp(ctx: AppContext): Hono {
  const app = new Hono();
  app.route('/', healthRoutes(ctx));
  app.notFound((c) =>
    c.json(
      { error: { code: 'ERR_NOT_FOUND', message: `No route for ${c.req.method} ${c.req.path}` } },
      404,
    ),
  );
  app.onError((error, c) => {
    ctx.logger.error({ err: error, path: c.req.path }, 'unhandled error');
    return c.json(
      {
        error: {
          code: 'ERR_INTERNAL',
          message: 'The server hit an unexpected error; it has been logged.',
        },
      },
      500,
    );
  });
  return app;
}
