import type { IsoDate } from '../../../domain/dates.ts';
import { monthlyBetaVsBenchmark } from '../../../domain/factors/provider-beta.ts';
import {
  fail,
  ok,
  ProviderError,
  type DailyBar,
  type MarketDataProvider,
  type RatePoint,
  type SymbolProfile,
  type SymbolResult,
} from '../../provider.ts';
import { loadSamplePrices, type SamplePriceSet } from './load-sample-prices.ts';
import { loadSampleSymbols, type SampleSymbol } from './load-sample-symbols.ts';
import { loadTreasuryBillRates, type TreasuryBillRates } from './load-treasury-bill-rates.ts';
import { sampleDataFiles } from './sample-data-files.ts';

export const SAMPLE_BETA_SOURCE = 'sample:5y-monthly-vs-SPY';

/** First index in the ascending `dates` whose date is ≥ `date` (or > `date` when `after`). */
function searchDate(dates: readonly string[], date: string, after = false): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dates[mid]! < date || (after && dates[mid] === date)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The default provider: the bundled real adjusted closes (data/market), so a fresh clone works
 * offline. Its "provider beta" is not a vendor's number but the 5-year monthly beta vs SPY
 * computed from these same prices, and its source says so.
 *
 * Two price grids are served as one: `prices` (every symbol from 2018-06-19) and `history`, the
 * 8 stress-factor ETFs before it, back to each fund's first session (historical stress windows).
 */
export class SampleProvider implements MarketDataProvider {
  readonly name = 'sample';
  readonly capabilities = {
    dailyCloses: true,
    profiles: true,
    fundamentals: false,
    optionCloses: false,
    treasuryBillRates: true,
  };
  readonly maxSymbolsPerRequest = 1_000;
  private readonly symbolInfo: Map<string, SampleSymbol>;
  private readonly grids: readonly SamplePriceSet[];

  constructor(
    private readonly prices: SamplePriceSet,
    symbols: readonly SampleSymbol[],
    private readonly extras: { history?: SamplePriceSet; billRates?: TreasuryBillRates } = {},
  ) {
    this.symbolInfo = new Map(symbols.map((s) => [s.symbol, s]));
    // Oldest grid first, so bars come out in date order; the history ends before `prices` starts.
    this.grids = extras.history ? [extras.history, prices] : [prices];
  }

  static async load(
    paths: {
      prices?: string;
      symbols?: string;
      factorEtfHistory?: string;
      treasuryBill3m?: string;
    } = {},
  ): Promise<SampleProvider> {
    const files = sampleDataFiles(paths);
    const [prices, symbols, history, billRates] = await Promise.all([
      loadSamplePrices(files.prices),
      loadSampleSymbols(files.symbols),
      loadSamplePrices(files.factorEtfHistory),
      loadTreasuryBillRates(files.treasuryBill3m),
    ]);
    const first = prices.dates[0] ?? '';
    const overlap = history.dates.at(-1) ?? '';
    if (overlap >= first) {
      throw new Error(`factor ETF history runs to ${overlap}, into the price file (from ${first})`);
    }
    return new SampleProvider(prices, symbols, { history, billRates });
  }

  get symbols(): readonly string[] {
    return this.prices.symbols;
  }

  async latestAvailableDate(): Promise<IsoDate | null> {
    return this.prices.dates.at(-1) ?? null;
  }

  private unknown(symbol: string): ProviderError {
    return new ProviderError(
      'unknown_symbol',
      `${symbol} is not in the bundled sample data (${this.prices.symbols.length} symbols); import its prices with \`betaboard prices import\` or use another provider`,
      this.name,
    );
  }

  async getDailyCloses(
    symbols: readonly string[],
    from: IsoDate,
    to: IsoDate,
  ): Promise<Map<string, SymbolResult<DailyBar[]>>> {
    const out = new Map<string, SymbolResult<DailyBar[]>>();
    for (const symbol of symbols) {
      if (!this.prices.closes.has(symbol)) {
        out.set(symbol, fail(this.unknown(symbol)));
        continue;
      }
      const bars: DailyBar[] = [];
      for (const grid of this.grids) {
        const closes = grid.closes.get(symbol);
        if (!closes) continue;
        const stop = searchDate(grid.dates, to, true);
        for (let i = searchDate(grid.dates, from); i < stop; i++) {
          const close = closes[i]!;
          if (!Number.isNaN(close)) bars.push({ date: grid.dates[i]!, close });
        }
      }
      if (bars.length === 0) {
        out.set(
          symbol,
          fail(
            new ProviderError(
              'no_data',
              `the sample data has no closes for ${symbol} between ${from} and ${to}`,
              this.name,
            ),
          ),
        );
      } else {
        out.set(symbol, ok(bars));
      }
    }
    return out;
  }

  async getProfiles(symbols: readonly string[]): Promise<Map<string, SymbolResult<SymbolProfile>>> {
    const { dates } = this.prices;
    const spy = this.prices.closes.get('SPY');
    const asOf = dates.at(-1) ?? '';
    const out = new Map<string, SymbolResult<SymbolProfile>>();
    for (const symbol of symbols) {
      const info = this.symbolInfo.get(symbol);
      const closes = this.prices.closes.get(symbol);
      if (!info || !closes) {
        out.set(symbol, fail(this.unknown(symbol)));
        continue;
      }
      const beta = spy ? monthlyBetaVsBenchmark(dates, closes, spy, asOf) : null;
      let high = -Infinity;
      let low = Infinity;
      for (let i = Math.max(0, dates.length - 252); i < dates.length; i++) {
        const c = closes[i]!;
        if (c > high) high = c;
        if (c < low) low = c;
      }
      out.set(
        symbol,
        ok({
          symbol,
          name: info.name,
          sector: info.sector,
          industry: null,
          exchange: null,
          country: 'US',
          isEtf: info.type === 'etf',
          marketCap: null,
          peRatio: null,
          forwardPe: null,
          dividendYield: null,
          beta: beta ? beta.beta : null,
          betaSource: beta ? SAMPLE_BETA_SOURCE : null,
          week52High: Number.isFinite(high) ? high : null,
          week52Low: Number.isFinite(low) ? low : null,
          nextEarningsDate: null,
        }),
      );
    }
    return out;
  }

  async getTreasuryBillRates(from: IsoDate, to: IsoDate): Promise<SymbolResult<RatePoint[]>> {
    const rates = this.extras.billRates;
    if (!rates) {
      return fail(new ProviderError('not_supported', 'no bill-rate file loaded', this.name));
    }
    const points: RatePoint[] = [];
    const stop = searchDate(rates.dates, to, true);
    for (let i = searchDate(rates.dates, from); i < stop; i++) {
      points.push({ date: rates.dates[i]!, ratePercent: rates.ratePercent[i]! });
    }
    return points.length > 0
      ? ok(points)
      : fail(
          new ProviderError(
            'no_data',
            `the sample data has no bill rates between ${from} and ${to}`,
            this.name,
          ),
        );
  }
}
