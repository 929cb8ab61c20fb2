import pino from 'pino';

export type Logger = pino.Logger;

/** Fields that hold secrets wherever they appear in a logged object (one level deep). */
const REDACTED_PATHS = [
  'password',
  'passwordHash',
  'password_hash',
  'token',
  'access_token',
  '*.password',
  '*.passwordHash',
  '*.password_hash',
  '*.token',
  '*.access_token',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** How much of a failed statement's text a log line keeps. */
const MAX_QUERY_CHARS = 300;

function redactQueryText(text: string): string {
  // Drizzle's message is "Failed query: <sql>\nparams: <values>": the values are user data —
  // e-mail addresses, password hashes — and never belong in a log.
  return text
    .replace(/\nparams: [^\n]*/g, '\nparams: [redacted]')
    .replace(/(Failed query: )([^\n]*)/g, (_, head: string, query: string) =>
      query.length > MAX_QUERY_CHARS ? `${head}${query.slice(0, MAX_QUERY_CHARS)}…` : head + query,
    );
}

/**
 * pino's error serializer, minus what a database error carries of the statement's parameters
 * (in `params`, and spelled out in the message and stack).
 */
export function serializeError(error: unknown): unknown {
  const out = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  const scrub = (value: Record<string, unknown>) => {
    if (Array.isArray(value.params)) value.params = `[${value.params.length} redacted]`;
    else if ('params' in value) value.params = '[redacted]';
    if (typeof value.query === 'string' && value.query.length > MAX_QUERY_CHARS) {
      value.query = `${value.query.slice(0, MAX_QUERY_CHARS)}…`;
    }
    for (const key of ['message', 'stack']) {
      if (typeof value[key] === 'string') value[key] = redactQueryText(value[key] as string);
    }
    if (value.cause && typeof value.cause === 'object')
      scrub(value.cause as Record<string, unknown>);
  };
  if (out && typeof out === 'object') scrub(out);
  return out;
}

/** JSON logs on stderr, so stdout stays clean for CLI output that scripts consume. */
export function createLogger(
  level: string = 'info',
  name = 'betaboard',
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  return pino(
    {
      name,
      level,
      serializers: { err: serializeError },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}
