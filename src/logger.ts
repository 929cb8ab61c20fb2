import pino from 'pino';

export type Logger = pino.Logger;

/** JSON logs on stderr, so stdout stays clean for CLI output that scripts consume. */
export function createLogger(level: string = 'info', name = 'betaboard'): Logger {
  return pino({ name, level }, pino.destination(2));
}
