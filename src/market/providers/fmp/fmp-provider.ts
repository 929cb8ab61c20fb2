import { z } from 'zod';
import { newYorkDateTime, type IsoDate } from '../../../domain/dates.ts';
import {
  fail,
  ok,
  ProviderError,
  validateBars,
  type DailyBar,
  type Fundamentals,
  type MarketDataProvider,
  type RequestOptions,
  type SymbolProfile,
  type SymbolResult,
} from '../../provider.ts';
import {
  buildUrl,
  getJson,
  parseShape,
  perSymbol,
  httpProviderBasics,
  type HttpProviderOptions,
  type HttpTarget,
} from '../http-json.ts';
import {
  countryCode,
  finiteOrNull,
  gicsSector,
  positiveOrNull,
  textOrNull,
} from '../profile-fields.ts';
import { latestCompletedClose } from '../latest-completed-close.ts';

/** `baseUrl` defaults to https://financialmodelingprep.com. */
export interface FmpProviderOptions extends HttpProviderOptions {
  apiKey?: string;
}

const DEFAULT_BASE_URL = 'https://financialmodelingprep.com';

const HistoricalSchema = z.object({
  symbol: z.string().optional(),
  historical: z
    .array(
      z.object({
        date: z.string(),
        close: z.number(),
        adjClose: z.number(),
        open: z.number().nullish(),
        high: z.number().nullish(),
        low: z.number().nullish(),
        volume: z.number().nullish(),
      }),
    )
    .optional(),
});

const ProfileSchema = z.array(
  z.object({
    symbol: z.string(),
    companyName: z.string().nullish(),
    price: z.number().nullish(),
    beta: z.number().nullish(),
    mktCap: z.number().nullish(),
    lastDiv: z.number().nullish(),
    range: z.string().nullish(),
    exchangeShortName: z.string().nullish(),
    industry: z.string().nullish(),
    sector: z.string().nullish(),
    country: z.string().nullish(),
    isEtf: z.boolean().nullish(),
    isFund: z.boolean().nullish(),
  }),
);

const EarningsSchema = z.array(
  z.object({
    date: z.string(),
    eps: z.number().nullish(),
    epsEstimated: z.number().nullish(),
    revenue: z.number().nullish(),
  }),
);

/** FMP reports errors (bad key, quota) as a 200 or 4xx body with this one key. */
const ErrorBodySchema = z.object({ 'Error Message': z.string() });

/**
 * Financial Modeling Prep (plain fetch, `apikey` query parameter as FMP requires):
 * historical-price-full for closes (its `adjClose`), profile for the company and its beta,
 * and the per-symbol earnings calendar for fundamentals. One symbol per request.
 */
export class FmpProvider implements MarketDataProvider {
  readonly name = 'fmp';
  readonly capabilities = {
    dailyCloses: true,
    profiles: true,
    fundamentals: true,
    optionCloses: false,
    treasuryBillRates: false,
  };
  readonly maxSymbolsPerRequest = 1;

  private readonly target: HttpTarget;
  private readonly baseUrl: string;
  private readonly apiKey: string | undefined;
  private readonly now: () => Date;
  private readonly concurrency: number;

  constructor(options: FmpProviderOptions = {}) {
    ({
      target: this.target,
      now: this.now,
      concurrency: this.concurrency,
    } = httpProviderBasics(this.name, options));
    this.baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
    this.apiKey = options.apiKey;
  }

  latestAvailableDate(options: RequestOptions = {}): Promise<IsoDate | null> {
    return latestCompletedClose(this.now(), (symbol, from, to) =>
      this.closesOf(symbol, from, to, options.signal),
    );
  }

  getDailyCloses(
    symbols: readonly string[],
    from: IsoDate,
    to: IsoDate,
    options: RequestOptions = {},
  ): Promise<Map<string, SymbolResult<DailyBar[]>>> {
    const { signal } = options;
    return perSymbol(symbols, { concurrency: this.concurrency, signal }, (symbol) =>
      this.closesOf(symbol, from, to, signal),
    );
  }

  getProfiles(
    symbols: readonly string[],
    options: RequestOptions = {},
  ): Promise<Map<string, SymbolResult<SymbolProfile>>> {
    const { signal } = options;
    return perSymbol(symbols, { concurrency: this.concurrency, signal }, async (symbol) => {
      const what = `the profile of ${symbol}`;
      const body = await this.get(`/api/v3/profile/${encodeURIComponent(symbol)}`, what, signal);
      const [p] = parseShape(this.name, what, ProfileSchema, body);
      if (!p) {
        return fail(new ProviderError('unknown_symbol', `fmp does not know ${symbol}`, this.name));
      }
      const isEtf = p.isEtf === true || p.isFund === true;
      const price = positiveOrNull(p.price);
      const lastDiv = positiveOrNull(p.lastDiv);
      const [low, high] = parseRange(p.range);
      // FMP stores 0 where it has not computed a beta (new listings, many funds).
      const beta = finiteOrNull(p.beta) === 0 ? null : finiteOrNull(p.beta);
      return ok({
        symbol,
        name: textOrNull(p.companyName),
        // A fund's FMP sector describes its manager ("Financial Services"), not its holdings.
        sector: isEtf ? null : gicsSector(p.sector),
        industry: isEtf ? null : textOrNull(p.industry),
        exchange: textOrNull(p.exchangeShortName),
        country: countryCode(p.country),
        isEtf,
        marketCap: positiveOrNull(p.mktCap),
        peRatio: null,
        forwardPe: null,
        // lastDiv is the annualised dividend per share.
        dividendYield: price !== null && lastDiv !== null ? lastDiv / price : null,
        beta,
        betaSource: beta === null ? null : 'fmp:beta',
        week52High: high,
        week52Low: low,
        nextEarningsDate: null,
      });
    });
  }

