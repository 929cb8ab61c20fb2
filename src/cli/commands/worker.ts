import type { Command } from 'commander';
import { surviveLostConnections } from '../lost-connection-guard.ts';
import { loadConfig } from '../../config.ts';
import { runMigrations } from '../../db/migrations.ts';
import { openDatabase } from '../../db/open-database.ts';
import { PgBossJobQueue } from '../../jobs/pg-boss-job-queue.ts';
import { createLogger } from '../../logger.ts';
import { createMarketDataProvider } from '../../market/create-provider.ts';
import { seedReferenceData } from '../../pipeline/reference-data.ts';
import { fileClock } from '../../pipeline/file-clock.ts';
import { SymbolCache } from '../../pipeline/symbol-cache.ts';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'run background jobs (calculations, nightly batches) and the schedules; start as many as you like against one DATABASE_URL',
    )
    .option('--concurrency <n>', 'onboarding calculations this worker runs at once', '2')
    .option(
      '--chunk-concurrency <n>',
      'chunk jobs (slices of a nightly batch) this worker runs at once (default: BETABOARD_CHUNK_CONCURRENCY, 2)',
    )
    .option('--no-schedule', 'do not fire the nightly schedules from this worker')
    .action(async (opts: { concurrency: string; chunkConcurrency?: string; schedule: boolean }) => {
      const concurrency = countOption(program, '--concurrency', opts.concurrency)!;
      const chunkOption = countOption(program, '--chunk-concurrency', opts.chunkConcurrency);
      const config = loadConfig();
      const chunkConcurrency = chunkOption ?? config.chunkConcurrency;
      const logger = createLogger(config.logLevel);
      if (!config.databaseUrl) {
        // Fine on its own, but `serve` already works the embedded database in-process and the
        // directory lock keeps a second process out of it.
        logger.warn(
          'no DATABASE_URL: working the embedded database; stop `serve` first or use PostgreSQL',
        );
      }
      let database: Awaited<ReturnType<typeof openDatabase>>;
      try {
        database = await openDatabase({ databaseUrl: config.databaseUrl, dbPath: config.dbPath });
        await runMigrations(database);
        await seedReferenceData(database.db);
      } catch (error) {
        // Unreachable server, wrong credentials, a locked embedded directory: say so and exit 1,
        // so that whatever started the worker sees it.
        logger.fatal({ err: error }, `database unavailable: ${(error as Error).message}`);
        process.exit(1);
      }
      const provider = await createMarketDataProvider(config, logger);
      let queue: PgBossJobQueue;
      try {
        queue = await PgBossJobQueue.start({
          database,
          pipeline: {
            db: database.db,
            provider,
            cache: new SymbolCache(),
            logger,
            ...(config.testClockFile ? { now: fileClock(config.testClockFile) } : {}),
          },
          logger,
          work: true,
          schedule: opts.schedule,
          onboardingConcurrency: concurrency,
          chunkConcurrency,
          shutdownGraceSeconds: config.shutdownGraceSeconds,
          staleAfterSeconds: config.staleAfterSeconds,
          heartbeatSeconds: config.heartbeatSeconds,
        });
      } catch (error) {
        // Exit, so that whatever started the worker sees it and starts it again, instead of a
        // live process that works no queue.
        logger.fatal({ err: error }, `job queue failed to start: ${(error as Error).message}`);
        await database.close().catch(() => {});
        process.exit(1);
      }
      logger.info(
        {
          engine: database.engine,
          location: database.location,
          concurrency,
          chunk_concurrency: chunkConcurrency,
          queues: queue.workedQueues,
        },
        'worker running; Ctrl-C stops it after the running jobs finish',
      );
      const shutdown = handleSignals(queue, database, config.shutdownGraceSeconds, logger);
      process.on('SIGINT', () => void shutdown('SIGINT'));
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
    });
}

/** A whole number from 1 to 32 given on the command line (undefined when not given). */
function countOption(
  program: Command,
  flag: string,
  value: string | undefined,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 32) {
    program.error(`error: ${flag} must be a whole number from 1 to 32`, { exitCode: 2 });
  }
  return n;
}

/**
 * The worker's process-level handlers: a lost database connection survives, and SIGINT/SIGTERM
 * stop it gracefully (no new jobs; running ones finish within the grace period or are handed
 * back). Returns the shutdown.
 */
function handleSignals(
  queue: PgBossJobQueue,
  database: Awaited<ReturnType<typeof openDatabase>>,
  graceSeconds: number,
  logger: ReturnType<typeof createLogger>,
): (signal: string) => Promise<void> {
  let stopping = false;
  surviveLostConnections(logger, () => stopping);
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(
      { signal, grace_seconds: graceSeconds },
      'worker stopping: no new jobs; running ones may finish within the grace period',
    );
    await queue.stop();
    const { released } = queue;
    // A handed-back job's handler still runs until the process exits; its queries now fail
    // (the pool is closing) and nothing may turn that into a crash: its retry runs elsewhere.
    if (released.length > 0) ignoreRejectionsWhileExiting(logger);
    // A job handed back may still hold a connection: its retry runs elsewhere, so the pool
    // is not waited for beyond a moment (the retry delay is longer than this).
    await Promise.race([
      database.close().catch(() => {}),
      new Promise((resolve) => setTimeout(resolve, released.length > 0 ? 1000 : 10_000)),
    ]);
    logger.info({ released: released.length }, 'worker stopped');
    process.exit(0);
  };
  return shutdown;
}

function ignoreRejectionsWhileExiting(logger: { debug(o: object, m: string): void }): void {
  const ignore = (reason: unknown) =>
    logger.debug({ err: (reason as Error)?.message }, 'ignored while exiting');
  process.on('unhandledRejection', ignore);
  process.on('uncaughtException', ignore);
}
