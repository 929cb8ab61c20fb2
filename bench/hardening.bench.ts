import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { round } from './bench-helpers.ts';

/** `betaboard serve` as its own process, so the client's work never delays the server's loop. */
async function startServerProcess(dbPath: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['bin/betaboard.mjs', 'serve'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      BETABOARD_DB_PATH: dbPath,
      BETABOARD_SEED_DEMO: 'false',
      MARKET_DATA_PROVIDER: 'sample',
      LOG_LEVEL: 'info',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let logs = '';
  child.stderr!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  for (let i = 0; i < 1200; i++) {
    const port = /listening on http:\/\/localhost:(\d+)/.exec(logs)?.[1];
    if (port && /job queue and worker running/.test(logs)) {
      return { child, base: `http://127.0.0.1:${port}` };
    }
    if (child.exitCode !== null) throw new Error(`server exited:\n${logs}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start:\n${logs}`);
}

const MB = 1024 * 1024;
const HEADER = 'Symbol,Quantity,Entry Price Per Share,Entry Date\n';

function csvOf(bytes: number): string {
  const parts = [HEADER];
  let size = HEADER.length;
  for (let i = 0; size < bytes - 64; i++) {
    const line = `S${i.toString(36).toUpperCase()},10,100.5,2026-01-05\n`;
    parts.push(line);
    size += line.length;
  }
  return parts.join('');
}

const pct = (xs: number[], p: number) =>
  xs.length === 0 ? null : [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;

/**
 * The figures of the hardening issue, against a real server on a fresh embedded database:
 * - a book of 2,000 symbols no provider knows: run outcome, time, status payload size;
 * - /health latency while five 10 MB validations arrive at once (one user), how many got 429,
 *   and the size of one 10 MB validation's answer;
 * - login outcomes under a lockout attack from the owner's address, and a password spray.
 * Runs on the code as it is; the README keeps the figures measured before the hardening.
 */
export async function benchHardening() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'betaboard-bench-hardening-'));
  const { child, base } = await startServerProcess(path.join(dir, 'db'));
  try {
    const json = { 'content-type': 'application/json' };
    const deviceOf = (res: Response) =>
      /betaboard_device=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? null;
    const register = (email: string, password: string) =>
      fetch(`${base}/api/v1/auth/register`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email, password, full_name: email.split('@')[0] }),
      });
    const login = (email: string, password: string, device?: string | null) =>
      fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { ...json, ...(device ? { cookie: `betaboard_device=${device}` } : {}) },
        body: JSON.stringify({ email, password }),
      });
    await register('owner@example.com', 'owner password');
    const ownerLogin = await login('owner@example.com', 'owner password');
    const ownerDevice = deviceOf(ownerLogin);
    const token = ((await ownerLogin.json()) as { access_token: string }).access_token;
    const auth = { authorization: `Bearer ${token}` };

    // 1. 2,000 unknown symbols.
    const unknown = [HEADER];
    for (let i = 0; i < 2000; i++)
      unknown.push(`NOSUCH${String(i).padStart(4, '0')},10,10,2026-02-02\n`);
    const form = new FormData();
    form.set('portfolio_name', 'Unknowns');
    form.set('account_name', 'UNKNOWNS');
    form.set('account_type', 'taxable');
    form.set('equity_balance', '1000000');
    form.set('csv_file', new File([unknown.join('')], 'unknown.csv', { type: 'text/csv' }));
    const created = await fetch(`${base}/api/v1/onboarding/create-portfolio`, {
      method: 'POST',
      headers: auth,
      body: form,
    });
    const { portfolio_id } = (await created.json()) as { portfolio_id: string };
    const started = performance.now();
    await fetch(`${base}/api/v1/portfolios/${portfolio_id}/calculate`, {
      method: 'POST',
      headers: auth,
    });
    let status = '';
    let statusBytes = 0;
    for (let i = 0; i < 2400; i++) {
      const res = await fetch(`${base}/api/v1/onboarding/status/${portfolio_id}`, {
        headers: auth,
      });
      const text = await res.text();
      statusBytes = Buffer.byteLength(text);
      status = (JSON.parse(text) as { status: string }).status;
      if (['completed', 'partial', 'failed'].includes(status)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const unknownBook = {
      symbols: 2000,
      outcome: status,
      seconds: round((performance.now() - started) / 1000, 2),
      status_payload_bytes: statusBytes,
    };

    // 2. Five 10 MB validations at once, /health probed meanwhile.
    const big = csvOf(10 * MB - 4096);
    const validate = async () => {
      const f = new FormData();
      f.set('csv_file', new File([big], 'big.csv', { type: 'text/csv' }));
      try {
        const res = await fetch(`${base}/api/v1/onboarding/validate-csv`, {
          method: 'POST',
          headers: auth,
          body: f,
        });
        const bytes = Buffer.byteLength(await res.text());
        return { status: res.status, bytes };
      } catch (error) {
        return { status: `error: ${(error as Error).message}`, bytes: 0 };
      }
    };
    const single = await validate();
    const latencies: number[] = [];
    let healthFailures = 0;
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const t0 = performance.now();
        const ok = await fetch(`${base}/health`)
          .then((r) => r.text())
          .then(() => true)
          .catch(() => false);
        if (ok) latencies.push(performance.now() - t0);
        else healthFailures++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const rssOf = (pid: number) => {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
      } catch {
        return 0;
      }
    };
    const rssBefore = rssOf(child.pid!);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssOf(child.pid!))), 50);
    const answers = await Promise.all(Array.from({ length: 5 }, validate));
    clearInterval(sampler);
    probing = false;
    await probe;
    const validations = {
      file_bytes: Buffer.byteLength(big),
      single_response_bytes: single.bytes,
      concurrent: 5,
      statuses: answers.map((a) => a.status),
      refused_429: answers.filter((a) => a.status === 429).length,
      health_ms_p50: round(pct(latencies, 0.5) ?? 0, 1),
      health_ms_max: round(Math.max(...latencies), 1),
      health_probes: latencies.length,
      health_failures: healthFailures,
      server_rss_growth_mb: round((rssPeak - rssBefore) / MB, 0),
    };

    // 3. Lockout attack on the owner from the same address, then a password spray.
    await register('colleague@example.com', 'colleague password');
    const colleagueDevice = deviceOf(await login('colleague@example.com', 'colleague password'));
    for (let i = 0; i < 12; i++) await login('owner@example.com', `guess ${i}`);
    // During the lockout: the owner on a browser never used before, then on the known one.
    const ownerNew = await login('owner@example.com', 'owner password');
    const ownerKnown = await login('owner@example.com', 'owner password', ownerDevice);
    const colleague = await login('colleague@example.com', 'colleague password', colleagueDevice);
    // The owner's own login cleared the account's counter (only the right password does).
    const ownerNewAfter = await login('owner@example.com', 'owner password');
    const spray: number[] = [];
    for (let i = 0; i < 90; i++) {
      if (i % 9 === 8) await login('owner@example.com', 'owner password', ownerDevice);
      spray.push((await login(`user${i}@example.com`, 'Summer2026!')).status);
    }
    const logins = {
      attack: '12 wrong passwords for the owner from the shared address',
      owner_known_browser: ownerKnown.status,
      colleague_same_address: colleague.status,
      owner_new_browser_during_lockout: ownerNew.status,
      owner_new_browser_retry_after: ownerNew.headers.get('retry-after'),
      owner_new_browser_after_known_browser_login: ownerNewAfter.status,
      spray: {
        guesses: 90,
        accounts: 90,
        note: 'the attacker logs into an account of its own every 9 guesses',
        answered: spray.filter((s) => s === 401).length,
        refused_429: spray.filter((s) => s === 429).length,
      },
    };
    return { unknown_symbols_book: unknownBook, validate_csv: validations, login: logins };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
