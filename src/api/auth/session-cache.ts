import type { AuthUser } from '../app-env.ts';

interface CachedSession {
  user: AuthUser;
  expiresAt: Date;
  /** The read version read before the session was looked up. */
  version: string;
}

/**
 * Live sessions this process has looked up, by token hash. An entry is used only under the read
 * version it was looked up at: ending a session (logout, password change, the expiry sweep) or
 * changing a user is a counted write (migration 0011) that moves the version, so the next request
 * looks the session up again — in this process and in every other. Expiry is checked against the
 * entry's own `expiresAt` on each use. Only live sessions are kept; an unknown token always asks
 * the database.
 */
export class SessionCache {
  private readonly entries = new Map<string, CachedSession>();

  constructor(private readonly maxEntries = 10_000) {}

  get(tokenHash: string, version: string, now: Date): AuthUser | null {
    const entry = this.entries.get(tokenHash);
    if (!entry) return null;
    if (entry.version !== version || entry.expiresAt <= now) {
      this.entries.delete(tokenHash);
      return null;
    }
    return entry.user;
  }

  set(tokenHash: string, entry: CachedSession): void {
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, entry);
    // A Map iterates in insertion order: the first key is the oldest look-up.
    if (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value!);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
