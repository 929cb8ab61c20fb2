import {
  mostRecentCompletedTradingDay,
  nextTradingDay,
  tradingSessionsBetween,
} from '../../../domain/calendar/index.ts';
import { addDays, type IsoDate } from '../../../domain/dates.ts';
import {
  fail,
  ok,
  ProviderError,
  type DailyBar,
  type MarketDataProvider,
  type ProviderErrorCode,
  type RequestOptions,
  type SymbolProfile,
  type SymbolResult,
} from '../../provider.ts';
import { GICS_SECTORS } from '../profile-fields.ts';
import { hashSymbol, mix32, mulberry32, normalSource } from './seeded-random.ts';

export interface SimulatedProviderOptions {
  /** Last session with a close. Default: the last completed session at `now`, else 2026-07-31. */
  latestDate?: IsoDate;
  /** Used only when `latestDate` is not given. */
  now?: Date | (() => Date);
  /** Changes every series at once; the same seed always gives the same prices. Default 1. */
  seed?: number;
  /** Delay per call, for load tests. Default 0. */
  latencyMs?: number;
  /** Symbols that fail with the given code (in closes and profiles), for failure tests. */
  failSymbols?: Readonly<Record<string, ProviderErrorCode>>;
}

export const SIMULATED_BASE_DATE: IsoDate = '2015-01-02';
export const SIMULATED_DEFAULT_LATEST: IsoDate = '2026-07-31';
export const SIMULATED_BETA_SOURCE = 'simulated:true-beta';

/**
 * The factor ETFs (SPEC §6). Each one's daily log return is `marketLoading · market + own`,
 * its own part independent of the market with daily volatility `ownVol`; SPY is the market.
 */
const FACTOR_ETFS = [
  { symbol: 'SPY', label: 'market', marketLoading: 1, ownVol: 0 },
  { symbol: 'TLT', label: 'rates', marketLoading: -0.15, ownVol: 0.009 },
  { symbol: 'MTUM', label: 'momentum', marketLoading: 1.0, ownVol: 0.006 },
  { symbol: 'VTV', label: 'value', marketLoading: 0.9, ownVol: 0.004 },
  { symbol: 'VUG', label: 'growth', marketLoading: 1.1, ownVol: 0.0045 },
  { symbol: 'IWM', label: 'size', marketLoading: 1.15, ownVol: 0.007 },
  { symbol: 'QUAL', label: 'quality', marketLoading: 1.0, ownVol: 0.0035 },
  { symbol: 'USMV', label: 'low volatility', marketLoading: 0.7, ownVol: 0.004 },
] as const;

const MARKET_DRIFT = 0.0004;
const MARKET_VOL = 0.011;
/** Style factors = every ETF but SPY, in FACTOR_ETFS order. */
const STYLES = FACTOR_ETFS.slice(1);

/**
 * How a simulated symbol's daily log return is built:
 *   r = alpha + marketBeta · market + Σ styleLoadings[k] · style_k + idioVol · ε.
 * The style parts are independent of the market, so regressing r on SPY alone recovers
 * `marketBeta`, and a multi-factor regression on the ETFs gives `styleLoadings[k]` on ETF k.
 */
export interface SimulatedLoadings {
  symbol: string;
  alpha: number;
  marketBeta: number;
  /** Keyed by factor ETF symbol (TLT, MTUM, VTV, VUG, IWM, QUAL, USMV). */
  styleLoadings: Record<string, number>;
  idioVol: number;
  startPrice: number;
  isFactorEtf: boolean;
}

/**
 * Factor log returns summed from the base date, shared by every symbol; computed once per seed
 * and span. Entry i is the sum over sessions 1..i (so 0 at the base date), which makes any
 * close O(factors) instead of a walk over every earlier session. `styles` holds each style
 * ETF's own part, independent of the market; the ETF's return adds its market loading (see
 * `loadings`), so each factor ETF's prices are its own factor series.
 */
interface FactorSeries {
  sessions: readonly IsoDate[];
  market: Float64Array;
  /** Session-major: style k at session i is at `i · STYLES.length + k`. */
  styles: Float64Array;
}

/** Idiosyncratic noise is drawn in blocks of this many sessions (see `noiseSums`). */
const NOISE_BLOCK = 64;

/**
 * Deterministic multi-factor prices for any symbol string: the same symbol, seed and date
 * always give the same close, whatever range is asked, so load tests and demos need no data.
 * Closes exist for every NYSE session from 2015-01-02 to `latestDate`.
 */
export class SimulatedProvider implements MarketDataProvider {
  readonly name = 'simulated';
  readonly capabilities = {
    dailyCloses: true,
    profiles: true,
    fundamentals: false,
    optionCloses: false,
    treasuryBillRates: false,
  };
  readonly maxSymbolsPerRequest = 5_000;
  readonly latestDate: IsoDate;

  private readonly seed: number;
  private readonly latencyMs: number;
  private readonly failSymbols: Readonly<Record<string, ProviderErrorCode>>;
  private readonly factors: FactorSeries;

