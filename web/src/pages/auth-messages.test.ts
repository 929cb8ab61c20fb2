import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.ts';
import { authErrorText } from './auth-messages.ts';

describe('sign-in errors in words', () => {
  it('wrong credentials', () => {
    expect(authErrorText(new ApiError(401, 'ERR_AUTH_INVALID_CREDENTIALS', 'Invalid'))).toBe(
      'Wrong e-mail or password.',
    );
  });
  it('too many attempts, in minutes from retry_after_seconds', () => {
    const error = (seconds: number) =>
      new ApiError(429, 'ERR_AUTH_RATE_LIMITED', 'Too many', { retry_after_seconds: seconds });
    expect(authErrorText(error(600))).toBe('Too many attempts — try again in 10 minutes.');
    expect(authErrorText(error(61))).toBe('Too many attempts — try again in 2 minutes.');
    expect(authErrorText(error(20))).toBe('Too many attempts — try again in 1 minute.');
  });
  it('a taken e-mail and a short password', () => {
    expect(authErrorText(new ApiError(409, 'ERR_AUTH_EMAIL_TAKEN', 'taken'))).toMatch(
      /already exists/,
    );
    expect(
      authErrorText(
        new ApiError(422, 'ERR_VALIDATION', 'Invalid', {
          issues: [{ field: 'password', message: 'must be at least 8 characters' }],
        }),
      ),
    ).toBe('Password must be at least 8 characters.');
  });
});
