/**
 * The eight stress factors of SPEC §6 and the daily series that stand for them.
 *
 * Market is the SPY return. The six style factors are their ETF's return **minus SPY's**: a
 * style shock says how much the style beats or trails the market, whatever the market does, so
 * a market-only scenario moves every equity factor ETF by the same market move. Rates is the TLT
 * return; scenarios state it as a change in yield Δy, which becomes −D·Δy of TLT.
 */
export const STRESS_FACTORS = [
  'Market',
  'Value',
  'Growth',
  'Momentum',
  'Quality',
  'Size',
  'Low Volatility',
  'Rates',
] as const;

export type StressFactor = (typeof STRESS_FACTORS)[number];

export const MARKET_FACTOR_INDEX = 0;
export const RATES_FACTOR_INDEX = STRESS_FACTORS.indexOf('Rates');

/** The ETF behind each factor (SPEC §6). */
export const STRESS_FACTOR_ETFS: Readonly<Record<StressFactor, string>> = {
  Market: 'SPY',
  Value: 'VTV',
  Growth: 'VUG',
  Momentum: 'MTUM',
  Quality: 'QUAL',
  Size: 'IWM',
  'Low Volatility': 'USMV',
  Rates: 'TLT',
};

export const MARKET_ETF = STRESS_FACTOR_ETFS.Market;

/** True for the six style factors, whose series is relative to the market. */
export function isStyleFactor(factor: StressFactor): boolean {
  return factor !== 'Market' && factor !== 'Rates';
}

/** The series in words, e.g. `VTV − SPY` for Value. */
export function factorSeriesLabel(factor: StressFactor): string {
  const etf = STRESS_FACTOR_ETFS[factor];
  return isStyleFactor(factor) ? `${etf} − ${MARKET_ETF}` : etf;
}

/** Modified duration of TLT (20+ year Treasuries): a yield change Δy moves it by −D·Δy. */
export const DEFAULT_TLT_DURATION = 17.5;

export function checkDuration(duration: number): void {
  if (!(duration > 0) || !Number.isFinite(duration)) {
    throw new RangeError(`TLT duration must be a positive number, got ${duration}`);
  }
}

/** A yield change Δy as a TLT return: −D·Δy (first-order duration approximation). */
export function yieldChangeToTltReturn(
  yieldChange: number,
  duration: number = DEFAULT_TLT_DURATION,
): number {
  checkDuration(duration);
  return -duration * yieldChange;
}

/** The yield change a TLT return implies: −return / D. */
export function tltReturnToYieldChange(
  tltReturn: number,
  duration: number = DEFAULT_TLT_DURATION,
): number {
  checkDuration(duration);
  return -tltReturn / duration;
}

/**
 * Factor series values from the eight ETF values (returns over a day or over a window), both in
 * STRESS_FACTORS order: the style factors become ETF − SPY. NaN where an input is NaN.
 */
export function factorValuesFromEtfValues(etfValues: ArrayLike<number>): Float64Array {
  const market = etfValues[MARKET_FACTOR_INDEX] as number;
  return Float64Array.from(STRESS_FACTORS, (factor, f) => {
    const own = etfValues[f] as number;
    return isStyleFactor(factor) ? own - market : own;
  });
}
