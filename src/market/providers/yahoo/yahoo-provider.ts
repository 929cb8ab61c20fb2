import YahooFinance from 'yahoo-finance2';
import { ExtendedCookieJar } from 'yahoo-finance2/lib/cookieJar';
import type { QuoteSummaryResult } from 'yahoo-finance2/modules/quoteSummary-iface';
import { addDays, newYorkDateTime, type IsoDate } from '../../../domain/dates.ts';
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
  errorForStatus,
  malformed,
  perSymbol,
  startDeadline,
  transportError,
  type FetchFn,
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

/**
 * `baseUrl` sends every request (query1/query2.finance.yahoo.com, finance.yahoo.com) to that
 * origin instead, path and query kept; `fetch` is the transport under yahoo-finance2;
 * `timeoutMs` is the budget for one call, cookie/crumb handshake included.
 */
export type YahooProviderOptions = HttpProviderOptions;

const PROFILE_MODULES = [
  'price',
  'summaryDetail',
  'summaryProfile',
  'defaultKeyStatistics',
  'calendarEvents',
] as const;
const FUNDAMENTAL_MODULES = ['calendarEvents', 'defaultKeyStatistics', 'financialData'] as const;

// yahoo-finance2 logs validation failures and notices itself; we report through ProviderError.
const SILENT_LOGGER = {
  info: () => {},
  warn: () => {},
  error: () => {},
  debug: () => {},
  dir: () => {},
};

type Client = InstanceType<typeof YahooFinance>;
type ModuleOptions = { fetch: FetchFn };

/**
 * Yahoo Finance through yahoo-finance2: `chart()` for daily bars (its `adjclose`, the split-
 * and dividend-adjusted close) and `quoteSummary()` for profiles and earnings data. Yahoo has
 * no batch endpoint for either, so each symbol is one request.
 *
 * Every library call gets a per-call `fetch` that applies our deadline and classifies HTTP
 * failures itself, so a status never reaches yahoo-finance2's error handling (which discards
 * it) and tests can redirect the real client to a local server.
 */
export class YahooProvider implements MarketDataProvider {
  readonly name = 'yahoo';
  readonly capabilities = {
    dailyCloses: true,
    profiles: true,
    fundamentals: true,
    optionCloses: false,
    treasuryBillRates: false,
  };
  readonly maxSymbolsPerRequest = 1;

  private readonly client: Client;
  private readonly transport: FetchFn;
  private readonly baseUrl: URL | null;
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private readonly concurrency: number;

  constructor(options: YahooProviderOptions = {}) {
    this.transport = options.fetch ?? ((input, init) => fetch(input, init));
    this.baseUrl = options.baseUrl ? new URL(options.baseUrl) : null;
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.now = options.now ?? (() => new Date());
    this.concurrency = options.concurrency ?? 4;
    this.client = new YahooFinance({
      // A jar per provider: the crumb handshake's cookies must not leak between instances.
      cookieJar: new ExtendedCookieJar(),
      logger: SILENT_LOGGER,
      suppressNotices: ['yahooSurvey'],
      // Otherwise a validation failure triggers a request to the npm registry.
      versionCheck: false,
      validation: { logErrors: false, logOptionsErrors: false },
    });
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
    return perSymbol(symbols, this.fanOut(options), (symbol) =>
      this.closesOf(symbol, from, to, options.signal),
    );
  }

  getProfiles(
    symbols: readonly string[],
    options: RequestOptions = {},
  ): Promise<Map<string, SymbolResult<SymbolProfile>>> {
    return perSymbol(symbols, this.fanOut(options), async (symbol) => {
      const summary = await this.call(`the profile of ${symbol}`, options.signal, (m) =>
        this.client.quoteSummary(symbol, { modules: [...PROFILE_MODULES] }, m),
      );
      return ok(this.toProfile(symbol, summary));
    });
  }

