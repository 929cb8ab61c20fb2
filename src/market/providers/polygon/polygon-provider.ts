import { z } from 'zod';
import { newYorkDateTime, type IsoDate } from '../../../domain/dates.ts';
import {
  fail,
  ok,
  ProviderError,
  validateBars,
  type DailyBar,
  type MarketDataProvider,
  type RequestOptions,
  type SymbolProfile,
  type SymbolResult,
} from '../../provider.ts';
import {
  buildUrl,
  getJson,
  malformed,
  parseShape,
  perSymbol,
  httpProviderBasics,
  type HttpProviderOptions,
  type HttpTarget,
} from '../http-json.ts';
import { countryCode, positiveOrNull, textOrNull } from '../profile-fields.ts';
import { latestCompletedClose } from '../latest-completed-close.ts';

/** `baseUrl` defaults to https://api.polygon.io. */
export interface PolygonProviderOptions extends HttpProviderOptions {
  apiKey?: string;
  /**
   * Polygon's `adjusted=true` undoes splits only. With this on (the default) each symbol costs
   * a second request, to /v3/reference/dividends, and closes are back-adjusted for the cash
   * dividends in the range, as DailyBar.close promises. Off halves the requests but leaves
   * dividend drops in the returns.
   */
  adjustForDividends?: boolean;
}

const DEFAULT_BASE_URL = 'https://api.polygon.io';

// Only the fields the mapping reads are checked; Polygon adds fields over time.
const AggregatesSchema = z.object({
  status: z.string().optional(),
  results: z
    .array(
      z.object({
        t: z.number(),
        c: z.number(),
        o: z.number().nullish(),
        h: z.number().nullish(),
        l: z.number().nullish(),
        v: z.number().nullish(),
      }),
    )
    .optional(),
});

const DividendsSchema = z.object({
  results: z
    .array(
      z.object({
        ex_dividend_date: z.string(),
        cash_amount: z.number(),
        currency: z.string().nullish(),
      }),
    )
    .optional(),
  next_url: z.string().nullish(),
});

const TickerDetailsSchema = z.object({
  results: z.object({
    ticker: z.string(),
    name: z.string().nullish(),
    locale: z.string().nullish(),
    primary_exchange: z.string().nullish(),
    type: z.string().nullish(),
    market_cap: z.number().nullish(),
    sic_description: z.string().nullish(),
  }),
});

/** Polygon's fund-like security types (ETF, exchange-traded note, vehicle, structure). */
const FUND_TYPES = new Set(['ETF', 'ETN', 'ETV', 'ETS']);

type Dividend = { exDate: IsoDate; cash: number };

/**
 * Polygon.io (plain fetch): daily aggregates for closes, ticker details for profiles. Every
 * endpoint is per ticker, so one symbol per request. Polygon publishes no beta, so profiles
 * carry `beta: null`, and it has SIC industries rather than sectors, so `sector` is null too.
 */
export class PolygonProvider implements MarketDataProvider {
  readonly name = 'polygon';
  readonly capabilities = {
    dailyCloses: true,
    profiles: true,
    fundamentals: false,
    optionCloses: false,
    treasuryBillRates: false,
  };
  readonly maxSymbolsPerRequest = 1;

  private readonly target: HttpTarget;
  private readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly now: () => Date;
  private readonly adjustForDividends: boolean;
  private readonly concurrency: number;

  constructor(options: PolygonProviderOptions = {}) {
    ({
      target: this.target,
      now: this.now,
      concurrency: this.concurrency,
    } = httpProviderBasics(this.name, options));
    this.baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
    // The key goes in a header, not the query string, so it never shows up in a logged URL.
    this.headers = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
    this.adjustForDividends = options.adjustForDividends ?? true;
  }

  latestAvailableDate(options: RequestOptions = {}): Promise<IsoDate | null> {
    // Only the dates matter here, so the dividend request is skipped.
    return latestCompletedClose(this.now(), (symbol, from, to) =>
      this.aggregates(symbol, from, to, options.signal),
    );
  }

  getDailyCloses(
    symbols: readonly string[],
    from: IsoDate,
    to: IsoDate,
    options: RequestOptions = {},
  ): Promise<Map<string, SymbolResult<DailyBar[]>>> {
    const { signal } = options;
    return perSymbol(symbols, { concurrency: this.concurrency, signal }, async (symbol) => {
      const raw = await this.aggregates(symbol, from, to, signal);
      if (raw.length === 0) {
        // Polygon answers an unknown ticker exactly like a known one without rows.
        return fail(
          new ProviderError(
            'no_data',
            `polygon has no closes for ${symbol} in ${from}..${to} (or does not know it)`,
            this.name,
          ),
        );
      }
      const checked = validateBars(this.name, symbol, raw, from, to);
      if (!checked.ok || !this.adjustForDividends) return checked;
      const dividends = await this.dividends(symbol, from, to, signal);
      return backAdjust(this.name, symbol, checked.value, dividends);
    });
  }

