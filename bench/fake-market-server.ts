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
}

/**
 * A local stand-in for Financial Modeling Prep, so the benchmark runs the real FMP client (URL
 * building, JSON parsing) behind the real ResilientProvider over real HTTP. Answers are built
 * from `source` (the bundled sample data) in FMP's v3 formats — the same shapes as the recorded
 * responses in test/fixtures/providers/fmp. Every request waits `delayMs` before it is answered
 * (a slow provider) and is logged.
 */
export class FakeFmpServer {
  delayMs = 0;
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
          res.writeHead(500, { 'content-type': 'application/json;charset=UTF-8' });
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

  /** Forgets the requests so far and restarts the log's clock. */
  resetLog(): void {
    this.log = [];
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
    const record = (kind: FakeRequestKind, symbol: string) =>
      this.log.push({ kind, symbol, receivedMs, answeredMs: performance.now() - this.epoch });
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
