import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../src/config.ts';
import { UserRepository } from '../src/db/repositories/user-repository.ts';
import { createLogger } from '../src/logger.ts';
import type {
  DailyBar,
  Fundamentals,
  MarketDataProvider,
  RequestOptions,
  SymbolProfile,
  SymbolResult,
} from '../src/market/provider.ts';
import { FmpProvider } from '../src/market/providers/fmp/fmp-provider.ts';
import { ResilientProvider } from '../src/market/resilience/resilient-provider.ts';
import { hashPassword } from '../src/security/password.ts';
import { startServer } from '../src/server.ts';
import {
  BENCH_RATE_LIMIT,
  type ServerCommand,
  type ServerMessage,
} from './onboarding-server-protocol.ts';

/**
 * The server side of the onboarding benchmark, in a process of its own (forked by
 * onboarding.bench.ts), so the benchmark's HTTP clients and fake FMP never share an event loop
 * with the server: a client's timer firing late would otherwise count as server time.
 *
 * argv: FMP base URL, calculation date, admin e-mail, admin password.
 */

/**
 * The provider the server holds, re-pointable between benchmark steps: the same FMP client
 * behind a ResilientProvider with the benchmark's rate limit or the shipped one.
 */
class SwitchableProvider implements MarketDataProvider {
  constructor(public current: ResilientProvider) {}
  get name() {
    return this.current.name;
  }
  get capabilities() {
    return this.current.capabilities;
  }
  get maxSymbolsPerRequest() {
    return this.current.maxSymbolsPerRequest;
  }
  latestAvailableDate(options?: RequestOptions) {
    return this.current.latestAvailableDate(options);
  }
  getDailyCloses(
    symbols: readonly string[],
    from: string,
    to: string,
    options?: RequestOptions,
  ): Promise<Map<string, SymbolResult<DailyBar[]>>> {
    return this.current.getDailyCloses(symbols, from, to, options);
  }
  getProfiles(
    symbols: readonly string[],
    options?: RequestOptions,
  ): Promise<Map<string, SymbolResult<SymbolProfile>>> {
    return this.current.getProfiles(symbols, options);
  }
  getFundamentals(
    symbols: readonly string[],
    options?: RequestOptions,
  ): Promise<Map<string, SymbolResult<Fundamentals>>> {
    return this.current.getFundamentals!(symbols, options);
  }
}

const [fmpUrl, date, adminEmail, adminPassword] = process.argv.slice(2);
if (!fmpUrl || !date || !adminEmail || !adminPassword || !process.send) {
  console.error('usage (forked with IPC): onboarding-server.ts FMP_URL DATE ADMIN_EMAIL PASSWORD');
  process.exit(2);
}
const send = (message: ServerMessage) => process.send!(message);
// The parent going away (a crash, ^C) must not leave a server behind.
process.on('disconnect', () => process.exit(1));

// The FMP client's clock is pinned to the evening of `date`: its latest-date probe then answers
// `date`, and so does every calculation the server resolves.
const fmp = new FmpProvider({
  baseUrl: fmpUrl,
  apiKey: 'bench',
  now: () => new Date(`${date}T22:00:00Z`),
});
const provider = new SwitchableProvider(new ResilientProvider(fmp, BENCH_RATE_LIMIT));
const dir = mkdtempSync(path.join(os.tmpdir(), 'betaboard-bench-onboarding-'));
const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  BETABOARD_DB_PATH: path.join(dir, 'db'),
  BETABOARD_SEED_DEMO: 'false',
});
const server = await startServer({ ...config, port: 0 }, createLogger('silent'), {
  marketData: provider,
});
const database = await server.ready;
if (!(await server.jobsReady)) throw new Error('the job queue did not start');
await new UserRepository(database.db).create({
  email: adminEmail,
  passwordHash: await hashPassword(adminPassword),
  fullName: null,
  role: 'admin',
});

const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
process.on('message', (command: ServerCommand) => {
  switch (command.type) {
    case 'rate_limit':
      // A fresh limiter, its token bucket full, as after an idle spell.
      provider.current = new ResilientProvider(
        fmp,
        command.limit === 'bench' ? BENCH_RATE_LIMIT : {},
      );
      send({ type: 'ack' });
      return;
    case 'event_loop': {
      // Since the previous question: how long the server could not answer anything.
      const ms = (ns: number) => Math.round(ns / 1e5) / 10;
      send({
        type: 'event_loop',
        max_ms: ms(loop.max),
        p99_ms: ms(loop.percentile(99)),
        mean_ms: ms(loop.mean),
      });
      loop.reset();
      return;
    }
    case 'stop':
      void server.stop().finally(() => {
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      });
  }
});
send({ type: 'ready', port: server.port });