  getFundamentals(
    symbols: readonly string[],
    options: RequestOptions = {},
  ): Promise<Map<string, SymbolResult<Fundamentals>>> {
    return perSymbol(symbols, this.fanOut(options), async (symbol) => {
      const summary = await this.call(`the fundamentals of ${symbol}`, options.signal, (m) =>
        this.client.quoteSummary(symbol, { modules: [...FUNDAMENTAL_MODULES] }, m),
      );
      const stats = summary.defaultKeyStatistics;
      const fundamentals: Fundamentals = {
        symbol,
        nextEarningsDate: this.nextEarningsDate(summary.calendarEvents?.earnings.earningsDate),
        // quoteSummary has no past report date, only fiscal quarter ends; null is honest.
        lastEarningsDate: null,
        trailingEps: finiteOrNull(stats?.trailingEps),
        forwardEps: finiteOrNull(stats?.forwardEps),
        revenueTtm: finiteOrNull(summary.financialData?.totalRevenue),
      };
      const { symbol: _symbol, ...fields } = fundamentals;
      if (Object.values(fields).every((v) => v === null)) {
        // Funds have no earnings; an all-null record would only look like an answer.
        return fail(
          new ProviderError('no_data', `yahoo has no fundamentals for ${symbol}`, this.name),
        );
      }
      return ok(fundamentals);
    });
  }

  private fanOut(options: RequestOptions) {
    return { concurrency: this.concurrency, signal: options.signal };
  }

  private async closesOf(
    symbol: string,
    from: IsoDate,
    to: IsoDate,
    signal: AbortSignal | undefined,
  ): Promise<SymbolResult<DailyBar[]>> {
    const what = `daily closes of ${symbol}`;
    const chart = await this.call(what, signal, (m) =>
      // period1/period2 are instants: midnight UTC of `from` precedes that day's 09:30 New
      // York bar, and midnight UTC after `to` follows `to`'s bar.
      this.client.chart(
        symbol,
        { period1: from, period2: addDays(to, 1), interval: '1d', events: 'div|split' },
        m,
      ),
    );
    const bars: DailyBar[] = [];
    for (const quote of chart.quotes) {
      const adjclose = quote.adjclose ?? null;
      // Yahoo pads halted or not-yet-open sessions with all-null rows; they carry nothing.
      if (adjclose === null && quote.close === null) continue;
      if (adjclose === null) {
        // Storing an unadjusted close as an adjusted one would corrupt every return across a
        // split, so a close without its adjclose spoils the series.
        return fail(
          malformed(this.name, what, `a close without adjclose on ${quote.date.toISOString()}`),
        );
      }
      // Timestamps are the session's opening instant; its New York date names the session.
      const date = newYorkDateTime(quote.date).date;
      // Scale open/high/low by the same factor so the bar stays internally consistent.
      const factor = quote.close !== null && quote.close > 0 ? adjclose / quote.close : null;
      const scale = (v: number | null) => (v === null || factor === null ? null : v * factor);
      const bar: DailyBar = {
        date,
        close: adjclose,
        open: scale(quote.open),
        high: scale(quote.high),
        low: scale(quote.low),
        volume: quote.volume,
      };
      // While a session trades Yahoo can send it twice (the 09:30 bar and a live one); the
      // later row is the newer price.
      if (bars.at(-1)?.date === date) bars[bars.length - 1] = bar;
      else bars.push(bar);
    }
    const checked = validateBars(this.name, symbol, bars, from, to);
    if (checked.ok && checked.value.length === 0) {
      return fail(
        new ProviderError(
          'no_data',
          `yahoo has no closes for ${symbol} in ${from}..${to}`,
          this.name,
        ),
      );
    }
    return checked;
  }

  private toProfile(symbol: string, summary: QuoteSummaryResult): SymbolProfile {
    const { price, summaryDetail: detail, summaryProfile: profile } = summary;
    const stats = summary.defaultKeyStatistics;
    const isEtf = price?.quoteType === 'ETF';
    // Equities carry Yahoo's 5-year monthly beta; funds only the 3-year one.
    const equityBeta = finiteOrNull(detail?.beta) ?? finiteOrNull(stats?.beta);
    const fundBeta = finiteOrNull(stats?.beta3Year);
    const beta = equityBeta ?? fundBeta;
    return {
      symbol,
      name: textOrNull(price?.longName) ?? textOrNull(price?.shortName),
      sector: gicsSector(profile?.sector),
      industry: textOrNull(profile?.industry),
      exchange: textOrNull(price?.exchangeName),
      country: countryCode(profile?.country),
      isEtf,
      marketCap: positiveOrNull(price?.marketCap) ?? positiveOrNull(detail?.marketCap),
      peRatio: positiveOrNull(detail?.trailingPE),
      forwardPe: positiveOrNull(detail?.forwardPE) ?? positiveOrNull(stats?.forwardPE),
      dividendYield: finiteOrNull(detail?.dividendYield) ?? finiteOrNull(detail?.yield),
      beta,
      betaSource: equityBeta !== null ? 'yahoo:beta' : fundBeta !== null ? 'yahoo:beta3Year' : null,
      week52High: positiveOrNull(detail?.fiftyTwoWeekHigh),
      week52Low: positiveOrNull(detail?.fiftyTwoWeekLow),
      nextEarningsDate: this.nextEarningsDate(summary.calendarEvents?.earnings.earningsDate),
    };
  }

