import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A real `betaboard serve` process (not an in-process server): what crash and restart tests kill
 * with SIGKILL and start again. `shell` runs a bash line that ends by exec'ing the server.
 */
export class RealServer {
  logs = '';
  exited: Promise<number | null>;
  private constructor(readonly child: ChildProcess) {
    child.stderr!.on('data', (chunk: Buffer) => (this.logs += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => (this.logs += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(options: {
    dbPath: string;
    env?: Record<string, string>;
    /** A bash command line run instead of `node bin/betaboard.mjs serve` (it must exec it). */
    shell?: string;
  }): RealServer {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      BETABOARD_DB_PATH: options.dbPath,
      BETABOARD_SEED_DEMO: 'false',
      MARKET_DATA_PROVIDER: 'sample',
      LOG_LEVEL: 'info',
      ...options.env,
    };
    delete env.DATABASE_URL;
    const child = options.shell
      ? spawn('bash', ['-c', options.shell], {
          cwd: REPO_ROOT,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'betaboard.mjs'), 'serve'], {
          cwd: REPO_ROOT,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
    return new RealServer(child);
  }

  /** Resolves when the log matches `pattern`; rejects if the process exits first. */
  async waitForLog(pattern: RegExp, timeoutMs = 90_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    for (;;) {
      const match = pattern.exec(this.logs);
      if (match) return match;
      if (exitCode !== undefined) {
        throw new Error(
          `server exited (${exitCode}) before ${pattern}:\n${this.logs.slice(-4000)}`,
        );
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${pattern}:\n${this.logs.slice(-4000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async baseUrl(): Promise<string> {
    const match = await this.waitForLog(/listening on http:\/\/localhost:(\d+)/);
    return `http://127.0.0.1:${match[1]}`;
  }

  /** Waits until /health/ready answers 200 (the database is open and migrated). */
  async ready(): Promise<string> {
    const base = await this.baseUrl();
    await this.waitForLog(/"msg":"database ready"/);
    const res = await fetch(`${base}/health/ready`);
    if (!res.ok) throw new Error(`not ready: ${res.status}`);
    return base;
  }

  async kill9(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}
