import { describe, expect, it } from 'vitest';
import { isConnectionLost } from '../../../src/db/connection-lost.ts';

describe('isConnectionLost', () => {
  it('is true for a server shutting down, restarting or unreachable', () => {
    expect(isConnectionLost({ code: '57P01', message: 'terminating connection' })).toBe(true);
    expect(
      isConnectionLost({ code: '57P03', message: 'the database system is shutting down' }),
    ).toBe(true);
    expect(isConnectionLost({ code: '08006', message: 'connection failure' })).toBe(true);
    expect(isConnectionLost({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' })).toBe(true);
    expect(isConnectionLost(new Error('Connection terminated unexpectedly'))).toBe(true);
    // Drizzle wraps the driver's error as its cause.
    expect(
      isConnectionLost(new Error('Failed query: UPDATE …', { cause: { code: '57P01' } })),
    ).toBe(true);
  });

  it('is false for a wrong statement or anything else', () => {
    expect(isConnectionLost({ code: '23505', message: 'duplicate key value' })).toBe(false);
    expect(isConnectionLost({ code: '42P01', message: 'relation does not exist' })).toBe(false);
    expect(isConnectionLost(new Error('boom'))).toBe(false);
    expect(isConnectionLost(undefined)).toBe(false);
    expect(isConnectionLost('Connection terminated')).toBe(false);
  });
});
