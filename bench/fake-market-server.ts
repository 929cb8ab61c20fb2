import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addDays } from '../src/domain/dates.ts';
import type { MarketDataProvider } from '../src/market/provider.ts';

/** What a request asked for: FMP's three endpoints, and the bellwether probe of the latest date. */
export type FakeRequestKind = 'closes' | 'profile' | 'earnings' | 'latest_date';

export interface FakeRequest {
  kind: FakeRequestKind;
  symbol: string;
  /** Milliseconds since `resetLog()` when the request arrived, and when it was answered. */
  receivedMs: number;
  answeredMs: number;
  /** Answered 503 by the failure rule. */
  failed?: boolean;
}

/**
 * One call as the failure rule sees it: `sequence` numbers every call the server has received
 * (from 0, since `resetLog()`), `attempt` the earlier calls of this kind and symbol.
 */
export interface FakeCall {
  kind: FakeRequestKind;
  symbol: string;
  sequence: number;
  attempt: number;
}

/** Says whether the fake answers a call with a 503, as a provider having a bad night does. */
export type FailureRule = (call: FakeCall) => boolean;

/**
 * A provider failing 30% of its calls, deterministically and never twice in a row: calls number
 * 2, 5 and 8 of every ten fail (a 503, which clients retry). Failures that never come in a run
 * leave the client's circuit breaker closed, so which calls fail is the only variable. Symbols
 * in `never` fail every call: the ones no retry can bring back.
 */
export function failThirtyPercentOfCalls(never: readonly string[] = []): FailureRule {
  const lost = new Set(never);
  return ({ symbol, sequence }) => lost.has(symbol) || [2, 5, 8].includes(sequence % 10);
}

/**
 * A local stand-in for Financial Modeling Prep, so the benchmark runs the real FMP client (URL
 * building, JSON parsing) behind the real ResilientProvider over real HTTP. Answers are built
 * from `source` (the bundled sample data) in FMP's v3 formats — the same shapes as the recorded
 * responses in test/fixtures/providers/fmp. Every request waits `delayMs` before it is answered
 * (a slow provider) and is logged; calls the `failures` rule picks are answered 503 (a
 * failing provider; they are logged too, with `failed`).
 */
export class FakeFmpServer {
  delayMs = 0;
  failures: FailureRule | null = null;
  private attempts = new Map<string, number>();
  private sequence = 0;
  private log: FakeRequest[] = [];
  private epoch = performance.now();
  private server: Server | null = null;

