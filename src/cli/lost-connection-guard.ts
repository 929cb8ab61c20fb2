import { isConnectionLost } from '../db/connection-lost.ts';

interface GuardLogger {
  warn(o: object, m: string): void;
  fatal(o: object, m: string): void;
}

/** What the guard needs of the process (a test passes its own). */
export interface GuardedProcess {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  exit(code: number): never;
}

/**
 * pg-boss 10 completes or fails a job without awaiting it (its manager's onFetch): while
 * PostgreSQL restarts, that promise rejects with nobody to catch it, and Node would end the
 * process. A lost connection is survivable — the pools reconnect, and a job whose end was lost
 * is retried by the stale-run reaper — so it is logged; any other unhandled rejection still ends
 * the process (exit 1), as an unexpected state should. Nothing is reported once `stopping()`.
 */
export function surviveLostConnections(
  logger: GuardLogger,
  stopping: () => boolean,
  proc: GuardedProcess = process,
): void {
  proc.on('unhandledRejection', (reason) => {
    if (stopping()) return;
    if (isConnectionLost(reason)) {
      logger.warn(
        { err: (reason as Error).message },
        'database connection lost; carrying on (the pool reconnects)',
      );
      return;
    }
    logger.fatal({ err: reason }, 'unhandled rejection');
    proc.exit(1);
  });
}
