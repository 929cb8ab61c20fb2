import { serve, type ServerType } from '@hono/node-server';
import type { AppConfig } from './config.ts';
import type { Database } from './db/database.ts';
import { openDatabase } from './db/open-database.ts';
import { runMigrations } from './db/migrations.ts';
import { createApp } from './api/app.ts';
import type { Logger } from './logger.ts';
import type { AppContext } from './api/app-context.ts';
import { LoginRateLimiter } from './api/auth/login-rate-limiter.ts';
import type { JobQueue } from './jobs/job-queue.ts';
import { createMarketDataProvider } from './market/create-provider.ts';
import { SymbolCache } from './pipeline/symbol-cache.ts';

export interface RunningServer {
  server: ServerType;
  port: number;
  /** Resolves once the database is open and migrated (rejects if that fails). */
  ready: Promise<Database>;
  stop(): Promise<void>;
}

/**
 * Listens first, then opens and migrates the database: `/health` answers at once and
 * `/health/ready` turns from 503 to 200 when the database is usable.
 */
export async function startServer(config: AppConfig, logger: Logger): Promise<RunningServer> {
  let database: Database | null = null;
  const jobs: JobQueue | null = null;
  const ctx: AppContext = {
    getDatabase: () => database,
    getJobs: () => jobs,
    marketData: await createMarketDataProvider(config, logger),
    cache: new SymbolCache(),
    logger,
    auth: {
      tokenTtlSeconds: config.authTokenTtlSeconds,
      secureCookies: config.secureCookies,
      loginLimiter: new LoginRateLimiter(),
    },
    now: () => new Date(),
  };
  const app = createApp(ctx);

  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
      resolve(s),
    );
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port }, `listening on http://localhost:${port}`);

  let stopping = false;
  const ready = (async () => {
    // A PostgreSQL server may come up after us (a container starting alongside): keep trying,
    // answering 503 on /health/ready meanwhile. The embedded database either opens or it never
    // will (e.g. another process holds it), so its failure is final.
    for (let attempt = 1; ; attempt++) {
      const opened = await openDatabase({ databaseUrl: config.databaseUrl, dbPath: config.dbPath });
      try {
        const status = await runMigrations(opened);
        logger.info(
          { engine: opened.engine, location: opened.location, migrations: status },
          'database ready',
        );
        database = opened;
        return opened;
      } catch (error) {
        await opened.close().catch(() => {});
        if (opened.engine === 'pglite' || stopping) throw error;
        const delay = Math.min(5_000, 250 * 2 ** Math.min(attempt, 5));
        logger.warn(
          { attempt, delay_ms: delay, err: (error as Error).message },
          'database not reachable yet, retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
        if (stopping)
          throw new Error('server stopped before the database became ready', { cause: error });
      }
    }
  })();
  // Callers that never await `ready` must not see an unhandled rejection.
  ready.catch(() => {});

  return {
    server,
    port,
    ready,
    async stop() {
      stopping = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const opened = await ready.catch(() => null);
      await opened?.close();
    },
  };
}
