import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';

/** What routes may reach. The database is absent while the process is still starting. */
export interface AppContext {
  getDatabase(): Database | null;
  logger: Logger;
}
