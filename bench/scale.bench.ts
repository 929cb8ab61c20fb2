import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { runMigrations } from '../src/db/migrations.ts';
import { openDatabase } from '../src/db/open-database.ts';
import { SymbolUniverseRepository } from '../src/db/repositories/symbol-universe-repository.ts';
import { PgBossJobQueue } from '../src/jobs/pg-boss-job-queue.ts';
import type { BatchJobType } from '../src/jobs/job-queue.ts';
import { createLogger } from '../src/logger.ts';
import { getSampleProvider } from '../src/market/create-provider.ts';
import { SimulatedProvider } from '../src/market/providers/simulated/simulated-provider.ts';
import { runPortfolioRefresh } from '../src/pipeline/portfolio-refresh/run-portfolio-refresh.ts';
import { seedReferenceData } from '../src/pipeline/reference-data.ts';
import { runSymbolBatch } from '../src/pipeline/symbol-batch/run-symbol-batch.ts';
import { SymbolCache } from '../src/pipeline/symbol-cache.ts';
import {
  databaseUrlOf,
  queryOnce,
  SERVE_READY,
  startBetaboard,
  waitForRun,
  WORKER_READY,
  type BetaboardProcess,
} from '../test/helpers/betaboard-process.ts';
import { startTestPostgres, type TestPostgresServer } from '../test/helpers/postgres-server.ts';
import { tableChecksums, type TableChecksum } from '../test/helpers/table-checksums.ts';
import { createBenchBooks, round } from './bench-helpers.ts';
import { benchPortfolioRefresh } from './portfolio-refresh.bench.ts';

/**
 * Issue 15: the production shape measured. A local PostgreSQL is started (as the integration
 * tests start theirs); the nightly work is enqueued as an admin would and run by 1 and then 2
 * `betaboard worker` processes on identical copies of one prepared database (CREATE DATABASE …
 * TEMPLATE), so the two figures differ only in the number of workers. Their written tables are
 * compared by checksum. Then the dashboard endpoints under load (autocannon) on PGlite (one
 * `serve`) and PostgreSQL (two `serve` processes, connections spread over both).
 *
 * Options (after `npm run bench:scale --`): --only=symbol_batch,portfolio_refresh,
 * pglite_refresh,api_load; --symbols=3000 --portfolios=5000 --positions=30
 * --pglite-portfolios=1000 --duration=30 --connections=50 --workers=1,2.
 */
const PARTS = ['symbol_batch', 'portfolio_refresh', 'pglite_refresh', 'api_load'] as const;
type Part = (typeof PARTS)[number];

export interface ScaleOptions {
  only: Part[];
  symbols: number;
  portfolios: number;
  positions: number;
  pglitePortfolios: number;
  durationSeconds: number;
  connections: number;
  workerCounts: number[];
}

export function parseScaleArgs(argv: readonly string[]): ScaleOptions {
  const args = new Map<string, string>();
  for (const a of argv) {
    const m = /^--([a-z-]+)=(.*)$/.exec(a);
    if (!m) throw new Error(`bench:scale: unknown argument ${a}`);
    args.set(m[1]!, m[2]!);
  }
  const num = (name: string, fallback: number) => {
    const v = args.get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`bench:scale: --${name} must be ≥ 1`);
    return n;
  };
  const only = (args.get('only')?.split(',') ?? [...PARTS]) as Part[];
  for (const p of only) {
    if (!PARTS.includes(p)) throw new Error(`bench:scale: --only takes ${PARTS.join(', ')}`);
  }
  return {
    only,
    symbols: num('symbols', 3_000),
    portfolios: num('portfolios', 5_000),
    positions: num('positions', 30),
    pglitePortfolios: num('pglite-portfolios', 1_000),
    durationSeconds: num('duration', 30),
    connections: num('connections', 50),
    workerCounts: (args.get('workers') ?? '1,2').split(',').map(Number),
  };
}

const log = (m: string) => process.stderr.write(`  ${m}\n`);
const silent = createLogger('silent');
const SYMBOL_DATE = '2026-07-31';

function baseEnv(databaseUrl: string | undefined, extra: NodeJS.ProcessEnv = {}) {
  return {
    ...process.env,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    BETABOARD_SEED_DEMO: 'false',
    MARKET_DATA_PROVIDER: 'sample',
    LOG_LEVEL: 'info',
    PORT: '0',
    HOST: '127.0.0.1',
    ...extra,
  };
}

