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
