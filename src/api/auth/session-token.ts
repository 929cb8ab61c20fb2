import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: what the client holds as its bearer token. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps: a leaked table cannot be replayed as tokens. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export const SESSION_COOKIE = 'betaboard_session';

/** A browser the user has logged in from: exempt from limits raised by others' failures. */
export const DEVICE_COOKIE = 'betaboard_device';
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 86_400;
