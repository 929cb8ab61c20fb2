import { fileURLToPath } from 'node:url';
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
import { PgBossJobQueue } from './jobs/pg-boss-job-queue.ts';
import { createMarketDataProvider } from './market/create-provider.ts';
import type { MarketDataProvider } from './market/provider.ts';
import { seedReferenceData } from './pipeline/reference-data.ts';
import { SymbolCache } from './pipeline/symbol-cache.ts';
import { resumeDemoCalculations, seedDemo } from './pipeline/demo/seed-demo.ts';
import { DEMO_USER } from './pipeline/demo/demo-portfolios.ts';
import { businessToday } from './services/portfolios/business-date.ts';

/** The web app's build output (`npm start` builds it when missing or stale). */
export const WEB_DIST_DIR = fileURLToPath(new URL('../web/dist', import.meta.url));

export interface RunningServer {
  server: ServerType;
  port: number;
  /** Resolves once the database is open, migrated and seeded (rejects if that fails). */
  ready: Promise<Database>;
  /** Resolves once the job queue runs (null if it could not start; calculations answer 503). */
  jobsReady: Promise<JobQueue | null>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /**
   * Run the job handlers and the scheduler inside this process. Default: on, unless
   * BETABOARD_WORKER=off — for PostgreSQL deployments whose `betaboard worker` processes do
   * the work. The embedded database is always worked in-process: no other process can open it.
   */
  worker?: boolean;
  /** A market-data provider to use instead of the configured one (benchmarks, tests). */
  marketData?: MarketDataProvider;
}

/**
 * Listens first, then opens and migrates the database: `/health` answers at once and
 * `/health/ready` turns from 503 to 200 when the database is usable.
 */
export async function startServer(
  config: AppConfig,
  logger: Logger,
  options: ServerOptions = {},
): Promise<RunningServer> {
  let database: Database | null = null;
  let jobs: PgBossJobQueue | null = null;
  const ctx: AppContext = {
    getDatabase: () => database,
    getJobs: () => jobs,
    marketData: options.marketData ?? (await createMarketDataProvider(config, logger)),
    cache: new SymbolCache(),
    logger,
    auth: {
      tokenTtlSeconds: config.authTokenTtlSeconds,
      secureCookies: config.secureCookies,
      loginLimiter: new LoginRateLimiter(),
    },
    now: () => new Date(),
  };
  const app = createApp(ctx, { webDistDir: WEB_DIST_DIR });

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
        await seedReferenceData(opened.db);
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

  // First start: the demo users and books, calculated through the ordinary onboarding jobs so
  // their progress shows on the status page like any user's upload.
  const seedDemoInBackground = async (queue: PgBossJobQueue) => {
    try {
      const pipeline = { db: database!.db, provider: ctx.marketData, cache: ctx.cache, logger };
      const calculate = async (portfolioId: string) => {
        await queue.enqueuePortfolioCalculation({
          portfolioId,
          mode: 'fast',
          triggeredBy: 'demo_seed',
        });
      };
      const result = await seedDemo(pipeline, { today: businessToday(ctx.now()), calculate });
      // A first start killed before it calculated the demo books: this start finishes them.
      if (!result.seeded) await resumeDemoCalculations(pipeline, { calculate });
      if (result.seeded) {
        logger.info(
          { portfolios: result.portfolios.length },
          `demo seeded: log in as ${DEMO_USER.email} / ${DEMO_USER.password}`,
        );
      }
    } catch (error) {
      logger.error({ err: error }, `demo seeding failed: ${(error as Error).message}`);
    }
  };

  const jobsReady = (async (): Promise<PgBossJobQueue | null> => {
    const opened = await ready.catch(() => null);
    if (!opened || stopping) return null;
    const work = opened.engine === 'pglite' || (options.worker ?? config.worker);
    try {
      const queue = await PgBossJobQueue.start({
        database: opened,
        pipeline: { db: opened.db, provider: ctx.marketData, cache: ctx.cache, logger },
        logger,
        work,
        chunkConcurrency: config.chunkConcurrency,
        shutdownGraceSeconds: config.shutdownGraceSeconds,
        staleAfterSeconds: config.staleAfterSeconds,
        heartbeatSeconds: config.heartbeatSeconds,
      });
      if (stopping) {
        await queue.stop();
        return null;
      }
      logger.info(
        { worker: work },
        work ? 'job queue and worker running' : 'job queue running (no worker in this process)',
      );
      jobs = queue;
      if (config.seedDemo) void seedDemoInBackground(queue);
      return queue;
    } catch (error) {
      logger.error({ err: error }, `job queue failed to start: ${(error as Error).message}`);
      return null;
    }
  })();

  return {
    server,
    port,
    ready,
    jobsReady,
    async stop() {
      stopping = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Running jobs get the queue's grace period; what is left is retried by the next worker.
      await (await jobsReady)?.stop();
      jobs = null;
      const opened = await ready.catch(() => null);
      await opened?.close();
    },
  };
}
