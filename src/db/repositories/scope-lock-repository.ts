import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { driverOf, type Db } from '../database.ts';

/** Both numbers of a two-key advisory lock: a namespace of ours, then a hash of the scope key. */
const SCOPE_LOCK_NAMESPACE = 0x62627363; // 'bbsc'
const LOCK_POLL_MS = 100;

/** Held scope locks of the embedded database, per PGlite instance (one process owns it). */
const embeddedLocks = new WeakMap<PGlite, Map<string, Promise<void>>>();

export interface ScopeLockOptions {
  /** Called once, with the keys someone else holds, when the caller has to wait. */
  onWait?: (busyKeys: string[]) => void;
  /** Aborting stops waiting (the promise rejects) and releases locks already held. */
  signal?: AbortSignal;
}

/**
 * Mutual exclusion on named scopes (e.g. `symbol:NVDA`) across every process on the database,
 * so concurrent calculations that need the same symbol fetch it once: the first holds the lock
 * while it fetches, the others wait and then find it done. PostgreSQL: session advisory locks on
 * one pooled connection, taken all at once or not at all (a waiter holds no connection, so
 * waiters can never starve the holder of the pool); they vanish with a dead process's
 * connection. PGlite: one process owns the data directory, so an in-memory table is the same
 * thing.
 */
export class ScopeLockRepository {
  constructor(private readonly db: Db) {}

  /** Waits until every key is free, holds them all, and returns the function releasing them. */
  async acquire(
    keys: readonly string[],
    options: ScopeLockOptions = {},
  ): Promise<() => Promise<void>> {
    const sorted = [...new Set(keys)].sort();
    if (sorted.length === 0) return async () => {};
    options.signal?.throwIfAborted();
    // One listener per call, however long the wait: a race per poll would pile them up.
    const aborted = abortPromise(options.signal);
    aborted.catch(() => {});
    const driver = driverOf(this.db);
    return driver.engine === 'pglite'
      ? this.acquireEmbedded(driver.client, sorted, options, aborted)
      : this.acquireAdvisory(driver.pool, sorted, options, aborted);
  }

  private async acquireEmbedded(
    client: PGlite,
    keys: string[],
    { onWait, signal }: ScopeLockOptions,
    aborted: Promise<never>,
  ): Promise<() => Promise<void>> {
    let held = embeddedLocks.get(client);
    if (!held) embeddedLocks.set(client, (held = new Map()));
    const table = held;
    const mine: { key: string; release: () => void }[] = [];
    const releaseAll = async () => {
      for (const m of mine.splice(0)) {
        table.delete(m.key);
        m.release();
      }
    };
    const onAbort = () => void releaseAll();
    signal?.addEventListener('abort', onAbort, { once: true });
    let waited = false;
    try {
      // Keys in sorted order: two callers never hold each other's next key, so no deadlock.
      for (const key of keys) {
        for (let other = table.get(key); other; other = table.get(key)) {
          if (!waited) onWait?.(keys.filter((k) => table.has(k)));
          waited = true;
          await Promise.race([other, aborted]);
        }
        let release = () => {};
        table.set(key, new Promise<void>((resolve) => (release = resolve)));
        mine.push({ key, release });
      }
    } catch (error) {
      signal?.removeEventListener('abort', onAbort);
      await releaseAll();
      throw error;
    }
    return async () => {
      signal?.removeEventListener('abort', onAbort);
      await releaseAll();
    };
  }

  private async acquireAdvisory(
    pool: pg.Pool,
    keys: string[],
    { onWait, signal }: ScopeLockOptions,
    aborted: Promise<never>,
  ): Promise<() => Promise<void>> {
    let waited = false;
    for (;;) {
      signal?.throwIfAborted();
      const client = await pool.connect();
      let taken: { key: string; ok: boolean }[];
      try {
        taken = (
          await client.query<{ key: string; ok: boolean }>(
            `SELECT k AS key, pg_try_advisory_lock($1, hashtext(k)) AS ok FROM unnest($2::text[]) AS k`,
            [SCOPE_LOCK_NAMESPACE, keys],
          )
        ).rows;
      } catch (error) {
        client.release(error as Error);
        throw error;
      }
      if (taken.every((t) => t.ok)) {
        let released = false;
        const release = async () => {
          if (released) return;
          released = true;
          signal?.removeEventListener('abort', onAbort);
          await unlockAndRelease(client);
        };
        const onAbort = () => void release();
        signal?.addEventListener('abort', onAbort, { once: true });
        return release;
      }
      await unlockAndRelease(client);
      if (!waited) onWait?.(taken.filter((t) => !t.ok).map((t) => t.key));
      waited = true;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          new Promise((resolve) => (timer = setTimeout(resolve, LOCK_POLL_MS))),
          aborted,
        ]);
      } finally {
        clearTimeout(timer);
      }
    }
  }
}

/** Session locks die with their connection; a healthy one goes back to the pool unlocked. */
async function unlockAndRelease(client: pg.PoolClient): Promise<void> {
  try {
    await client.query('SELECT pg_advisory_unlock_all()');
    client.release();
  } catch (error) {
    client.release(error as Error);
  }
}

function abortPromise(signal: AbortSignal | undefined): Promise<never> {
  if (!signal) return new Promise<never>(() => {});
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
  );
}
