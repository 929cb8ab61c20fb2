import { isIsoDate, type IsoDate } from '../domain/dates.ts';

/**
 * The one interface every market-data source implements (sample, simulated, csv, yahoo,
 * polygon, fmp). Batch code talks to this, wrapped by the resilience layer and the registry;
 * it never knows which source answered.
 */
export interface ProviderCapabilities {
  dailyCloses: boolean;
  profiles: boolean;
  fundamentals: boolean;
  optionCloses: boolean;
  /** A 3-month Treasury bill rate series (the options' risk-free rate, SPEC §5). */
  treasuryBillRates: boolean;
}

export interface DailyBar {
  date: IsoDate;
  /** Split- and dividend-adjusted close. */
  close: number;
  open?: number | null;
  high?: number | null;
  low?: number | null;
  volume?: number | null;
}

export interface SymbolProfile {
  symbol: string;
  name: string | null;
  sector: string | null;
  industry: string | null;
  exchange: string | null;
  country: string | null;
  isEtf: boolean;
  marketCap: number | null;
  peRatio: number | null;
  forwardPe: number | null;
  dividendYield: number | null;
  /** The provider's beta (SPEC factor "Provider Beta (1Y)"). */
  beta: number | null;
  /** How `beta` was obtained, e.g. `yahoo:beta` or `sample:5y-monthly-vs-SPY`. */
  betaSource: string | null;
  week52High: number | null;
  week52Low: number | null;
  nextEarningsDate: IsoDate | null;
}

/** One day's 3-month Treasury bill quote, in percent (4.25 = 4.25 %); may be negative. */
export interface RatePoint {
  date: IsoDate;
  ratePercent: number;
}

export interface Fundamentals {
  symbol: string;
  nextEarningsDate: IsoDate | null;
  lastEarningsDate: IsoDate | null;
  trailingEps: number | null;
  forwardEps: number | null;
  revenueTtm: number | null;
}

export type ProviderErrorCode =
  /** The provider does not know this symbol (typo, never listed). Not retried this run. */
  | 'unknown_symbol'
  /** Listed once, no longer trades. Not retried this run. */
  | 'delisted'
  /** Known symbol, but no rows for the requested range. */
  | 'no_data'
  | 'http_error'
  | 'timeout'
  /** The body could not be understood (not JSON, wrong shape, non-finite prices…). */
  | 'malformed_response'
  | 'rate_limited'
  | 'circuit_open'
  | 'not_supported';

export class ProviderError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly provider: string,
    readonly options: { retryable?: boolean; status?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
  }

  /** Transient failures (timeouts, 5xx, 429) are worth retrying; a bad symbol is not. */
  get retryable(): boolean {
    if (this.options.retryable !== undefined) return this.options.retryable;
    return ['http_error', 'timeout', 'rate_limited'].includes(this.code);
  }
}

/** Per-symbol outcome: one bad symbol never fails the rest of a request. */
export type SymbolResult<T> = { ok: true; value: T } | { ok: false; error: ProviderError };

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface MarketDataProvider {
  readonly name: string;
  readonly capabilities: ProviderCapabilities;
  /** Most symbols one `getDailyCloses`/`getProfiles` call may carry; callers chunk to it. */
  readonly maxSymbolsPerRequest: number;
  /** The most recent date this provider has complete closes for (bounds the batch target). */
  latestAvailableDate(options?: RequestOptions): Promise<IsoDate | null>;
  /** Adjusted daily closes in [from, to], oldest first, keyed by every requested symbol. */
  getDailyCloses(
    symbols: readonly string[],
    from: IsoDate,
    to: IsoDate,
    options?: RequestOptions,
  ): Promise<Map<string, SymbolResult<DailyBar[]>>>;
  getProfiles(
    symbols: readonly string[],
    options?: RequestOptions,
  ): Promise<Map<string, SymbolResult<SymbolProfile>>>;
  getFundamentals?(
    symbols: readonly string[],
    options?: RequestOptions,
  ): Promise<Map<string, SymbolResult<Fundamentals>>>;
  /** Closes of OCC option contracts, where the source has them. */
  getOptionCloses?(
    contracts: readonly string[],
    from: IsoDate,
    to: IsoDate,
    options?: RequestOptions,
  ): Promise<Map<string, SymbolResult<DailyBar[]>>>;
  /** The 3-month Treasury bill rate in [from, to], oldest first, where the source has it. */
  getTreasuryBillRates?(
    from: IsoDate,
    to: IsoDate,
    options?: RequestOptions,
  ): Promise<SymbolResult<RatePoint[]>>;
}

export const ok = <T>(value: T): SymbolResult<T> => ({ ok: true, value });
export const fail = <T>(error: ProviderError): SymbolResult<T> => ({ ok: false, error });

/**
 * Checks a provider's bars before anything is stored: ascending unique dates inside the range,
 * finite positive closes. Garbage becomes a `malformed_response` for that symbol, never rows.
 */
export function validateBars(
  provider: string,
  symbol: string,
  bars: readonly DailyBar[],
  from: IsoDate,
  to: IsoDate,
): SymbolResult<DailyBar[]> {
  let previous = '';
  const kept: DailyBar[] = [];
  for (const bar of bars) {
    if (!isIsoDate(bar.date) || !(bar.close > 0) || !Number.isFinite(bar.close)) {
      return fail(
        new ProviderError(
          'malformed_response',
          `${provider} returned an invalid bar for ${symbol}: ${JSON.stringify(bar)}`,
          provider,
        ),
      );
    }
    if (bar.date <= previous) {
      return fail(
        new ProviderError(
          'malformed_response',
          `${provider} returned dates out of order for ${symbol} (${previous} then ${bar.date})`,
          provider,
        ),
      );
    }
    previous = bar.date;
    if (bar.date >= from && bar.date <= to) kept.push(bar);
  }
  return ok(kept);
}
