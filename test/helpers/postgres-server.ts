import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A throw-away PostgreSQL cluster on 127.0.0.1 for the integration tests: installed from Debian
 * when absent, created in a temporary directory, stopped and removed afterwards.
 */
export interface TestPostgresServer {
  url: string;
  port: number;
  version: string;
  /**
   * Stops the server (`pg_ctl stop -m fast`: every session is cut), waits `downMs`, and starts it
   * again on the same port and data: a database restart as clients live through it.
   */
  restart(downMs?: number): Promise<void>;
  stop(): void;
}

function findPgBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(root, versions[0], 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? path.dirname(which.stdout.trim()) : null;
}

function installPostgres(log: (m: string) => void): void {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'PostgreSQL is not installed and this user cannot install it: run `sudo apt-get install -y postgresql` (or set BETABOARD_SKIP_POSTGRES=1 to run the PGlite half only).',
    );
  }
  log('installing PostgreSQL from Debian (apt-get install -y postgresql)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], {
    stdio: 'inherit',
    env,
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startTestPostgres(
  log: (m: string) => void = () => {},
): Promise<TestPostgresServer> {
  let bin = findPgBin();
  if (!bin) {
    installPostgres(log);
    bin = findPgBin();
    if (!bin) throw new Error('PostgreSQL was installed but initdb is still not found');
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'betaboard-pg-'));
  const dataDir = path.join(dir, 'data');
  // initdb refuses to run as root; the Debian package creates the `postgres` system user.
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const argv = asRoot ? ['-u', 'postgres', '--', path.join(bin, cmd), ...args] : args;
    const result = spawnSync(asRoot ? 'runuser' : path.join(bin, cmd), argv, { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`${cmd} failed (${result.status}): ${result.stderr || result.stdout}`);
    }
    return result.stdout;
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  const port = await freePort();
  // Durability settings off: this cluster lives for one test run.
  const serverOpts = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ');
  const start = () =>
    run('pg_ctl', [
      '-D',
      dataDir,
      '-o',
      serverOpts,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      'start',
    ]);
  start();
  const version = run('postgres', ['--version']).trim();
  log(`PostgreSQL started on 127.0.0.1:${port} (${version})`);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    version,
    async restart(downMs = 1_000) {
      run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      start();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
