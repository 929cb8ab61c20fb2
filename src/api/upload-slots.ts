import type { MiddlewareHandler } from 'hono';
import { ApiError } from './api-error.ts';
import type { AppEnv } from './app-env.ts';

/** Seconds a client told to wait (429) should wait before sending its upload again. */
export const UPLOAD_RETRY_AFTER_SECONDS = 5;

/**
 * At most `maxPerUser` uploads of one user are read and checked at once. A 10 MB CSV takes a
 * second or two of CPU; without a limit one user sending many at once holds every core and
 * hundreds of MB of memory, and everyone else waits. Per process: each process protects itself.
 */
export class UploadSlots {
  private readonly inUse = new Map<string, number>();
  constructor(readonly maxPerUser = 2) {}

  /** A release function, or null when the user already has `maxPerUser` uploads in progress. */
  tryAcquire(userId: string): (() => void) | null {
    const used = this.inUse.get(userId) ?? 0;
    if (used >= this.maxPerUser) return null;
    this.inUse.set(userId, used + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inUse.get(userId) ?? 1) - 1;
      if (left <= 0) this.inUse.delete(userId);
      else this.inUse.set(userId, left);
    };
  }
}

/** 429 ERR_UPLOAD_BUSY (with Retry-After) past the user's concurrent uploads, on upload routes. */
export function limitConcurrentUploads(
  slots: UploadSlots,
  isUploadPath: (path: string) => boolean,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST' || !isUploadPath(c.req.path)) return next();
    const release = slots.tryAcquire(c.get('user').id);
    if (!release) {
      throw new ApiError(
        429,
        'ERR_UPLOAD_BUSY',
        `You already have ${slots.maxPerUser} uploads being checked; send this one again when ` +
          'they have finished',
        { retry_after_seconds: UPLOAD_RETRY_AFTER_SECONDS },
      );
    }
    try {
      await next();
    } finally {
      release();
    }
  };
}