  constructor(options: SimulatedProviderOptions = {}) {
    const now = typeof options.now === 'function' ? options.now() : options.now;
    this.latestDate =
      options.latestDate ?? (now ? mostRecentCompletedTradingDay(now) : SIMULATED_DEFAULT_LATEST);
    this.seed = (options.seed ?? 1) >>> 0;
    this.latencyMs = options.latencyMs ?? 0;
    this.failSymbols = options.failSymbols ?? {};
    this.factors = buildFactors(this.seed, this.latestDate);
  }

  async latestAvailableDate(options: RequestOptions = {}): Promise<IsoDate | null> {
    await this.pause(options.signal);
    return this.factors.sessions.at(-1) ?? null;
  }

  async getDailyCloses(
    symbols: readonly string[],
    from: IsoDate,
    to: IsoDate,
    options: RequestOptions = {},
  ): Promise<Map<string, SymbolResult<DailyBar[]>>> {
    await this.pause(options.signal);
    const { sessions } = this.factors;
    const start = lowerBound(sessions, from);
    const stop = lowerBound(sessions, to, true);
    const out = new Map<string, SymbolResult<DailyBar[]>>();
    for (const symbol of symbols) {
      if (out.has(symbol)) continue;
      const failure = this.failure(symbol);
      if (failure) {
        out.set(symbol, fail(failure));
        continue;
      }
      if (stop <= start) {
        out.set(symbol, fail(this.noData(symbol, from, to)));
        continue;
      }
      const closes = this.closes(symbol, start, stop);
      const bars: DailyBar[] = new Array(stop - start);
      for (let i = start; i < stop; i++)
        bars[i - start] = { date: sessions[i]!, close: closes[i - start]! };
      out.set(symbol, ok(bars));
    }
    return out;
  }

  async getProfiles(
    symbols: readonly string[],
    options: RequestOptions = {},
  ): Promise<Map<string, SymbolResult<SymbolProfile>>> {
    await this.pause(options.signal);
    const out = new Map<string, SymbolResult<SymbolProfile>>();
    for (const symbol of symbols) {
      const failure = this.failure(symbol);
      out.set(symbol, failure ? fail(failure) : ok(this.profile(symbol)));
    }
    return out;
  }

  /** The true parameters behind a symbol's prices, for tests that check estimated betas. */
  loadings(symbol: string): SimulatedLoadings {
    const etf = FACTOR_ETFS.findIndex((e) => e.symbol === symbol);
    const rng = mulberry32(hashSymbol(symbol, this.seed));
    const startPrice = Math.round(Math.exp(Math.log(10) + rng() * Math.log(50)) * 100) / 100;
    const styleLoadings: Record<string, number> = {};
    if (etf >= 0) {
      for (const s of STYLES) styleLoadings[s.symbol] = s.symbol === symbol ? 1 : 0;
      return {
        symbol,
        alpha: 0,
        marketBeta: FACTOR_ETFS[etf]!.marketLoading,
        styleLoadings,
        idioVol: 0,
        startPrice,
        isFactorEtf: true,
      };
    }
    const gauss = normalSource(rng);
    const marketBeta = round4(0.4 + 1.3 * rng());
    for (const s of STYLES) {
      styleLoadings[s.symbol] = round4((s.symbol === 'TLT' ? 0.2 : 0.35) * gauss());
    }
    return {
      symbol,
      alpha: 0.0002 * gauss(),
      marketBeta,
      styleLoadings,
      idioVol: 0.008 + 0.017 * rng(),
      startPrice,
      isFactorEtf: false,
    };
  }

  /** Closes of sessions [start, stop): log price = factor sums + summed idiosyncratic noise. */
  private closes(symbol: string, start: number, stop: number): Float64Array {
    const { market, styles } = this.factors;
    const l = this.loadings(symbol);
    const weights = Float64Array.from(STYLES, (s) => l.styleLoadings[s.symbol]!);
    const nStyles = weights.length;
    const noise = l.idioVol > 0 ? this.noiseSums(symbol, start, stop) : null;
    const out = new Float64Array(Math.max(0, stop - start));
    const logStart = Math.log(l.startPrice);
    for (let i = start; i < stop; i++) {
      let logPrice = logStart + l.alpha * i + l.marketBeta * market[i]!;
      const row = i * nStyles;
      for (let k = 0; k < nStyles; k++) logPrice += weights[k]! * styles[row + k]!;
      if (noise) logPrice += l.idioVol * noise[i - start]!;
      out[i - start] = Math.round(Math.exp(logPrice) * 1e6) / 1e6;
    }
    return out;
  }