  getProfiles(
    symbols: readonly string[],
    options: RequestOptions = {},
  ): Promise<Map<string, SymbolResult<SymbolProfile>>> {
    const { signal } = options;
    return perSymbol(symbols, { concurrency: this.concurrency, signal }, async (symbol) => {
      const what = `ticker details of ${symbol}`;
      const body = await getJson(this.target, {
        url: buildUrl(this.baseUrl, `/v3/reference/tickers/${encodeURIComponent(symbol)}`),
        what,
        headers: this.headers,
        signal,
      });
      const { results: t } = parseShape(this.name, what, TickerDetailsSchema, body);
      return ok({
        symbol,
        name: textOrNull(t.name),
        sector: null,
        industry: textOrNull(t.sic_description),
        exchange: textOrNull(t.primary_exchange),
        country: countryCode(t.locale),
        isEtf: FUND_TYPES.has(t.type ?? ''),
        marketCap: positiveOrNull(t.market_cap),
        peRatio: null,
        forwardPe: null,
        dividendYield: null,
        beta: null,
        betaSource: null,
        week52High: null,
        week52Low: null,
        nextEarningsDate: null,
      });
    });
  }

  /** Split-adjusted daily bars, oldest first, dated by their New York session. */
  private async aggregates(
    symbol: string,
    from: IsoDate,
    to: IsoDate,
    signal: AbortSignal | undefined,
  ): Promise<DailyBar[]> {
    const what = `daily aggregates of ${symbol}`;
    const path = `/v2/aggs/ticker/${encodeURIComponent(symbol)}/range/1/day/${from}/${to}`;
    const body = await getJson(this.target, {
      // 50,000 daily bars is two centuries, so one page always holds the range.
      url: buildUrl(this.baseUrl, path, { adjusted: 'true', sort: 'asc', limit: 50_000 }),
      what,
      headers: this.headers,
      signal,
    });
    const parsed = parseShape(this.name, what, AggregatesSchema, body);
    if (parsed.status === 'ERROR') throw malformed(this.name, what, 'status ERROR');
    // `t` is the millisecond instant the bar starts: midnight in New York, which is 04:00 or
    // 05:00 UTC. The New York date is the session; a local-time date would drift by zone.
    return (parsed.results ?? []).map((r) => ({
      date: newYorkDateTime(new Date(r.t)).date,
      close: r.c,
      open: r.o ?? null,
      high: r.h ?? null,
      low: r.l ?? null,
      volume: r.v ?? null,
    }));
  }

  /** Cash distributions with an ex-date in (from, to], which are what move closes in range. */
  private async dividends(
    symbol: string,
    from: IsoDate,
    to: IsoDate,
    signal: AbortSignal | undefined,
  ): Promise<Dividend[]> {
    const what = `dividends of ${symbol}`;
    const body = await getJson(this.target, {
      url: buildUrl(this.baseUrl, '/v3/reference/dividends', {
        ticker: symbol,
        'ex_dividend_date.gt': from,
        'ex_dividend_date.lte': to,
        order: 'asc',
        sort: 'ex_dividend_date',
        limit: 1000,
      }),
      what,
      headers: this.headers,
      signal,
      notFound: 'http_error',
    });
    const parsed = parseShape(this.name, what, DividendsSchema, body);
    return (parsed.results ?? [])
      .filter((d) => !d.currency || d.currency.toUpperCase() === 'USD')
      .map((d) => ({ exDate: d.ex_dividend_date, cash: d.cash_amount }));
  }
}

/**
 * Back-adjusts raw closes for cash dividends the way Yahoo does: every bar before an ex-date
 * is multiplied by (1 − dividend / close of the session before the ex-date). The last bar keeps
 * its raw close, so returns inside the range are total returns.
 */
export function backAdjust(
  provider: string,
  symbol: string,
  bars: readonly DailyBar[],
  dividends: readonly Dividend[],
): SymbolResult<DailyBar[]> {
  const pending = [...dividends].sort((a, b) => (a.exDate < b.exDate ? -1 : 1));
  const adjusted = bars.map((b) => ({ ...b }));
  let factor = 1;
  for (let i = adjusted.length - 1; i >= 0; i--) {
    const bar = adjusted[i]!;
    // Dividends going ex after this bar's session are paid out of this bar's close.
    while (pending.length > 0 && pending.at(-1)!.exDate > bar.date) {
      const dividend = pending.pop()!;
      const rawClose = bars[i]!.close;
      const multiplier = 1 - dividend.cash / rawClose;
      if (!(multiplier > 0) || !Number.isFinite(multiplier)) {
        return fail(
          malformed(
            provider,
            `dividends of ${symbol}`,
            `a ${dividend.cash} dividend on ${dividend.exDate} exceeds the ${rawClose} close before it`,
          ),
        );
      }
      factor *= multiplier;
    }
    if (factor !== 1) {
      const scale = (v: number | null | undefined) => (v == null ? v : v * factor);
      bar.close *= factor;
      bar.open = scale(bar.open);
      bar.high = scale(bar.high);
      bar.low = scale(bar.low);
    }
  }
  return ok(adjusted);
}
