import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The repository root: `bin/betaboard.mjs` is started from here. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A `betaboard <command>` child process, its output kept for diagnostics. */
export interface BetaboardProcess {
  label: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of the readiness line; rejects if the process exits first. */
  ready: Promise<RegExpExecArray>;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `killAfterMs`; resolves when the process is gone. */
  stop(killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export const WORKER_READY = /\{[^\n]*"msg":"worker running[^\n]*\n/;
export const SERVE_READY = /listening on http:\/\/localhost:(\d+)/;

export function startBetaboard(
  label: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  readyLine: RegExp,
  readyTimeoutMs = 60_000,
): BetaboardProcess {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'betaboard.mjs'), ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${label} did not become ready:\n${buffer.slice(-4000)}`)),
      readyTimeoutMs,
    );
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = readyLine.exec(buffer);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${code ?? signal}):\n${buffer.slice(-4000)}`));
    });
  });
  ready.catch(() => {});
  return {
    label,
    child,
    output: () => buffer,
    ready,
    exited,
    async stop(killAfterMs = 60_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      child.kill('SIGTERM');
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** One query on a fresh connection (the admin database, or a test database). */
export async function queryOnce<T extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** `postgres://…/postgres` → the same server's database `name`. */
export const databaseUrlOf = (adminUrl: string, name: string) =>
  adminUrl.replace(/\/postgres$/, `/${name}`);

const FINISHED = ['completed', 'partial', 'failed'];

/**
 * Polls a `batch_runs` row until it has finished; returns its status. Each poll opens its own
 * connection, so a database restart in the meantime only costs a few failed polls.
 */
export async function waitForRun(
  databaseUrl: string,
  runId: string,
  timeoutMs: number,
  pollMs = 100,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await queryOnce<{ status: string }>(
      databaseUrl,
      'SELECT status FROM batch_runs WHERE id = $1',
      [runId],
    ).catch(() => [] as { status: string }[]);
    const status = rows[0]?.status;
    if (status && FINISHED.includes(status)) return status;
    if (Date.now() > deadline) {
      throw new Error(`run ${runId} still ${status ?? 'absent'} after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** `betaboard <args…>` run to its end; rejects with its output when it exits non-zero. */
export async function runBetaboard(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<string> {
  // No readiness line: the command is waited for until it exits.
  const run = startBetaboard(`betaboard ${args.join(' ')}`, args, env, /(?!)/, timeoutMs);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  const { code, signal } = await run.exited;
  clearTimeout(timer);
  if (code !== 0) {
    throw Object.assign(new Error(`${run.label} exited ${code ?? signal}:\n${run.output()}`), {
      code,
      output: run.output(),
    });
  }
  return run.output();
}

/**
 * The environment of a Betaboard process on `databaseUrl`: no demo seeding, info logs (the
 * readiness lines are info), the given extras (provider, options) on top of this process's.
 */
export function betaboardEnv(
  databaseUrl: string,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    BETABOARD_SEED_DEMO: 'false',
    LOG_LEVEL: 'info',
    PORT: '0',
    HOST: '127.0.0.1',
    ...extra,
  };
}

/**
 * Starts `betaboard worker` (one onboarding at a time; no schedule unless asked): the shape every
 * process-level test starts its workers in. `ready` resolves on its "worker running" line.
 */
export function startWorker(
  label: string,
  env: NodeJS.ProcessEnv,
  options: { schedule?: boolean; concurrency?: number } = {},
): BetaboardProcess {
  return startBetaboard(
    label,
    [
      'worker',
      ...(options.schedule ? [] : ['--no-schedule']),
      '--concurrency',
      String(options.concurrency ?? 1),
    ],
    env,
    WORKER_READY,
  );
}

/** Starts `betaboard serve`; `ready` resolves with the port it listens on in match[1]. */
export function startServe(label: string, env: NodeJS.ProcessEnv): BetaboardProcess {
  return startBetaboard(label, ['serve'], env, SERVE_READY);
}

/**
 * The processes a test started, stopped together at its end (SIGTERM, then SIGKILL after
 * `killAfterMs`), whatever state each is in.
 */
export class ProcessGroup {
  readonly all: BetaboardProcess[] = [];

  add<T extends BetaboardProcess>(process: T): T {
    this.all.push(process);
    return process;
  }

  /** The last lines of every process's output, for an assertion's message. */
  outputs(chars = 3000): string {
    return this.all.map((p) => `--- ${p.label}\n${p.output().slice(-chars)}`).join('\n');
  }

  async stopAll(killAfterMs = 5_000): Promise<void> {
    await Promise.all(this.all.map((p) => p.stop(killAfterMs)));
  }
}

/**
 * Polls `sql` (one row, one boolean column `ready`) until it is true; throws when `failWhen`
 * (a column `done`) says the moment has passed, or after `timeoutMs`. Used to catch a run in the
 * middle: running, and some of its rows written.
 */
export async function waitUntil(
  databaseUrl: string,
  sql: string,
  values: unknown[],
  what: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await queryOnce<{ ready: boolean; done?: boolean }>(
      databaseUrl,
      sql,
      values,
    ).catch(() => [] as { ready: boolean; done?: boolean }[]);
    if (row?.ready) return;
    if (row?.done) throw new Error(`${what}: it ended before that moment came`);
    if (Date.now() > deadline) throw new Error(`${what}: not reached after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A `batch_runs` row is running and `written` (a count query) is above zero. */
export const runningWith = (written: string) =>
  `SELECT (status = 'running' AND (${written}) > 0) AS ready,
          status IN ('completed', 'partial', 'failed') AS done
   FROM batch_runs WHERE id = $1`;

/** The runs a queued request's job(s) created (tagged `job:<id>`), counted by status. */
export async function childRunsByStatus(
  databaseUrl: string,
  runId: string,
): Promise<Record<string, number>> {
  const rows = await queryOnce<{ status: string; n: string }>(
    databaseUrl,
    `SELECT status, count(*)::text AS n FROM batch_runs
     WHERE triggered_by = $1 GROUP BY status ORDER BY status`,
    [`job:${runId}`],
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** A pg-boss job's state and retries (the job's id is its run's id). */
export async function jobOf(
  databaseUrl: string,
  runId: string,
): Promise<{ state: string; retry_count: number } | undefined> {
  const [job] = await queryOnce<{ state: string; retry_count: number }>(
    databaseUrl,
    `SELECT state, retry_count FROM pgboss.job WHERE id = $1`,
    [runId],
  );
  return job;
}