async function createDatabase(pg: TestPostgresServer, name: string, template?: string) {
  await queryOnce(pg.url, `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  return databaseUrlOf(pg.url, name);
}

const dropDatabase = (pg: TestPostgresServer, name: string) =>
  queryOnce(pg.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);

/**
 * Clones `template`, starts `workers` worker processes on the clone, enqueues one batch of
 * `type` as the admin API does, and times it from the enqueue to the run's final status.
 */
async function timeBatch(
  pg: TestPostgresServer,
  template: string,
  workers: number,
  type: BatchJobType,
  date: string,
  workerEnv: NodeJS.ProcessEnv,
) {
  const name = `${template}_w${workers}`;
  const url = await createDatabase(pg, name, template);
  const procs: BetaboardProcess[] = [];
  try {
    for (let i = 0; i < workers; i++) {
      procs.push(
        startBetaboard(
          `worker ${i + 1}`,
          ['worker', '--no-schedule', '--concurrency', '1'],
          baseEnv(url, workerEnv),
          WORKER_READY,
        ),
      );
    }
    await Promise.all(procs.map((p) => p.ready));
    const database = await openDatabase({ databaseUrl: url });
    const queue = await PgBossJobQueue.start({
      database,
      pipeline: {
        db: database.db,
        provider: new SimulatedProvider(),
        cache: new SymbolCache(),
        logger: silent,
      },
      logger: silent,
      work: false,
      schedule: false,
    });
    const started = performance.now();
    const { batchRunId } = await queue.enqueueBatch({ type, date, triggeredBy: 'bench' });
    const status = await waitForRun(url, batchRunId, 30 * 60_000);
    const seconds = (performance.now() - started) / 1000;
    await queue.stop();
    await database.close();
    // Which processes worked on it: pg-boss records each job's worker only through its output.
    const jobs = await queryOnce<{ name: string; n: string }>(
      url,
      `SELECT name, count(*)::text AS n FROM pgboss.job WHERE name NOT LIKE '__pgboss%' GROUP BY name`,
    );
    // The request's per-date run: where its time went, phase by phase (chunked phases included).
    const [dateRun] = await queryOnce<{ phases: { id: string; duration_ms: number | null }[] }>(
      url,
      'SELECT phases FROM batch_runs WHERE triggered_by = $1 ORDER BY created_at DESC LIMIT 1',
      [`job:${batchRunId}`],
    );
    await Promise.all(procs.map((p) => p.stop()));
    const checksums = await tableChecksums(url);
    return {
      workers,
      status,
      seconds: round(seconds),
      phase_seconds: Object.fromEntries(
        (dateRun?.phases ?? []).map((p) => [p.id, round((p.duration_ms ?? 0) / 1000)]),
      ),
      queue_jobs: Object.fromEntries(jobs.map((j) => [j.name, Number(j.n)])),
      checksums,
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop(5_000)));
    await dropDatabase(pg, name);
  }
}

type Timed = Awaited<ReturnType<typeof timeBatch>>;

function compare(runs: Timed[]) {
  const one = runs.find((r) => r.workers === 1);
  const two = runs.find((r) => r.workers === 2);
  const same = (a: Record<string, TableChecksum>, b: Record<string, TableChecksum>) =>
    Object.keys(a).every((t) => a[t]!.rows === b[t]!.rows && a[t]!.hash === b[t]!.hash);
  return {
    runs: runs.map(({ checksums, ...r }) => ({
      ...r,
      rows_written: Object.fromEntries(Object.entries(checksums).map(([t, c]) => [t, c.rows])),
    })),
    speed_up: one && two ? round(one.seconds / two.seconds, 2) : null,
    identical_tables: runs.every((r) => same(runs[0]!.checksums, r.checksums)),
  };
}

async function benchSymbolBatchScale(pg: TestPostgresServer, o: ScaleOptions) {
  const template = 'scale_symbols';
  const url = await createDatabase(pg, template);
  const database = await openDatabase({ databaseUrl: url });
  await runMigrations(database);
  const names = Array.from({ length: o.symbols }, (_, i) => `SIM${String(i + 1).padStart(4, '0')}`);
  await new SymbolUniverseRepository(database.db).register(
    names.map((symbol) => ({ symbol, assetType: 'equity' as const })),
    SYMBOL_DATE,
  );
  await database.close();
  const runs: Timed[] = [];
  try {
    for (const workers of o.workerCounts) {
      log(`symbol batch, ${o.symbols} symbols, ${workers} worker(s)…`);
      runs.push(
        await timeBatch(pg, template, workers, 'symbol_batch', SYMBOL_DATE, {
          MARKET_DATA_PROVIDER: 'simulated',
          SIMULATED_LATEST_DATE: SYMBOL_DATE,
        }),
      );
    }
  } finally {
    await dropDatabase(pg, template);
  }
  return {
    name: 'symbol_batch_workers',
    symbols: o.symbols,
    history_days: 365,
    target_speed_up: 1.5,
    ...compare(runs),
  };
}

async function benchRefreshScale(pg: TestPostgresServer, o: ScaleOptions) {
  const template = 'scale_refresh';
  const url = await createDatabase(pg, template);
  const database = await openDatabase({ databaseUrl: url });
  const prep: Record<string, number> = {};
  const runs: Timed[] = [];
  try {
    await runMigrations(database);
    // As every process does when it opens its database: the factor definitions and scenarios.
    await seedReferenceData(database.db);
    const provider = await getSampleProvider();
    const ctx = { db: database.db, provider, cache: new SymbolCache(), logger: silent };
    const symbols = provider.symbols.filter((s) => !['VIXY'].includes(s));
    let t = performance.now();
    log(`refresh: creating ${o.portfolios} portfolios × ${o.positions} positions…`);
    await createBenchBooks(database.db, symbols, o.portfolios, o.positions);
    prep.create_portfolios_seconds = round((performance.now() - t) / 1000);
    // The preparation must succeed, or the nightly runs measure something else.
    const prepared = (status: string, what: string) => {
      if (status !== 'completed') throw new Error(`bench:scale: ${what} ended ${status}`);
    };
    const first = await runSymbolBatch(ctx, {
      date: '2026-07-30',
      triggeredBy: 'bench',
      backfill: false,
      historyFrom: '2026-03-01',
    });
    prepared(first.runs[0]?.status ?? 'not run', 'the symbol batch of 2026-07-30');
    log('refresh: first refresh (history), in this process…');
    t = performance.now();
    const history = await runPortfolioRefresh(ctx, { date: '2026-07-30', triggeredBy: 'bench' });
    prepared(history.status, 'the first refresh');
    prep.first_refresh_with_history_seconds = round((performance.now() - t) / 1000);
    const second = await runSymbolBatch(ctx, {
      date: SYMBOL_DATE,
      triggeredBy: 'bench',
      backfill: false,
    });
    prepared(second.runs[0]?.status ?? 'not run', `the symbol batch of ${SYMBOL_DATE}`);
    await database.close();
    for (const workers of o.workerCounts) {
      log(`refresh: nightly ${SYMBOL_DATE}, ${workers} worker(s)…`);
      runs.push(await timeBatch(pg, template, workers, 'portfolio_refresh', SYMBOL_DATE, {}));
    }
  } finally {
    await database.close().catch(() => {});
    await dropDatabase(pg, template);
  }
  return {
    name: 'portfolio_refresh_workers',
    portfolios: o.portfolios,
    positions_each: o.positions,
    target_seconds_with_2_workers: 40,
    preparation: prep,
    ...compare(runs),
  };
}

async function benchPgliteRefresh(o: ScaleOptions) {
  const result = (await benchPortfolioRefresh(o.pglitePortfolios, o.positions)) as {
    nightly: { seconds: number; status: string; refreshed: number };
  };
  return {
    name: 'portfolio_refresh_pglite',
    portfolios: o.pglitePortfolios,
    positions_each: o.positions,
    target_seconds: 8,
    nightly: result.nightly,
  };
}

// ---------------------------------------------------------------- API load

const DEMO = { email: 'demo@betaboard.local', password: 'betaboard-demo' };

async function login(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Waits for the background seeding's "demo seeded" line (the demo user exists from then on). */
async function demoSeeded(serve: BetaboardProcess): Promise<void> {
  for (let i = 0; !serve.output().includes('demo seeded'); i++) {
    if (i > 1200 || serve.child.exitCode !== null) {
      throw new Error(`demo never seeded:\n${serve.output().slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the demo user's books are calculated; returns their ids. */
async function demoPortfolios(baseUrl: string, token: string): Promise<string[]> {
  const auth = { authorization: `Bearer ${token}` };
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const res = await fetch(`${baseUrl}/api/v1/data/portfolios`, { headers: auth });
    const list = res.ok ? ((await res.json()) as { id: string }[]) : [];
    const statuses = await Promise.all(
      list.map(async (p) => {
        const s = await fetch(`${baseUrl}/api/v1/onboarding/status/${p.id}`, { headers: auth });
        return s.ok ? ((await s.json()) as { status: string }).status : 'unknown';
      }),
    );
    if (list.length > 0 && statuses.every((s) => s === 'completed' || s === 'partial')) {
      return list.map((p) => p.id);
    }
    if (Date.now() > deadline) throw new Error(`demo books not calculated: ${statuses.join()}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** What the dashboard page asks for when it opens a portfolio. */
function dashboardRequests(ids: string[]) {
  return ids
    .flatMap((id) => [
      `/api/v1/analytics/portfolio/${id}/overview`,
      `/api/v1/data/portfolio/${id}/snapshot`,
      `/api/v1/data/portfolio/${id}/history`,
      `/api/v1/data/positions/details?portfolio_id=${id}`,
      `/api/v1/analytics/portfolio/${id}/risk-metrics`,
    ])
    .concat(['/api/v1/data/portfolios', '/api/v1/analytics/aggregate/overview']);
}

async function load(urls: string[], token: string, paths: string[], o: ScaleOptions) {
  // Every connection cycles through the dashboard's requests. The machine's load average is
  // part of the figure: on a shared 2-core machine other work moves the result.
  const loadBefore = os.loadavg().map((l) => round(l, 2));
  const result = await autocannon({
    url: (urls.length === 1 ? urls[0] : urls) as string,
    connections: o.connections,
    duration: o.durationSeconds,
    headers: { authorization: `Bearer ${token}` },
    requests: paths.map((p) => ({ method: 'GET' as const, path: p })),
  });
  return {
    processes: urls.length,
    connections: o.connections,
    duration_seconds: o.durationSeconds,
    requests_per_second: round(result.requests.average, 1),
    latency_ms: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    requests: result.requests.total,
    non_2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    load_average: { before: loadBefore, after: os.loadavg().map((l) => round(l, 2)) },
  };
}

async function benchApiLoad(pg: TestPostgresServer | null, o: ScaleOptions) {
  const out: Record<string, unknown> = {
    name: 'api_load_dashboard',
    tool: 'autocannon (in the benchmark process, on the same machine)',
    targets: { pglite_rps: 400, postgres_rps: 1000, p99_ms: 250 },
  };
  // PGlite: one `serve`, the demo seeded and calculated in-process.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'betaboard-scale-'));
  let serve = startBetaboard(
    'serve (PGlite)',
    ['serve'],
    { ...baseEnv(undefined), BETABOARD_DB_PATH: path.join(dir, 'db'), BETABOARD_SEED_DEMO: 'true' },
    SERVE_READY,
  );
  try {
    const base = `http://127.0.0.1:${(await serve.ready)[1]}`;
    log('api load: PGlite, waiting for the demo books…');
    await demoSeeded(serve);
    const token = await login(await waitReady(base));
    const paths = dashboardRequests(await demoPortfolios(base, token));
    log(`api load: PGlite, ${o.connections} connections, ${o.durationSeconds} s…`);
    out.pglite = { ...(await load([base], token, paths, o)), paths: paths.length };
  } finally {
    await serve.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  if (!pg) return out;
  // PostgreSQL: a first `serve` seeds and calculates the demo (working its jobs), a second one
  // joins with BETABOARD_WORKER=off; then both serve the load.
  const name = 'scale_api';
  const url = await createDatabase(pg, name);
  serve = startBetaboard(
    'serve 1 (PostgreSQL)',
    ['serve'],
    { ...baseEnv(url), BETABOARD_SEED_DEMO: 'true' },
    SERVE_READY,
  );
  let second: BetaboardProcess | null = null;
  try {
    const base1 = `http://127.0.0.1:${(await serve.ready)[1]}`;
    log('api load: PostgreSQL, waiting for the demo books…');
    await demoSeeded(serve);
    const token = await login(await waitReady(base1));
    const paths = dashboardRequests(await demoPortfolios(base1, token));
    second = startBetaboard(
      'serve 2 (PostgreSQL)',
      ['serve'],
      { ...baseEnv(url), BETABOARD_WORKER: 'off' },
      SERVE_READY,
    );
    const base2 = await waitReady(`http://127.0.0.1:${(await second.ready)[1]}`);
    log(
      `api load: PostgreSQL, 2 serve processes, ${o.connections} connections, ${o.durationSeconds} s…`,
    );
    out.postgres = { ...(await load([base1, base2], token, paths, o)), paths: paths.length };
  } finally {
    await Promise.all([serve.stop(), second?.stop()]);
    await dropDatabase(pg, name);
  }
  return out;
}

async function waitReady(base: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${base}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return base;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${base} never became ready`);
}

export async function benchScale(argv: readonly string[] = []) {
  const o = parseScaleArgs(argv);
  const needsPg = o.only.some((p) => p !== 'pglite_refresh');
  const pg = needsPg ? await startTestPostgres(log) : null;
  const results: Record<string, unknown> = { options: o, postgres: pg?.version ?? null };
  try {
    if (o.only.includes('symbol_batch')) results.symbol_batch = await benchSymbolBatchScale(pg!, o);
    if (o.only.includes('portfolio_refresh'))
      results.portfolio_refresh = await benchRefreshScale(pg!, o);
    if (o.only.includes('pglite_refresh')) {
      log(`PGlite nightly refresh, ${o.pglitePortfolios} × ${o.positions}…`);
      results.pglite_refresh = await benchPgliteRefresh(o);
    }
    if (o.only.includes('api_load')) results.api_load = await benchApiLoad(pg, o);
  } finally {
    pg?.stop();
  }
  return results;
}
