import { Writable } from 'node:stream';
import { DrizzleQueryError } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';

it('never writes a failed statement’s parameters or a password hash to the log', () => {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  const logger = createLogger('info', 'test', sink);
  const hash = 'scrypt$16384$8$1$c2FsdA$aGFzaGhhc2hoYXNo';
  const error = new DrizzleQueryError(
    'insert into "users" ("email", "password_hash", "full_name") values ($1, $2, $3)',
    ['nul@example.com', hash, 'a\u0000b'],
    new Error('invalid byte sequence for encoding "UTF8": 0x00'),
  );
  logger.error({ err: error, path: '/api/v1/auth/register' }, 'unhandled error');
  logger.info({ user: { email: 'x@example.com', passwordHash: hash } }, 'user');
  logger.info({ password: 'hunter22' }, 'login');
  expect(out).not.toContain(hash);
  expect(out).not.toContain('hunter22');
  expect(out).not.toContain('nul@example.com');
  expect(out).toContain('insert into \\"users\\"');
  expect(out).toContain('invalid byte sequence');
});
