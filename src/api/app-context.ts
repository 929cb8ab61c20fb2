import type { Database } from '../db/database.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import type { Logger } from '../logger.ts';
import type { MarketDataProvider } from '../market/provider.ts';
import type { SymbolCache } from '../pipeline/symbol-cache.ts';
import type { LoginRateLimiter } from './auth/login-rate-limiter.ts';

/** What routes may reach. The database and the job queue are absent while the process starts. */
export interface AppContext {
  getDatabase(): Database | null;
  /** Background work (onboarding calculations, admin-triggered batches); null until started. */
  getJobs(): JobQueue | null;
  /** The configured market-data source (symbol lookups and onboarding). */
  marketData: MarketDataProvider;
  /** Prices and factor rows shared by every pipeline run in this process. */
  cache: SymbolCache;
  logger: Logger;
  auth: { tokenTtlSeconds: number; secureCookies: boolean; loginLimiter: LoginRateLimiter };
  now(): Date;
}
