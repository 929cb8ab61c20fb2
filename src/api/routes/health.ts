import { sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.ts';
import { getMigrationStatus, type MigrationStatus } from '../../db/migrations.ts';
import { defineRoute, type Route } from '../openapi/define-route.ts';

const PING_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

// Once migrations are seen applied they stay applied for the app's process; the database ping
// still runs on every call so an outage shows up.
const migrationsConfirmed = new WeakMap<AppContext, MigrationStatus>();

/**
 * `/health` answers while the process runs; `/health/ready` only once the database answers and
 * every migration shipped with this build is applied — what a load balancer should wait for.
 */
export const healthRoutes: Route[] = [
  defineRoute({
    method: 'get',
    path: '/health',
    tag: 'health',
    summary: 'Liveness: the process is up (answers before the database is open)',
    auth: 'none',
    success: { status: 200, description: '`{status: "ok", uptime_seconds}`' },
    handler: (c) => c.json({ status: 'ok', uptime_seconds: Math.round(process.uptime()) }),
  }),
  defineRoute({
    method: 'get',
    path: '/health/ready',
    tag: 'health',
    summary: 'Readiness: 200 once the database answers and every migration is applied, else 503',
    auth: 'none',
    success: { status: 200, description: '`{status: "ready", database, migrations}`' },
    errors: { 503: 'starting or database unavailable: `{status, database, reason}`' },
    handler: async (c, { ctx }) => {
      const database = ctx.getDatabase();
      if (!database) {
        return c.json(
          { status: 'starting', database: 'unavailable', reason: 'database not open yet' },
          503,
        );
      }
      try {
        await withTimeout(database.db.execute(sql`SELECT 1`), PING_TIMEOUT_MS);
        const migrations =
          migrationsConfirmed.get(ctx) ??
          (await withTimeout(getMigrationStatus(database), PING_TIMEOUT_MS));
        if (!migrations.upToDate) {
          return c.json(
            {
              status: 'starting',
              database: database.engine,
              reason: `migrations pending: ${migrations.applied} of ${migrations.expected} applied`,
              migrations,
            },
            503,
          );
        }
        migrationsConfirmed.set(ctx, migrations);
        return c.json({ status: 'ready', database: database.engine, migrations });
      } catch (error) {
        return c.json(
          {
            status: 'unavailable',
            database: database.engine,
            reason: `database did not answer: ${(error as Error).message}`,
          },
          503,
        );
      }
    },
  }),
];