  getFundamentals(
    symbols: readonly string[],
    options: RequestOptions = {},
  ): Promise<Map<string, SymbolResult<Fundamentals>>> {
    const { signal } = options;
    return perSymbol(symbols, { concurrency: this.concurrency, signal }, async (symbol) => {
      const what = `the earnings calendar of ${symbol}`;
      const path = `/api/v3/historical/earning_calendar/${encodeURIComponent(symbol)}`;
      const body = await this.get(path, what, signal, { limit: 12 });
      const rows = parseShape(this.name, what, EarningsSchema, body);
      if (rows.length === 0) {
        // Funds have no earnings, and FMP answers unknown symbols the same way.
        return fail(new ProviderError('no_data', `fmp has no earnings for ${symbol}`, this.name));
      }
      return ok(summariseEarnings(symbol, rows, newYorkDateTime(this.now()).date));
    });
  }

  private async closesOf(
    symbol: string,
    from: IsoDate,
    to: IsoDate,
    signal: AbortSignal | undefined,
  ): Promise<SymbolResult<DailyBar[]>> {
    const what = `daily closes of ${symbol}`;
    const path = `/api/v3/historical-price-full/${encodeURIComponent(symbol)}`;
    const body = await this.get(path, what, signal, { from, to });
    const { historical } = parseShape(this.name, what, HistoricalSchema, body);
    // FMP answers `{}` both for a symbol it does not know and for a range without rows.
    if (!historical || historical.length === 0) {
      return fail(
        new ProviderError(
          'no_data',
          `fmp has no closes for ${symbol} in ${from}..${to} (or does not know it)`,
          this.name,
        ),
      );
    }
    const bars = historical.map((h): DailyBar => {
      // adjClose is split- and dividend-adjusted; open/high/low are scaled to match it.
      const factor = h.close > 0 ? h.adjClose / h.close : null;
      const scale = (v: number | null | undefined) =>
        v == null || factor === null ? null : v * factor;
      return {
        date: h.date,
        close: h.adjClose,
        open: scale(h.open),
        high: scale(h.high),
        low: scale(h.low),
        volume: h.volume ?? null,
      };
    });
    // FMP lists newest first; validateBars wants oldest first (and rejects duplicates).
    bars.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const checked = validateBars(this.name, symbol, bars, from, to);
    if (checked.ok && checked.value.length === 0) {
      return fail(
        new ProviderError(
          'no_data',
          `fmp has no closes for ${symbol} in ${from}..${to}`,
          this.name,
        ),
      );
    }
    return checked;
  }

  /** One GET; an `{"Error Message"}` body is FMP's way of failing, whatever the status. */
  private async get(
    path: string,
    what: string,
    signal: AbortSignal | undefined,
    query: Record<string, string | number> = {},
  ): Promise<unknown> {
    const body = await getJson(this.target, {
      url: buildUrl(this.baseUrl, path, { ...query, apikey: this.apiKey }),
      what,
      signal,
    });
    const error = ErrorBodySchema.safeParse(body);
    if (error.success) {
      const message = error.data['Error Message'];
      const limited = /limit reach/i.test(message);
      throw new ProviderError(
        limited ? 'rate_limited' : 'http_error',
        `fmp refused the request for ${what}: ${message.slice(0, 160)}`,
        this.name,
        { retryable: limited },
      );
    }
    return body;
  }
}

/** FMP's 52-week range "124.17-198.23" as [low, high]. */
export function parseRange(range: string | null | undefined): [number | null, number | null] {
  const match = /^\s*([\d.]+)\s*-\s*([\d.]+)\s*$/.exec(range ?? '');
  if (!match) return [null, null];
  return [positiveOrNull(Number(match[1])), positiveOrNull(Number(match[2]))];
}

/**
 * Past reports carry their actual EPS; scheduled ones only an estimate. Trailing figures sum the
 * last four reports, so they stay null until four are known.
 */
export function summariseEarnings(
  symbol: string,
  rows: readonly z.output<typeof EarningsSchema>[number][],
  today: IsoDate,
): Fundamentals {
  const byDate = [...rows].sort((a, b) => (a.date < b.date ? -1 : 1));
  const reported = byDate.filter((r) => finiteOrNull(r.eps) !== null);
  const upcoming = byDate.filter((r) => finiteOrNull(r.eps) === null && r.date >= today);
  const lastFour = reported.slice(-4);
  const sum = (values: (number | null | undefined)[]) =>
    values.length === 4 && values.every((v) => finiteOrNull(v) !== null)
      ? values.reduce<number>((total, v) => total + (v as number), 0)
      : null;
  const nextFour = upcoming.slice(0, 4);
  return {
    symbol,
    nextEarningsDate: upcoming[0]?.date ?? null,
    lastEarningsDate: reported.at(-1)?.date ?? null,
    trailingEps: sum(lastFour.map((r) => r.eps)),
    forwardEps: sum(nextFour.map((r) => r.epsEstimated)),
    revenueTtm: sum(lastFour.map((r) => r.revenue)),
  };
}
