import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeFmpServer } from '../../bench/fake-market-server.ts';
import type { Database } from '../../src/db/database.ts';
import { runMigrations } from '../../src/db/migrations.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { isTradingDay, tradingSessionsBetween } from '../../src/domain/calendar/index.ts';
import { POSITION_CSV_COLUMNS } from '../../src/domain/csv/parse-positions-csv.ts';
import { addDays } from '../../src/domain/dates.ts';
import { PgBossJobQueue } from '../../src/jobs/pg-boss-job-queue.ts';
import { createLogger } from '../../src/logger.ts';
import { SimulatedProvider } from '../../src/market/providers/simulated/simulated-provider.ts';
import { seedReferenceData } from '../../src/pipeline/reference-data.ts';
import { SymbolCache } from '../../src/pipeline/symbol-cache.ts';
import {
  databaseUrlOf,
  queryOnce,
  startBetaboard,
  WORKER_READY,
  type BetaboardProcess,
} from '../helpers/betaboard-process.ts';
import { startTestPostgres, type TestPostgresServer } from '../helpers/postgres-server.ts';
import {
  HoldableSource,
  RunWatcher,
  SimulatedClock,
  sendNightlyTick,
  startSender,
} from '../helpers/simulated-nights.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * A month of nights on PostgreSQL: two `betaboard worker` processes whose clock is simulated
 * (BETABOARD_TEST_CLOCK_FILE) run the nightly symbol batch and its portfolio refresh for every
 * weekday from 2025-11-03 to 2025-12-02 — 21 NYSE sessions and Thanksgiving (2025-11-27), whose
 * tick must do nothing. One night is skipped (the next one catches up both sessions) and on
 * another the worker running the batch is killed with SIGKILL mid-run (a restarted pair finds
 * the run stale, retries it and finishes it). Meanwhile the user, through the API, adds money,
 * takes some out (back-dated) and buys a lot mid-month. Afterwards every portfolio has exactly one
 * complete snapshot per session, and its daily P&L plus the flows add up to its NAV change.
 *
 * Market data comes from the FMP client over HTTP, answered by a local fake provider.
 */
const ANCHOR = '2025-10-31';
const FIRST = '2025-11-03';
const LAST = '2025-12-02';
const HOLIDAY = '2025-11-27';
const SKIPPED = '2025-11-13';
const KILLED = '2025-11-20';
const STALE_AFTER_SECONDS = 4;

const HEADER = POSITION_CSV_COLUMNS.map((c) => c.header).join(',');
const BOOKS: Record<string, string[]> = {
  Growth: ['AAPL,100,180,2025-03-03', 'MSFT,40,390,2025-04-01', 'SPY,50,560,2025-06-02'],
  Value: ['XOM,200,110,2025-02-03', 'JNJ,120,150,2025-05-01'],
  Hedged: ['NVDA,150,120,2025-07-01', 'TSLA,-60,300,2025-08-01', 'QQQ,20,480,2025-09-02'],
};
const csvOf = (lines: string[]) =>
  [HEADER, ...lines.map((l) => l + ','.repeat(HEADER.split(',').length - 4))].join('\n');

/** Weekdays of the span: the nights a weekday cron fires, Thanksgiving included. */
function weekdays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const day = new Date(`${d}T12:00:00Z`).getUTCDay();
    if (day !== 0 && day !== 6) out.push(d);
  }
  return out;
}

interface HistoryBody {
  snapshots: { date: string; net_asset_value: number; daily_pnl: number }[];
}
interface EquityChangesBody {
  equity_changes: {
    change_type: 'CONTRIBUTION' | 'WITHDRAWAL';
    amount: number;
    change_date: string;
  }[];
}

