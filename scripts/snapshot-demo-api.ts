/**
 * Writes every GET response the API gives for the demo books to a folder, normalised so two
 * versions of the code can be compared byte for byte: what a restructuring must not change.
 *
 *   node bin/run-ts.mjs scripts/snapshot-demo-api.ts <out-dir> [--repo <checkout>]
 *
 * It starts `betaboard serve` of the given checkout (default: this one) on a fresh embedded
 * database with the sample provider and the demo books, waits until every book is calculated,
 * signs in as the demo user and the demo admin, and fetches every GET route of the OpenAPI
 * document (each portfolio route for each demo book, the symbol routes for AAPL). Run-dependent
 * values are replaced: ids by `<id-N>` in order of first appearance, timestamps by `<ts>`,
 * durations and timing counters by `<t>`. Then `diff -r before after`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outDir = args[0] ?? '';
const repoFlag = args.indexOf('--repo');
const repo = path.resolve(repoFlag >= 0 ? args[repoFlag + 1]! : here);
if (!outDir) throw new Error('usage: snapshot-demo-api.ts <out-dir> [--repo <checkout>]');

const DEMO_USER = { email: 'demo@betaboard.local', password: 'betaboard-demo' };
const DEMO_ADMIN = { email: 'admin@betaboard.local', password: 'betaboard-admin' };
/** Values that depend on when and how fast the run was, not on what it computed. */
const TIMING_KEY =
  /(seconds|_ms$|duration|elapsed|uptime|memory|hits|misses|hit_rate|last_updated|_at$|timestamp)/i;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const ISO_TIME = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?/g;

