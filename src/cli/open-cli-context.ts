import { loadConfig, type AppConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { runMigrations } from '../db/migrations.ts';
import { openDatabase } from '../db/open-database.ts';
import { createLogger, type Logger } from '../logger.ts';
import { createMarketDataProvider } from '../market/create-provider.ts';
import type { PipelineContext } from '../pipeline/pipeline-context.ts';
import { seedReferenceData } from '../pipeline/reference-data.ts';
import { SymbolCache } from '../pipeline/symbol-cache.ts';

export interface CliContext {
  config: AppConfig;
  database: Database;
  logger: Logger;
  pipeline(): Promise<PipelineContext>;
  close(): Promise<void>;
}

/**
 * Opens the configured database for a CLI command and applies pending migrations and seeds the reference data first, so a
 * command on a fresh clone just works. Logs go to stderr at `warn` unless LOG_LEVEL says more.
 */
export async function openCliContext(): Promise<CliContext> {
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn');
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dbPath: config.dbPath });
  try {
    await runMigrations(database);
    await seedReferenceData(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  let pipeline: PipelineContext | null = null;
  return {
    config,
    database,
    logger,
    async pipeline() {
      if (!pipeline) {
        const provider = await createMarketDataProvider(config, logger);
        pipeline = { db: database.db, provider, cache: new SymbolCache(), logger };
      }
      return pipeline;
    },
    close: () => database.close(),
  };
}