  /** The first announced earnings date on or after today (New York), if Yahoo has one. */
  private nextEarningsDate(dates: readonly Date[] | undefined): IsoDate | null {
    const today = newYorkDateTime(this.now()).date;
    const upcoming = (dates ?? [])
      .filter((d) => !Number.isNaN(d.getTime()))
      .map((d) => newYorkDateTime(d).date)
      .filter((d) => d >= today)
      .sort();
    return upcoming[0] ?? null;
  }

  /**
   * Runs one yahoo-finance2 call under a deadline and turns whatever it throws into a
   * ProviderError. Errors from our fetch are already classified; anything else the library
   * threw came from reading a response it got (not JSON, failed schema validation, missing
   * fields), which is a malformed response.
   */
  private async call<T>(
    what: string,
    signal: AbortSignal | undefined,
    run: (moduleOptions: ModuleOptions) => Promise<T>,
  ): Promise<T> {
    const deadline = startDeadline(this.timeoutMs, signal);
    const target: HttpTarget = {
      provider: this.name,
      fetch: this.transport,
      timeoutMs: this.timeoutMs,
    };
    const fetchThrough: FetchFn = async (input, init) => {
      const url = this.route(
        typeof input === 'string' ? input : 'url' in input ? input.url : input.href,
      );
      let response: Response;
      try {
        response = await this.transport(url, { ...init, signal: deadline.signal });
      } catch (error) {
        throw transportError(target, what, deadline, signal, error);
      }
      const kind = requestKind(url);
      // The cookie page may answer 404 and still set the cookies; yahoo-finance2 copes.
      if (kind !== 'cookie-page' && !response.ok) {
        const body = await response.text().catch(() => '');
        const notFound = kind === 'data' ? 'unknown_symbol' : 'http_error';
        throw errorForStatus(this.name, response.status, what, body, notFound)!;
      }
      return response;
    };
    try {
      return await run({ fetch: fetchThrough });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof ProviderError) throw error;
      if (deadline.timedOut) throw transportError(target, what, deadline, signal, error);
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof Error && error.name === 'BadRequestError') {
        throw new ProviderError('http_error', `yahoo rejected ${what}: ${message}`, this.name, {
          retryable: false,
          cause: error,
        });
      }
      throw new ProviderError(
        'malformed_response',
        `yahoo returned an unusable response for ${what}: ${describeLibraryError(message, error)}`,
        this.name,
        { cause: error },
      );
    } finally {
      deadline.dispose();
    }
  }

  private route(url: string): string {
    if (!this.baseUrl) return url;
    const original = new URL(url);
    if (!original.hostname.endsWith('yahoo.com')) return url;
    return new URL(original.pathname + original.search, this.baseUrl).href;
  }
}

/** Which of yahoo-finance2's requests this is, for what a non-2xx status means. */
function requestKind(url: string): 'data' | 'crumb' | 'cookie-page' {
  const { pathname } = new URL(url);
  if (/^\/v\d+\/finance\//.test(pathname)) return 'data';
  if (pathname.startsWith('/v1/test/getcrumb')) return 'crumb';
  return 'cookie-page';
}

/** yahoo-finance2's message, plus the first schema violation when validation failed. */
function describeLibraryError(message: string, error: unknown): string {
  const errors = (error as { errors?: unknown } | null)?.errors;
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  if (first && typeof first === 'object') {
    const { instancePath, message: why } = first as { instancePath?: unknown; message?: unknown };
    return `${message} (${String(instancePath ?? '')} ${String(why ?? '')})`.slice(0, 200);
  }
  return message.slice(0, 200);
}