describe('a month of nights across two workers', () => {
  let pg: TestPostgresServer;
  let url: string;
  let dir: string;
  let clock: SimulatedClock;
  let fake: FakeFmpServer;
  let source: HoldableSource;
  let database: Database;
  let jobs: PgBossJobQueue;
  let app: TestApp;
  let sender: PgBoss;
  let watcher: RunWatcher;
  const workers: BetaboardProcess[] = [];
  let fmpUrl: string;

  const startWorker = (label: string) => {
    const worker = startBetaboard(
      label,
      ['worker', '--no-schedule', '--concurrency', '1'],
      {
        ...process.env,
        DATABASE_URL: url,
        MARKET_DATA_PROVIDER: 'fmp',
        FMP_API_KEY: 'test-key',
        FMP_BASE_URL: fmpUrl,
        FMP_REQUESTS_PER_SECOND: '1000',
        BETABOARD_SEED_DEMO: 'false',
        BETABOARD_TEST_CLOCK_FILE: clock.file,
        BETABOARD_STALE_AFTER_SECONDS: String(STALE_AFTER_SECONDS),
        LOG_LEVEL: 'info',
      },
      WORKER_READY,
    );
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    pg = await startTestPostgres();
    await queryOnce(pg.url, 'CREATE DATABASE month');
    url = databaseUrlOf(pg.url, 'month');
    dir = mkdtempSync(path.join(os.tmpdir(), 'betaboard-month-'));
    clock = new SimulatedClock(path.join(dir, 'now'));
    clock.night(ANCHOR);

    database = await openDatabase({ databaseUrl: url });
    await runMigrations(database);
    await seedReferenceData(database.db);

    const simulated = new SimulatedProvider({ latestDate: LAST });
    source = new HoldableSource(simulated);
    fake = new FakeFmpServer(source.provider);
    fmpUrl = await fake.start();

    const logger = createLogger('silent');
    jobs = await PgBossJobQueue.start({
      database,
      pipeline: {
        db: database.db,
        provider: simulated,
        cache: new SymbolCache(),
        logger,
        now: clock.now,
      },
      logger,
      work: false,
      schedule: false,
    });
    app = await createTestApp(database, { jobs, marketData: simulated, now: clock.now });
    sender = await startSender(url);
    watcher = await RunWatcher.connect(url);
  });

  afterAll(async () => {
    source?.release();
    await Promise.all(workers.map((w) => w.stop(5_000)));
    await watcher?.close().catch(() => {});
    await sender?.stop({ graceful: false, wait: false }).catch(() => {});
    await jobs?.stop(1_000).catch(() => {});
    await database?.close().catch(() => {});
    await fake?.stop();
    pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves one complete snapshot per session and P&L plus flows equal to the NAV change', async () => {
    const sessions = tradingSessionsBetween(FIRST, LAST);
    expect(sessions).toHaveLength(21);
    expect(sessions).not.toContain(HOLIDAY);
    expect(isTradingDay(HOLIDAY)).toBe(false);

    let [a, b] = [startWorker('worker A'), startWorker('worker B')];
    await Promise.all([a.ready, b.ready]);

    // Onboarding on the anchor's evening: three books, calculated by the workers. The app's
    // sessions expire by the simulated clock too: a new login on each simulated day.
    let token = await app.login('month@example.com');
    const api = async <T>(method: string, route: string, body?: unknown) => {
      const res = await app.send(method, `/api/v1${route}`, body, token);
      const json = (await res.json()) as T;
      expect(res.status, JSON.stringify(json)).toBeLessThan(300);
      return json;
    };
    const ids: Record<string, string> = {};
    for (const [name, lines] of Object.entries(BOOKS)) {
      const form = new FormData();
      form.set('portfolio_name', name);
      form.set('account_name', name);
      form.set('account_type', 'taxable');
      form.set('equity_balance', '250000');
      form.set('csv_file', new File([csvOf(lines)], `${name}.csv`));
      const res = await app.request('/api/v1/onboarding/create-portfolio', {
        method: 'POST',
        token,
        body: form,
      });
      expect(res.status).toBe(201);
      ids[name] = ((await res.json()) as { portfolio_id: string }).portfolio_id;
      await api('POST', `/portfolios/${ids[name]}/calculate`);
    }
    await watcher.untilQuiet(120_000, 'onboarding');

    // What the user does during the day, before that night's batch.
    const daytime: Record<string, () => Promise<unknown>> = {
      '2025-11-07': () =>
        api('POST', `/portfolios/${ids.Growth}/equity-changes`, {
          change_type: 'CONTRIBUTION',
          amount: 25_000,
          change_date: '2025-11-07',
        }),
      '2025-11-10': () =>
        api('POST', `/portfolios/${ids.Value}/positions`, [
          { symbol: 'CVX', quantity: 80, entry_price: 150, entry_date: '2025-11-10' },
        ]),
      // Back-dated: the history from 2025-11-21 is restated.
      '2025-11-25': () =>
        api('POST', `/portfolios/${ids.Growth}/equity-changes`, {
          change_type: 'WITHDRAWAL',
          amount: 10_000.55,
          change_date: '2025-11-21',
        }),
    };

    const ticks: Record<string, string> = {};
    for (const night of weekdays(FIRST, LAST)) {
      if (daytime[night]) {
        clock.day(night);
        token = await app.login('month@example.com');
        await daytime[night]();
        await watcher.untilQuiet(120_000, `daytime ${night}`);
      }
      clock.night(night);
      if (night === SKIPPED) continue;

      if (night !== KILLED) {
        ticks[night] = await sendNightlyTick(sender);
        await watcher.untilQuiet(120_000, `night ${night}`);
        continue;
      }

      // The kill: B stops gracefully first, so that A takes the batch; A dies while it waits for
      // the provider's closes; a new pair starts and finds the run stale.
      expect((await b.stop()).code).toBe(0);
      const entered = source.holdNext();
      ticks[night] = await sendNightlyTick(sender);
      await entered;
      expect(await watcher.statusOf(ticks[night])).toBe('running');
      a.child.kill('SIGKILL');
      expect(await a.exited).toEqual({ code: null, signal: 'SIGKILL' });
      source.release();
      [a, b] = [startWorker('worker A again'), startWorker('worker B again')];
      await Promise.all([a.ready, b.ready]);
      await watcher.untilQuiet(120_000, `night ${night} after the kill`);
      const [log] = await watcher.query<{ text: string }>(
        'SELECT activity_log::text AS text FROM batch_runs WHERE id = $1',
        [ticks[night]],
      );
      expect(log!.text).toContain('The previous attempt was interrupted');
    }

    // Every tick ended `completed` and ran exactly the sessions it had to.
    const datesRun: Record<string, string[]> = {};
    for (const [night, id] of Object.entries(ticks)) {
      expect(await watcher.statusOf(id), night).toBe('completed');
      const rows = await watcher.query<{ date: string }>(
        `SELECT to_char(calculation_date, 'YYYY-MM-DD') AS date FROM batch_runs
         WHERE triggered_by = $1 AND job_type = 'symbol_batch' AND status = 'completed'
         ORDER BY calculation_date`,
        [`job:${id}`],
      );
      datesRun[night] = rows.map((r) => r.date);
    }
    const expectedRuns = Object.fromEntries(
      Object.keys(ticks).map((night) => [
        night,
        // Thanksgiving's tick runs nothing: its target is the last session, already done.
        night === HOLIDAY ? [] : night === addDays(SKIPPED, 1) ? [SKIPPED, night] : [night],
      ]),
    );
    expect(datesRun).toEqual(expectedRuns);
    const [refreshes] = await watcher.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM batch_runs
       WHERE job_type = 'portfolio_refresh' AND triggered_by = 'scheduler' AND status = 'completed'`,
    );
    expect(refreshes!.n).toBe(Object.keys(ticks).length);

    token = await app.login('month@example.com');
    for (const [name, id] of Object.entries(ids)) {
      // Exactly one complete snapshot per session, none on the holiday or a weekend.
      const days = await watcher.query<{ date: string; n: number; complete: boolean }>(
        `SELECT to_char(snapshot_date, 'YYYY-MM-DD') AS date, count(*)::int AS n,
                bool_and(is_complete) AS complete
         FROM portfolio_snapshots WHERE portfolio_id = $1 AND snapshot_date BETWEEN $2 AND $3
         GROUP BY snapshot_date ORDER BY snapshot_date`,
        [id, FIRST, LAST],
      );
      expect(
        days.map((d) => d.date),
        name,
      ).toEqual(sessions);
      expect(
        days.filter((d) => d.n !== 1 || !d.complete),
        name,
      ).toEqual([]);

      // Σ daily P&L + Σ flows = NAV(last) − NAV(anchor), to the cent, as the API reports them.
      const { snapshots } = await api<HistoryBody>(
        'GET',
        `/data/portfolio/${id}/history?from=${ANCHOR}&to=${LAST}`,
      );
      expect(snapshots.map((s) => s.date)).toEqual([ANCHOR, ...sessions]);
      const { equity_changes: changes } = await api<EquityChangesBody>(
        'GET',
        `/portfolios/${id}/equity-changes`,
      );
      const flows = changes
        .filter((c) => c.change_date > ANCHOR && c.change_date <= LAST)
        .reduce((sum, c) => sum + (c.change_type === 'CONTRIBUTION' ? c.amount : -c.amount), 0);
      const pnl = snapshots.slice(1).reduce((sum, s) => sum + s.daily_pnl, 0);
      const navChange = snapshots.at(-1)!.net_asset_value - snapshots[0]!.net_asset_value;
      expect(
        Math.abs(pnl + flows - navChange),
        `${name}: ${pnl} + ${flows} vs ${navChange}`,
      ).toBeLessThan(0.005);
      if (name === 'Growth') expect(flows).toBeCloseTo(25_000 - 10_000.55, 2);
      // The flows the snapshots carry are the ones the user entered.
      const [stored] = await watcher.query<{ flows: string }>(
        `SELECT coalesce(sum(daily_capital_flow), 0)::text AS flows FROM portfolio_snapshots
         WHERE portfolio_id = $1 AND snapshot_date > $2 AND snapshot_date <= $3`,
        [id, ANCHOR, LAST],
      );
      expect(Number(stored!.flows), name).toBeCloseTo(flows, 2);
    }
  });
});
