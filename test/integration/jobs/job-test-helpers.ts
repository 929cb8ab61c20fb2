import type { Database } from '../../../src/db/database.ts';
import {
  BatchRunRepository,
  type BatchRunRow,
} from '../../../src/db/repositories/batch-run-repository.ts';
import { PgBossJobQueue, type PgBossJobQueueOptions } from '../../../src/jobs/pg-boss-job-queue.ts';
import { createLogger } from '../../../src/logger.ts';
import type { MarketDataProvider } from '../../../src/market/provider.ts';
import { SymbolCache } from '../../../src/pipeline/symbol-cache.ts';
export { stock } from '../../helpers/stock-position.ts';

export const silent = createLogger('silent');

/** A queue on a test database: fast polling, immediate retries, no schedules unless asked. */
export function startTestQueue(
  database: Database,
  provider: MarketDataProvider,
  options: Partial<PgBossJobQueueOptions> = {},
): Promise<PgBossJobQueue> {
  return PgBossJobQueue.start({
    database,
    pipeline: { db: database.db, provider, cache: new SymbolCache(), logger: silent },
    logger: silent,
    schedule: false,
    pollingIntervalSeconds: 0.5,
    retryDelaySeconds: 0,
    ...options,
  });
}

/** Polls `read` until `done` holds (the test's own timeout bounds the wait). */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  pollMs = 100,
): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

const FINISHED = new Set(['completed', 'partial', 'failed']);

export function waitForRun(database: Database, id: string, until = FINISHED): Promise<BatchRunRow> {
  const repo = new BatchRunRepository(database.db);
  return waitFor(
    () => repo.get(id),
    (row) => row !== null && until.has(row.status),
  ) as Promise<BatchRunRow>;
}

/**
 * The sample provider, counting how often each symbol is asked for closes; `hold` makes every
 * request carrying one of its symbols wait for ever (a worker stuck mid-fetch, about to die).
 */
export class CountingProvider implements MarketDataProvider {
  readonly closeRequests = new Map<string, number>();
  readonly profileRequests = new Map<string, number>();
  private holdStarted: () => void = () => {};
  private paused: { promise: Promise<void>; resume: () => void } | null = null;
  /** Resolves when the first held request arrives. */
  readonly held: Promise<void>;

  constructor(
    private readonly inner: MarketDataProvider,
    private readonly hold: ReadonlySet<string> = new Set(),
  ) {
    this.held = new Promise((resolve) => (this.holdStarted = resolve));
  }

  get name() {
    return this.inner.name;
  }
  get capabilities() {
    return this.inner.capabilities;
  }
  get maxSymbolsPerRequest() {
    return this.inner.maxSymbolsPerRequest;
  }
  latestAvailableDate() {
    return this.inner.latestAvailableDate();
  }
  /** Until `resume()`, every closes request waits (a slow provider, to observe a live run). */
  pause(): void {
    let resume = () => {};
    const promise = new Promise<void>((resolve) => (resume = resolve));
    this.paused = { promise, resume };
  }

  resume(): void {
    this.paused?.resume();
    this.paused = null;
  }

  async getDailyCloses(symbols: readonly string[], from: string, to: string) {
    for (const s of symbols) this.closeRequests.set(s, (this.closeRequests.get(s) ?? 0) + 1);
    if (this.paused) await this.paused.promise;
    if (symbols.some((s) => this.hold.has(s))) {
      this.holdStarted();
      return new Promise<never>(() => {});
    }
    return this.inner.getDailyCloses(symbols, from, to);
  }
  async getProfiles(symbols: readonly string[]) {
    for (const s of symbols) this.profileRequests.set(s, (this.profileRequests.get(s) ?? 0) + 1);
    return this.inner.getProfiles(symbols);
  }
  get getFundamentals() {
    const inner = this.inner;
    return inner.getFundamentals
      ? (symbols: readonly string[]) => inner.getFundamentals!(symbols)
      : undefined;
  }
  get getOptionCloses() {
    const inner = this.inner;
    return inner.getOptionCloses
      ? (contracts: readonly string[], from: string, to: string) =>
          inner.getOptionCloses!(contracts, from, to)
      : undefined;
  }
}
