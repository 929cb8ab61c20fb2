import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimulatedProvider } from '../src/market/providers/simulated/simulated-provider.ts';

/**
 * A local stand-in for Financial Modeling Prep, so the benchmark runs the real FMP client (URL
 * building, JSON parsing, rate limiter, retries) over real HTTP. Answers come from the
 * deterministic simulated market, in FMP's formats; every request waits `delayMs` first (a slow
 * provider) and is counted per endpoint and symbol.
 */
export class FakeFmpServer {
  delayMs = 0;
  readonly requests = new Map<string, number>();
  private server: Server | null = null;
  private readonly market: SimulatedProvider;

  constructor(latestDate: string) {
    this.market = new SimulatedProvider({ latestDate });
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.answer(req.url ?? '/').then(
        (body) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        (error: Error) => {
          res.writeHead(500, { 'content-type': 'application/json' });
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

  /** Requests for one endpoint kind (`closes`, `profile`, `earnings`) and symbol. */
  count(kind: string, symbol: string): number {
    return this.requests.get(`${kind}:${symbol}`) ?? 0;
  }

  private async answer(url: string): Promise<unknown> {
    const u = new URL(url, 'http://x');
    const [, , , endpoint, symbolPart, symbolPart2] = u.pathname.split('/');
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (endpoint === 'historical-price-full' && symbolPart) {
      const symbol = decodeURIComponent(symbolPart);
      this.bump('closes', symbol);
      const from = u.searchParams.get('from')!;
      const to = u.searchParams.get('to')!;
      const result = (await this.market.getDailyCloses([symbol], from, to)).get(symbol);
      if (!result?.ok || result.value.length === 0) return {};
      return {
        symbol,
        historical: result.value
          .map((b) => ({ date: b.date, close: b.close, adjClose: b.close, volume: b.volume ?? 0 }))
          .reverse(),
      };
    }
    if (endpoint === 'profile' && symbolPart) {
      const symbol = decodeURIComponent(symbolPart);
      this.bump('profile', symbol);
      const result = (await this.market.getProfiles([symbol])).get(symbol);
      if (!result?.ok) return [];
      const p = result.value;
      return [
        {
          symbol,
          companyName: p.name,
          price: 100,
          beta: p.beta,
          mktCap: p.marketCap,
          lastDiv: 0,
          range: '80-120',
          exchangeShortName: p.exchange,
          industry: p.industry,
          sector: p.sector,
          country: 'US',
          isEtf: p.isEtf,
        },
      ];
    }
    if (endpoint === 'historical' && symbolPart === 'earning_calendar' && symbolPart2) {
      this.bump('earnings', decodeURIComponent(symbolPart2));
      return [];
    }
    throw new Error(`no such endpoint ${u.pathname}`);
  }

  private bump(kind: string, symbol: string): void {
    const key = `${kind}:${symbol}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }
}