  /**
   * E_i = ε_0 + … + ε_{i−1} (standard normals, one per session) for i in [start, stop), without
   * drawing every ε before `start`. Each block of NOISE_BLOCK sessions gets its total T ~ N(0, B)
   * from one sequential stream, and its members from a stream of their own as
   * ε = T/B + (w − mean w) with w iid N(0, 1): exactly iid N(0, 1) again, but skipping a block
   * costs one draw instead of 64. Blocks are always drawn in order, so E never depends on the
   * range asked.
   */
  private noiseSums(symbol: string, start: number, stop: number): Float64Array {
    const totals = normalSource(mulberry32(hashSymbol(symbol, this.seed ^ 0x5bd1e995)));
    const blockScale = Math.sqrt(NOISE_BLOCK);
    const out = new Float64Array(Math.max(0, stop - start));
    const firstBlock = Math.floor(start / NOISE_BLOCK);
    let sum = 0;
    for (let b = 0; b < firstBlock; b++) sum += blockScale * totals();
    const w = new Float64Array(NOISE_BLOCK);
    for (let b = firstBlock; b * NOISE_BLOCK < stop; b++) {
      const total = blockScale * totals();
      const members = normalSource(
        mulberry32(hashSymbol(symbol, this.seed ^ mix32(b + 0x632be5ab))),
      );
      let mean = 0;
      for (let m = 0; m < NOISE_BLOCK; m++) {
        w[m] = members();
        mean += w[m]!;
      }
      mean /= NOISE_BLOCK;
      for (let m = 0; m < NOISE_BLOCK; m++) {
        const i = b * NOISE_BLOCK + m;
        if (i >= start && i < stop) out[i - start] = sum;
        sum += total / NOISE_BLOCK + w[m]! - mean;
      }
    }
    return out;
  }

  private profile(symbol: string): SymbolProfile {
    const l = this.loadings(symbol);
    const etf = FACTOR_ETFS.find((e) => e.symbol === symbol);
    const rng = mulberry32(hashSymbol(symbol, this.seed ^ 0x2545f491));
    const { sessions } = this.factors;
    const closes = this.closes(symbol, Math.max(0, sessions.length - 252), sessions.length);
    let high = -Infinity;
    let low = Infinity;
    for (let i = 0; i < closes.length; i++) {
      high = Math.max(high, closes[i]!);
      low = Math.min(low, closes[i]!);
    }
    const pe = round2(8 + 40 * rng());
    return {
      symbol,
      name: etf ? `Simulated ${symbol} (${etf.label} factor ETF)` : `Simulated ${symbol}`,
      sector: etf ? null : GICS_SECTORS[Math.floor(rng() * GICS_SECTORS.length)]!,
      industry: null,
      exchange: 'SIM',
      country: 'US',
      isEtf: etf !== undefined,
      marketCap: etf ? null : Math.round(Math.exp(Math.log(3e8) + rng() * Math.log(1e4))),
      peRatio: etf ? null : pe,
      forwardPe: etf ? null : round2(pe * (0.8 + 0.3 * rng())),
      dividendYield: round4(0.035 * rng()),
      beta: l.marketBeta,
      betaSource: SIMULATED_BETA_SOURCE,
      week52High: Number.isFinite(high) ? high : null,
      week52Low: Number.isFinite(low) ? low : null,
      nextEarningsDate: etf
        ? null
        : nextTradingDay(addDays(this.latestDate, Math.floor(rng() * 63))),
    };
  }

  private failure(symbol: string): ProviderError | null {
    const code = this.failSymbols[symbol];
    if (code) {
      return new ProviderError(code, `simulated ${code} for ${symbol}`, this.name);
    }
    if (symbol.trim() === '') {
      return new ProviderError('unknown_symbol', 'an empty symbol has no prices', this.name);
    }
    return null;
  }

  private noData(symbol: string, from: IsoDate, to: IsoDate): ProviderError {
    return new ProviderError(
      'no_data',
      `no simulated sessions for ${symbol} in ${from}..${to} (data spans ${SIMULATED_BASE_DATE}..${this.latestDate})`,
      this.name,
    );
  }

  private async pause(signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    if (this.latencyMs <= 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, this.latencyMs);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

const factorCache = new Map<string, FactorSeries>();

/**
 * Factor returns for every session, generated sequentially from the base date so a longer
 * span only appends: the prefix (and so every close) is the same whatever `latestDate` is.
 */
function buildFactors(seed: number, latestDate: IsoDate): FactorSeries {
  const key = `${seed}:${latestDate}`;
  const cached = factorCache.get(key);
  if (cached) return cached;
  const sessions = tradingSessionsBetween(SIMULATED_BASE_DATE, latestDate);
  const gauss = normalSource(mulberry32(mix32(seed ^ 0x9e3779b9)));
  const n = sessions.length;
  const k = STYLES.length;
  const market = new Float64Array(n);
  const styles = new Float64Array(n * k);
  // Session 0 is the base date (sums 0); each later session adds its day's returns.
  for (let i = 1; i < n; i++) {
    market[i] = market[i - 1]! + MARKET_DRIFT + MARKET_VOL * gauss();
    for (let f = 0; f < k; f++) {
      styles[i * k + f] = styles[(i - 1) * k + f]! + STYLES[f]!.ownVol * gauss();
    }
  }
  const series = { sessions, market, styles };
  factorCache.set(key, series);
  return series;
}

/** First index whose session is ≥ `date` (or > `date` when `after`). */
function lowerBound(sessions: readonly IsoDate[], date: IsoDate, after = false): number {
  let lo = 0;
  let hi = sessions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const s = sessions[mid]!;
    if (s < date || (after && s === date)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