  constructor(private readonly source: MarketDataProvider) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const receivedMs = performance.now() - this.epoch;
      void this.answer(req.url ?? '/', receivedMs).then(
        (body) => {
          res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
          res.end(JSON.stringify(body));
        },
        (error: Error) => {
          res.writeHead(error instanceof InjectedFailure ? 503 : 500, {
            'content-type': 'application/json;charset=UTF-8',
          });
          res.end(JSON.stringify({ 'Error Message': error.message }));
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Forgets the requests so far (and the failure rule's attempt counts); restarts the clock. */
  resetLog(): void {
    this.log = [];
    this.attempts.clear();
    this.sequence = 0;
    this.epoch = performance.now();
  }

  requests(): readonly FakeRequest[] {
    return this.log;
  }

  /** Requests of one kind (all kinds when omitted), optionally for one symbol. */
  count(kind?: FakeRequestKind, symbol?: string): number {
    return this.log.filter((r) => (!kind || r.kind === kind) && (!symbol || r.symbol === symbol))
      .length;
  }

  /** The symbols at least one of whose calls of `kind` was answered 503, sorted. */
  failedSymbols(kind: FakeRequestKind): string[] {
    const failed = this.log.filter((r) => r.failed && r.kind === kind);
    return [...new Set(failed.map((r) => r.symbol))].sort();
  }

  /** The symbols every one of whose calls of `kind` was answered 503: never served; sorted. */
  neverServed(kind: FakeRequestKind): string[] {
    const served = new Set(
      this.log.filter((r) => !r.failed && r.kind === kind).map((r) => r.symbol),
    );
    return this.failedSymbols(kind).filter((s) => !served.has(s));
  }

  countsByKind(): Record<FakeRequestKind, number> {
    return {
      latest_date: this.count('latest_date'),
      profile: this.count('profile'),
      closes: this.count('closes'),
      earnings: this.count('earnings'),
    };
  }

  private async answer(url: string, receivedMs: number): Promise<unknown> {
    const u = new URL(url, 'http://fake');
    // /api/v3/<endpoint>/<symbol> or /api/v3/historical/earning_calendar/<symbol>
    const [, , , endpoint, part, part2] = u.pathname.split('/');
    const record = (kind: FakeRequestKind, symbol: string) => {
      const key = `${kind} ${symbol}`;
      const attempt = this.attempts.get(key) ?? 0;
      this.attempts.set(key, attempt + 1);
      const sequence = this.sequence++;
      const failed = this.failures?.({ kind, symbol, sequence, attempt }) ?? false;
      this.log.push({
        kind,
        symbol,
        receivedMs,
        answeredMs: performance.now() - this.epoch,
        ...(failed ? { failed } : {}),
      });
      if (failed) throw new InjectedFailure(`${kind} of ${symbol} failed (injected)`);
    };
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (endpoint === 'historical-price-full' && part) {
      const symbol = decodeURIComponent(part);
      const from = u.searchParams.get('from') ?? '1900-01-01';
      const to = u.searchParams.get('to') ?? '2100-01-01';
      // FmpProvider.latestAvailableDate asks for the bellwether's last ten days.
      record(symbol === 'SPY' && addDays(to, -10) === from ? 'latest_date' : 'closes', symbol);
      const result = (await this.source.getDailyCloses([symbol], from, to)).get(symbol);
      if (!result?.ok || result.value.length === 0) return {};
      return {
        symbol,
        // FMP lists newest first; the sample closes are already adjusted.
        historical: result.value
          .map((b) => ({ date: b.date, close: b.close, adjClose: b.close, volume: b.volume ?? 0 }))
          .reverse(),
      };
    }
    if (endpoint === 'profile' && part) {
      const symbol = decodeURIComponent(part);
      record('profile', symbol);
      const result = (await this.source.getProfiles([symbol])).get(symbol);
      if (!result?.ok) return [];
      const p = result.value;
      const latest = await this.source.latestAvailableDate();
      const last = latest
        ? (await this.source.getDailyCloses([symbol], addDays(latest, -10), latest)).get(symbol)
        : undefined;
      return [
        {
          symbol,
          companyName: p.name ?? symbol,
          price: last?.ok ? (last.value.at(-1)?.close ?? null) : null,
          beta: p.beta ?? 0,
          mktCap: p.marketCap ?? 0,
          lastDiv: 0,
          range:
            p.week52Low !== null && p.week52High !== null
              ? `${p.week52Low.toFixed(2)}-${p.week52High.toFixed(2)}`
              : '',
          exchangeShortName: p.exchange ?? (p.isEtf ? 'AMEX' : 'NYSE'),
          industry: p.industry ?? '',
          sector: p.sector ?? (p.isEtf ? 'Financial Services' : ''),
          country: p.country ?? 'US',
          isEtf: p.isEtf,
          isFund: false,
        },
      ];
    }
    if (endpoint === 'historical' && part === 'earning_calendar' && part2) {
      // The sample data has no earnings; FMP answers funds and unknown symbols this way too.
      record('earnings', decodeURIComponent(part2));
      return [];
    }
    throw new Error(`no such endpoint ${u.pathname}`);
  }
}

/** A failure the rule injected: answered 503, which the client treats as transient. */
class InjectedFailure extends Error {}
