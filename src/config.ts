import { z } from 'zod';
import { readClockFile } from './pipeline/file-clock.ts';
import { readProviderChain } from './market/provider-settings.ts';
import {
  MARKET_DATA_PROVIDERS,
  type MarketDataProviderName,
  type ProviderSettings,
} from './market/provider-table.ts';

/**
 * Process configuration, read from environment variables once at start.
 * Every CLI command and the server go through `loadConfig`, so a bad value fails the same way
 * everywhere: one message naming each offending variable, before anything touches the database.
 */
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const envSchema = z.object({
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be between 0 (any free port) and 65535')
      .max(65535, 'must be between 0 (any free port) and 65535')
      .default(3000),
  ),
  HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  BETABOARD_DB_PATH: z.preprocess(emptyToUndefined, z.string().default('./data/db')),
  MARKET_DATA_PROVIDER: z.preprocess(
    emptyToUndefined,
    z
      .enum(MARKET_DATA_PROVIDERS, { error: `must be one of ${MARKET_DATA_PROVIDERS.join(', ')}` })
      .default('sample'),
  ),
  BETABOARD_TOKEN_TTL_SECONDS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(60, 'must be at least 60 seconds')
      .default(12 * 3600),
  ),
  BETABOARD_SECURE_COOKIES: z.preprocess(
    emptyToUndefined,
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('false')
      .transform((v) => v === 'true'),
  ),
  BETABOARD_WORKER: z.preprocess(
    emptyToUndefined,
    z
      .enum(['on', 'off'], { error: 'must be on or off' })
      .default('on')
      .transform((v) => v === 'on'),
  ),
  BETABOARD_CHUNK_CONCURRENCY: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be between 1 and 32')
      .max(32, 'must be between 1 and 32')
      .default(2),
  ),
  BETABOARD_SEED_DEMO: z.preprocess(
    emptyToUndefined,
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('true')
      .transform((v) => v === 'true'),
  ),
  BETABOARD_SHUTDOWN_GRACE_SECONDS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be between 1 and 3600 seconds')
      .max(3600, 'must be between 1 and 3600 seconds')
      .default(30),
  ),
  BETABOARD_STALE_AFTER_SECONDS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(3, 'must be between 3 and 3600 seconds')
      .max(3600, 'must be between 3 and 3600 seconds')
      .default(60),
  ),
  BETABOARD_TEST_CLOCK_FILE: z.preprocess(emptyToUndefined, z.string().optional()),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
  ),
});

export type AppConfig = {
  port: number;
  host: string;
  /** Set: a PostgreSQL server. Unset: the embedded PGlite database at `dbPath`. */
  databaseUrl: string | undefined;
  dbPath: string;
  marketDataProvider: MarketDataProviderName;
  /**
   * The market-data providers to ask, primary first then MARKET_DATA_FALLBACKS, each with its
   * variables (keys, base URLs, rate limit) validated (src/market/provider-table.ts).
   */
  marketData: ProviderSettings[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Lifetime of a login session (bearer token and cookie). */
  authTokenTtlSeconds: number;
  /** Mark the session cookie `Secure` (set when served over HTTPS). */
  secureCookies: boolean;
  /** Create the demo users and portfolios on first start (`BETABOARD_SEED_DEMO=false`: don't). */
  seedDemo: boolean;
  /**
   * Run job handlers and the scheduler inside `serve` (`BETABOARD_WORKER=off`: leave them to
   * `betaboard worker` processes). Ignored on the embedded database, which only one process can open.
   */
  worker: boolean;
  /** Chunk jobs (slices of a nightly batch) a worker process runs at once. */
  chunkConcurrency: number;
  /**
   * On SIGTERM, how long running jobs may take to finish before they are handed back to the
   * queue (and retried by another worker); no new job is taken meanwhile.
   */
  shutdownGraceSeconds: number;
  /**
   * A running job whose run row has not been written for this long belongs to a dead worker
   * (`kill -9`, OOM, a lost machine) and is handed back to the queue for a retry.
   */
  staleAfterSeconds: number;
  /**
   * How often a running job writes its run row: a third of `staleAfterSeconds` (at most 10 s),
   * so two missed beats never make a live job look dead.
   */
  heartbeatSeconds: number;
  /**
   * Test only: a file holding the instant `betaboard worker` takes for "now" in its date
   * decisions (src/pipeline/file-clock.ts), so a test can simulate nights. Unset in production.
   */
  testClockFile: string | undefined;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const value = env[name];
      return `${name}=${JSON.stringify(value)}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const providers = readProviderChain(e.MARKET_DATA_PROVIDER, env);
  if (providers.problems.length > 0) throw new ConfigError(providers.problems);
  if (e.BETABOARD_TEST_CLOCK_FILE) {
    try {
      readClockFile(e.BETABOARD_TEST_CLOCK_FILE);
    } catch (error) {
      throw new ConfigError([
        `BETABOARD_TEST_CLOCK_FILE=${JSON.stringify(e.BETABOARD_TEST_CLOCK_FILE)}: must name a readable file holding an ISO 8601 instant with an offset (${(error as Error).message})`,
      ]);
    }
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dbPath: e.BETABOARD_DB_PATH,
    marketDataProvider: e.MARKET_DATA_PROVIDER,
    marketData: providers.chain,
    logLevel: e.LOG_LEVEL,
    authTokenTtlSeconds: e.BETABOARD_TOKEN_TTL_SECONDS,
    secureCookies: e.BETABOARD_SECURE_COOKIES,
    seedDemo: e.BETABOARD_SEED_DEMO,
    worker: e.BETABOARD_WORKER,
    chunkConcurrency: e.BETABOARD_CHUNK_CONCURRENCY,
    shutdownGraceSeconds: e.BETABOARD_SHUTDOWN_GRACE_SECONDS,
    staleAfterSeconds: e.BETABOARD_STALE_AFTER_SECONDS,
    heartbeatSeconds: heartbeatSecondsFor(e.BETABOARD_STALE_AFTER_SECONDS),
    testClockFile: e.BETABOARD_TEST_CLOCK_FILE,
  };
}

/** A third of the stale threshold, at most the 10 s the queue has always used, at least 1 s. */
export function heartbeatSecondsFor(staleAfterSeconds: number): number {
  return Math.max(1, Math.min(10, Math.floor(staleAfterSeconds / 3)));
}
