import type { Database } from '../../db/database.ts';
import { ReadVersionRepository } from '../../db/repositories/read-version-repository.ts';

/**
 * The database's read version as a request needs it: one that reflects every write committed
 * before the request arrived. Reading it from the database before each request is exact but costs
 * a round trip; this gives the same guarantee for less.
 *
 * - Embedded database: only this process can write it, and each committed counted write is
 *   notified to this process before the committing statement returns. The version is a counter in
 *   memory, bumped by those notifications — no query at all.
 * - PostgreSQL (or until the embedded database's LISTEN is in place): the version is read from the
 *   database, but concurrent requests share one query. A request waits for a query *sent after it
 *   arrived* (the one in flight may have taken its snapshot before a write the client already saw
 *   acknowledged), so under load one query answers every request that arrived while the previous
 *   one ran.
 *
 * The value is prefixed with the source's own id: two databases (or two openings of one) never
 * share a cache key.
 */
export class ReadVersionSource {
  private static readonly sources = new WeakMap<Database, ReadVersionSource>();
  private static nextId = 1;

  /** The one source per open database (the response and session caches of every app share it). */
  static of(database: Database): ReadVersionSource {
    let source = ReadVersionSource.sources.get(database);
    if (!source) {
      source = new ReadVersionSource(new ReadVersionRepository(database.db));
      ReadVersionSource.sources.set(database, source);
    }
    return source;
  }

  private readonly id = ReadVersionSource.nextId++;
  /** Writes notified since LISTEN took effect; null while versions come from queries. */
  private notifiedWrites: number | null = null;
  private running: Promise<string> | null = null;
  private queued: Promise<string> | null = null;
  /** Database queries made for the version (tests and the benchmark read it). */
  queries = 0;

  /** Settles once LISTEN is in place or known to be unavailable (PostgreSQL). */
  readonly settled: Promise<void>;

  constructor(private readonly repository: ReadVersionRepository) {
    // Writes committed before LISTEN takes effect are seen by any query made after it; until
    // then every request reads the version from the database.
    this.settled = repository
      .listenForWrites(() => {
        if (this.notifiedWrites !== null) this.notifiedWrites++;
      })
      .then(
        (listening) => {
          if (listening) this.notifiedWrites = 0;
        },
        () => {}, // no LISTEN: versions keep coming from queries
      );
  }

  /** True when the version comes from notifications rather than queries. */
  get listening(): boolean {
    return this.notifiedWrites !== null;
  }

  /** The version for a request arriving now. */
  current(): Promise<string> {
    if (this.notifiedWrites !== null) return Promise.resolve(`${this.id}n${this.notifiedWrites}`);
    if (!this.running) return (this.running = this.query());
    this.queued ??= this.running
      .catch(() => {})
      .then(() => {
        this.running = this.query();
        this.queued = null;
        return this.running;
      });
    return this.queued;
  }

  private query(): Promise<string> {
    this.queries++;
    const run = this.repository.current().then((version) => `${this.id}q${version}`);
    // The next caller starts a fresh query once this one is done (unless a queued one took over).
    const done = () => {
      if (this.running === run) this.running = null;
    };
    run.then(done, done);
    return run;
  }
}
