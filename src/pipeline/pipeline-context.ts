import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { MarketDataProvider } from '../market/provider.ts';
import type { SymbolCache } from './symbol-cache.ts';

/** What every pipeline phase gets: the database, the market-data provider and the shared cache. */
export interface PipelineContext {
  db: Db;
  provider: MarketDataProvider;
  cache: SymbolCache;
  logger: Logger;
  /** Injectable "now", so target-date resolution is testable. */
  now?: () => Date;
}
