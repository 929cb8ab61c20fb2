import { writeFileSync } from 'node:fs';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { SCHEDULES } from '../../src/jobs/scheduler.ts';
import type { MarketDataProvider } from '../../src/market/provider.ts';

/**
 * The clock of `betaboard worker` processes started with BETABOARD_TEST_CLOCK_FILE: the test
 * moves it by rewriting the file, and the in-process app reads the same instant through `now`.
 */
export class SimulatedClock {
  private current = new Date(0);

  constructor(readonly file: string) {}

  /**
   * `date` at `time` UTC−5 (New York standard time; in daylight time the same instant is an
   * hour later, still after the close or still mid-session).
   */
  set(date: string, time: string): void {
    const text = `${date}T${time}:00-05:00`;
    this.current = new Date(text);
    writeFileSync(this.file, `${text}\n`);
  }

  /** The evening after the close (18:00), when the nightly batch runs. */
  night(date: string): void {
    this.set(date, '18:00');
  }

  /** Mid-session (10:00): the last completed session is the previous one. */
  day(date: string): void {
    this.set(date, '10:00');
  }

  readonly now = (): Date => this.current;
}

/**
 * A market-data source whose closes can be held: while held, the first request waits (and
 * `entered` resolves) until `release()`. It feeds the fake provider's HTTP server, so a worker
 * waiting on it is in the middle of a batch — the moment to kill it.
 */
export class HoldableSource {
  readonly provider: MarketDataProvider;
  private hold: { entered: () => void; released: Promise<void>; release: () => void } | null = null;

  constructor(inner: MarketDataProvider) {
    const getDailyCloses = inner.getDailyCloses.bind(inner);
    this.provider = Object.assign(Object.create(inner) as MarketDataProvider, {
      getDailyCloses: async (...args: Parameters<MarketDataProvider['getDailyCloses']>) => {
        const hold = this.hold;
        if (hold) {
          hold.entered();
          await hold.released;
        }
        return getDailyCloses(...args);
      },
    });
  }

  /** Holds the next requests; resolves when the first one arrives. */
  holdNext(): Promise<void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    return new Promise<void>((entered) => {
      this.hold = { entered, released, release };
    });
  }

  release(): void {
    this.hold?.release();
    this.hold = null;
  }
}

/** A persistent connection for the many small polls of a simulated month. */
export class RunWatcher {
  private constructor(private readonly client: pg.Client) {}

  static async connect(url: string): Promise<RunWatcher> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new RunWatcher(client);
  }

  async query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await this.client.query<T>(text, values)).rows;
  }

  /**
   * Waits until no job is waiting or running: nothing left in pg-boss's queues (created, retry,
   * active) and no `batch_runs` row queued or running.
   */
  async untilQuiet(timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await this.query<{ jobs: number; runs: number }>(
        `SELECT (SELECT count(*)::int FROM pgboss.job
                  WHERE state IN ('created', 'retry', 'active')
                    AND name IN ('onboarding', 'symbol_batch', 'portfolio_refresh')) AS jobs,
                (SELECT count(*)::int FROM batch_runs WHERE status IN ('queued', 'running')) AS runs`,
      );
      if (row!.jobs === 0 && row!.runs === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`${what}: still ${row!.jobs} job(s) and ${row!.runs} run(s) live`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async statusOf(runId: string): Promise<string | undefined> {
    const [row] = await this.query<{ status: string }>(
      'SELECT status FROM batch_runs WHERE id = $1',
      [runId],
    );
    return row?.status;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

/** What the scheduler's 21:00 weekday tick sends (src/jobs/scheduler.ts), minus the cron. */
const NIGHTLY = SCHEDULES.find((s) => s.queue === 'symbol_batch')!;

/**
 * Sends the nightly symbol batch exactly as a cron tick does — the scheduler's payload (which
 * makes the batch queue the portfolio refresh when it ends) and its singleton key — so that a
 * simulated night does not wait for real 21:00. Returns the job id, which is its run's id.
 */
export async function sendNightlyTick(boss: PgBoss): Promise<string> {
  const id = await boss.send(NIGHTLY.queue, NIGHTLY.data, {
    singletonKey: NIGHTLY.singletonKey,
    retryLimit: 3,
    retryDelay: 1,
  });
  if (!id) throw new Error('the nightly tick was not queued: one is already waiting');
  return id;
}

/** A pg-boss client that only sends (no maintenance, no cron, no schema changes). */
export async function startSender(url: string): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    supervise: false,
    schedule: false,
    migrate: false,
  });
  boss.on('error', () => {});
  await boss.start();
  return boss;
}
