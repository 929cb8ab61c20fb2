import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mostRecentCompletedTradingDay } from '../src/domain/calendar/trading-calendar.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { FmpProvider } from '../src/market/providers/fmp/fmp-provider.ts';
import { ResilientProvider } from '../src/market/resilience/resilient-provider.ts';
import { resolveResilienceOptions } from '../src/market/resilience/resilience-options.ts';
import { startServer } from '../src/server.ts';
import { FakeFmpServer } from './fake-fmp-server.ts';
import { round } from './bench-helpers.ts';

const HEADER =
  'Symbol,Quantity,Entry Price Per Share,Entry Date,Investment Class,Investment Subtype,Underlying Symbol,Strike Price,Expiration Date,Option Type,Exit Date,Exit Price Per Share';
const KNOWN = Array.from({ length: 24 }, (_, i) => `KNOWN${String(i).padStart(2, '0')}`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/**
 * Issue 5's onboarding figures, end to end over real HTTP against the real server (embedded
 * PGlite, pg-boss jobs in-process) and the real FMP client talking to a local fake FMP:
 * multipart create-portfolio → calculate → poll the status every 10 ms until it finishes.
 */
export async function benchOnboarding() {
  const today = new Date();
  const latest = mostRecentCompletedTradingDay(today);
  const fake = new FakeFmpServer(latest);
  const fmpUrl = await fake.start();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'betaboard-bench-onboarding-'));
  // FMP's paid plans allow hundreds of calls a minute; the shipped default (4/s, burst 8) is
  // tuned for the free tier. The benchmark measures our pipeline, so it allows 50/s.
  const resilience = { requestsPerSecond: 50, burst: 50 };
  const provider = new ResilientProvider(
    new FmpProvider({ baseUrl: fmpUrl, apiKey: 'bench', concurrency: 10 }),
    resilience,
  );
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    BETABOARD_DB_PATH: path.join(dir, 'db'),
    BETABOARD_SEED_DEMO: 'false',
  });
  const server = await startServer({ ...config, port: 0 }, createLogger('silent'), {
    marketData: provider,
  });
  const base = `http://127.0.0.1:${server.port}/api/v1`;
  try {
    await server.jobsReady;
    const json = { 'content-type': 'application/json' };
    const user = { email: 'bench@example.com', password: 'bench password' };
    await fetch(`${base}/auth/register`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(user),
    });
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(user),
    });
    const token = ((await login.json()) as { access_token: string }).access_token;
    const auth = { authorization: `Bearer ${token}` };
    let account = 0;

    /** One onboarding over HTTP; returns its wall time and final status. */
    const onboard = async (symbols: readonly string[]) => {
      const rows = symbols.map((s, i) => `${s},${10 + i},100,2026-01-05,PUBLIC,STOCK,,,,,,`);
      const form = new FormData();
      form.set('portfolio_name', `Bench ${account}`);
      form.set('account_name', `bench-${account++}`);
      form.set('account_type', 'taxable');
      form.set('equity_balance', '1000000');
      form.set('csv_file', new File([[HEADER, ...rows].join('\n')], 'p.csv'));
      const t0 = performance.now();
      const created = await fetch(`${base}/onboarding/create-portfolio`, {
        method: 'POST',
        headers: auth,
        body: form,
      });
      const { portfolio_id } = (await created.json()) as { portfolio_id: string };
      await fetch(`${base}/portfolios/${portfolio_id}/calculate`, {
        method: 'POST',
        headers: auth,
      });
      for (;;) {
        const res = await fetch(`${base}/onboarding/status/${portfolio_id}`, { headers: auth });
        const status = (await res.json()) as {
          status: string;
          phases: { phase_id: string; duration_seconds: number | null }[];
        };
        if (['completed', 'partial', 'failed'].includes(status.status)) {
          return {
            ms: performance.now() - t0,
            status: status.status,
            phases: Object.fromEntries(status.phases.map((p) => [p.phase_id, p.duration_seconds])),
          };
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    };

    // Warm-up: makes KNOWN and the factor ETFs known for the calculation date.
    const warm = await onboard(KNOWN);

    // 1. 20 positions, all known.
    const known: Awaited<ReturnType<typeof onboard>>[] = [];
    for (let i = 0; i < 15; i++) {
      const pick = KNOWN.filter((_, j) => (j + i) % 6 !== 0).slice(0, 20);
      known.push(await onboard(pick));
    }
    const knownMs = known.map((r) => r.ms).sort((a, b) => a - b);

    // 2. 10 unknown symbols, the provider slowed to 200 ms per request.
    fake.delayMs = 200;
    fake.requests.clear();
    const unknown10 = Array.from({ length: 10 }, (_, i) => `NEWA${i}`);
    const slow = await onboard([...unknown10, ...KNOWN.slice(0, 10)]);
    const slowRequests = [...fake.requests.values()].reduce((a, b) => a + b, 0);

    // 3. 20 concurrent onboardings sharing 5 unknown symbols.
    fake.requests.clear();
    const shared = Array.from({ length: 5 }, (_, i) => `SHRD${i}`);
    const t0 = performance.now();
    const concurrent = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        onboard([...shared, ...KNOWN.slice(i % 10, (i % 10) + 5)]),
      ),
    );
    const totalMs = performance.now() - t0;
    const perSymbol = Object.fromEntries(shared.map((s) => [s, fake.count('closes', s)]));
    const concurrentMs = concurrent.map((r) => r.ms).sort((a, b) => a - b);

    return {
      name: 'onboarding',
      calculation_date: latest,
      provider: {
        client: 'fmp (real client) → local fake FMP over HTTP, simulated market',
        rate_limit: resilience,
        shipped_fmp_rate_limit: {
          requestsPerSecond: resolveResilienceOptions('fmp').requestsPerSecond,
          burst: resolveResilienceOptions('fmp').burst,
        },
        concurrency: 10,
      },
      warm_up: { symbols: KNOWN.length, ms: round(warm.ms, 1), status: warm.status },
      all_known_20_positions: {
        runs: known.length,
        p50_ms: round(percentile(knownMs, 0.5), 1),
        p90_ms: round(percentile(knownMs, 0.9), 1),
        min_ms: round(knownMs[0]!, 1),
        max_ms: round(knownMs.at(-1)!, 1),
        statuses: [...new Set(known.map((r) => r.status))],
        target_p50_ms: 300,
        met: percentile(knownMs, 0.5) <= 300,
        phases_seconds_of_median: known.find((r) => r.ms === percentile(knownMs, 0.5))?.phases,
      },
      ten_unknown_symbols_200ms_provider: {
        ms: round(slow.ms, 1),
        status: slow.status,
        provider_requests: slowRequests,
        phases_seconds: slow.phases,
        target_ms: 2000,
        met: slow.ms <= 2000,
      },
      twenty_concurrent_sharing_5_unknown: {
        total_ms: round(totalMs, 1),
        p50_ms: round(percentile(concurrentMs, 0.5), 1),
        max_ms: round(concurrentMs.at(-1)!, 1),
        statuses: [...new Set(concurrent.map((r) => r.status))],
        closes_requests_per_shared_symbol: perSymbol,
        profile_requests_per_shared_symbol: Object.fromEntries(
          shared.map((s) => [s, fake.count('profile', s)]),
        ),
        each_symbol_fetched_once: Object.values(perSymbol).every((n) => n === 1),
      },
    };
  } finally {
    await server.stop();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
