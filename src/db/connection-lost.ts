/**
 * Whether `error` says the connection to PostgreSQL was lost (the server restarting, shutting
 * down, or unreachable) rather than that a statement was wrong: a pool recovers from the first
 * on its next connection, never from the second.
 */
const LOST_SQLSTATES = new Set([
  '57P01', // admin_shutdown: terminating connection due to administrator command
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the database system is starting up / shutting down
]);
const LOST_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

export function isConnectionLost(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === 'string') {
    // Class 08: connection exception.
    if (LOST_SQLSTATES.has(code) || code.startsWith('08') || LOST_SOCKET_CODES.has(code)) {
      return true;
    }
  }
  if (typeof message === 'string' && /Connection terminated|terminating connection/.test(message)) {
    return true;
  }
  return cause !== undefined && cause !== error && isConnectionLost(cause);
}