async function main(): Promise<void> {
  const dbDir = mkdtempSync(path.join(tmpdir(), 'betaboard-snapshot-'));
  const child = spawn(process.execPath, [path.join(repo, 'bin', 'betaboard.mjs'), 'serve'], {
    cwd: repo,
    env: {
      ...process.env,
      DATABASE_URL: '',
      PORT: '0',
      HOST: '127.0.0.1',
      BETABOARD_DB_PATH: path.join(dbDir, 'db'),
      BETABOARD_SEED_DEMO: 'true',
      MARKET_DATA_PROVIDER: 'sample',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stdout.on('data', (b: Buffer) => (logs += b.toString()));
  child.stderr.on('data', (b: Buffer) => (logs += b.toString()));
  try {
    const base = await waitFor(async () => {
      const m = /listening on http:\/\/localhost:(\d+)/.exec(logs);
      return m ? `http://127.0.0.1:${m[1]}` : undefined;
    }, 120_000);
    const user = await signIn(base, DEMO_USER);
    const admin = await signIn(base, DEMO_ADMIN);
    const books = await waitFor(async () => {
      const list = (await getJson(base, '/api/v1/data/portfolios', user)) as {
        id: string;
        name: string;
      }[];
      if (!Array.isArray(list) || list.length === 0) return undefined;
      for (const book of list) {
        const s = (await getJson(base, `/api/v1/onboarding/status/${book.id}`, user)) as {
          status: string;
        };
        if (s.status !== 'completed') return undefined;
      }
      return list;
    }, 600_000);
    books.sort((a, b) => a.name.localeCompare(b.name));

    const doc = (await getJson(base, '/api/v1/openapi.json', undefined)) as {
      paths: Record<string, Record<string, unknown>>;
    };
    mkdirSync(outDir, { recursive: true });
    const write = (name: string, body: string) =>
      writeFileSync(path.join(outDir, name.replace(/[^a-zA-Z0-9._-]+/g, '_') + '.txt'), body);
    write('openapi', JSON.stringify(doc, null, 1));

    const ids = new Map<string, string>();
    books.forEach((b, i) => ids.set(b.id.toLowerCase(), `<book-${i}>`));
    let count = 0;
    for (const [route, methods] of Object.entries(doc.paths)) {
      // The Prometheus page holds process counters (CPU, memory): nothing the books decide.
      if (!methods.get || route === '/metrics' || route.includes('/docs')) continue;
      if (route.includes('openapi')) continue;
      const token = route.startsWith('/api/v1/admin') ? admin : user;
      for (const url of expand(route, books)) {
        const res = await fetch(base + url, { headers: { authorization: `Bearer ${token}` } });
        const text = await res.text();
        const digits = route.startsWith('/api/v1/analytics/aggregate') ? 12 : undefined;
        const body = normalise(text, ids, digits);
        write(replaceIds(url, ids), `${res.status} ${res.headers.get('content-type')}\n${body}`);
        count++;
      }
    }
    console.log(JSON.stringify({ repo, out: outDir, books: books.length, responses: count }));
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dbDir, { recursive: true, force: true });
  }
}

/** The concrete URLs to fetch for one documented path. */
function expand(route: string, books: { id: string }[]): string[] {
  const params = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  if (params.length === 0) return [route];
  if (params.length === 1 && params[0] === 'symbol') {
    return ['AAPL', 'SPY'].map((s) => route.replace('{symbol}', s));
  }
  if (params.length === 1 && params[0] === 'id' && !route.includes('/admin/')) {
    return books.map((b) => route.replace('{id}', b.id));
  }
  return []; // run ids, lot ids, scenario ids: not stable across runs
}

/**
 * `digits`: round numbers to that many significant digits. The aggregate endpoints sum the books
 * in the order of their random ids, so two runs of the same code differ in the last bit there.
 */
function normalise(text: string, ids: Map<string, string>, digits?: number): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return replaceIds(text.replace(ISO_TIME, '<ts>'), ids);
  }
  // Everything under a timing key is timing too (phase_durations: {phase_0: …}).
  const walk = (v: unknown, key: string, timing: boolean): unknown => {
    const isTiming = timing || TIMING_KEY.test(key);
    if (Array.isArray(v))
      return sortBooks(
        v.map((x) => walk(x, key, isTiming)),
        ids,
      );
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k, isTiming)]));
    }
    if (isTiming && v !== null && typeof v !== 'boolean') return '<t>';
    if (typeof v === 'string') return v.replace(ISO_TIME, '<ts>');
    if (typeof v === 'number' && digits) return Number(v.toPrecision(digits));
    return v;
  };
  return replaceIds(JSON.stringify(walk(body, '', false), null, 1), ids);
}

/**
 * Books created in one transaction share `created_at`, so lists of them come in the order of
 * their random ids: put lists of books (items with a demo book's id) in name order.
 */
function sortBooks(items: unknown[], ids: Map<string, string>): unknown[] {
  const bookOf = (x: unknown): string | undefined => {
    if (!x || typeof x !== 'object') return undefined;
    const o = x as Record<string, unknown>;
    const id = typeof o.portfolio_id === 'string' ? o.portfolio_id : o.id;
    return typeof id === 'string' ? ids.get(id.toLowerCase()) : undefined;
  };
  const labels = items.map(bookOf);
  if (items.length < 2 || labels.some((l) => !l?.startsWith('<book-'))) return items;
  return [...items].sort((a, b) => bookOf(a)!.localeCompare(bookOf(b)!));
}

function replaceIds(text: string, ids: Map<string, string>): string {
  return text.replace(UUID, (id) => {
    const key = id.toLowerCase();
    if (!ids.has(key)) ids.set(key, `<id-${ids.size}>`);
    return ids.get(key)!;
  });
}

async function signIn(base: string, who: { email: string; password: string }): Promise<string> {
  return waitFor(async () => {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(who),
    });
    if (!res.ok) return undefined;
    return ((await res.json()) as { access_token: string }).access_token;
  }, 120_000);
}

async function getJson(base: string, url: string, token: string | undefined): Promise<unknown> {
  const res = await fetch(base + url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return res.json();
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the demo server');
    await new Promise((r) => setTimeout(r, 500));
  }
}

await main();
