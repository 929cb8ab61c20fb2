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
  /** Look-ups in flight, by version and token hash: concurrent requests share one. */
  private readonly pending = new Map<string, Promise<AuthUser | null>>();

  constructor(private readonly maxEntries = 10_000) {}

  /**
   * The live session's user: from memory, from a look-up of the same token under the same
   * version already under way (no session ended between), or from `lookUp`.
   */
  async user(
    tokenHash: string,
    version: string,
    now: Date,
    lookUp: () => Promise<{ user: AuthUser; expiresAt: Date } | null>,
  ): Promise<AuthUser | null> {
    const cached = this.get(tokenHash, version, now);
    if (cached) return cached;
    const key = `${version}|${tokenHash}`;
    let pending = this.pending.get(key);
    if (!pending) {
      pending = lookUp().then((session) => {
        if (session) this.set(tokenHash, { ...session, version });
        return session?.user ?? null;
      });
      this.pending.set(key, pending);
      const done = () => this.pending.delete(key);
      pending.then(done, done);
    }
    return pending;
  }

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
