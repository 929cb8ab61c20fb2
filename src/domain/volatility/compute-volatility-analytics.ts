import {
  annualiseVariance,
  fitHar,
  forecastHarVariance,
  HAR_HORIZON,
  HAR_MIN_OBSERVATIONS,
  type HarFit,
} from './har-model.ts';
import {
  assertFinite,
  realizedVolatility,
  rollingRealizedVolatility,
} from './realized-volatility.ts';
import {
  TREND_BAND,
  volatilityPercentile,
  volatilityTrend,
  type VolatilityTrend,
} from './volatility-trend.ts';

export interface VolatilityOptions {
  /** HAR regression rows required before the model is trusted (default 100). */
  harMinObservations?: number;
  /** Relative band of the trend rule (default 0.10). */
  trendBand?: number;
}

export type ForecastMethod = 'har' | 'realized_63d_fallback';

/** All volatilities annualised decimals: 0.28 = 28 %. */
export interface VolatilityAnalytics {
  /** Daily returns the figures are computed from. */
  observations: number;
  realizedVolatility21d: number | null;
  realizedVolatility63d: number | null;
  /** Forecast of the annualised volatility over the next 21 trading days. */
  expectedVolatility21d: number | null;
  /** How expectedVolatility21d was obtained; null when it is null. */
  forecastMethod: ForecastMethod | null;
  /** The fitted model when the forecast came from it. */
  har: HarFit | null;
  volatilityTrend: VolatilityTrend | null;
  volatilityPercentile: number | null;
  /** Rolling 21-day windows behind the percentile. */
  percentileWindows: number;
}

/**
 * SPEC §7 volatility for one daily return series, oldest first (the portfolio's daily_return
 * history, or one symbol's returns for the position level).
 *
 * The HAR forecast needs `harMinObservations` regression rows (so 122 returns by default) and a
 * forecast variance > 0; failing either, the expectation falls back to the 63-day realized
 * volatility (the best plain estimate of the coming month), and `forecastMethod` says so.
 */
export function computeVolatilityAnalytics(
  returns: Float64Array,
  options: VolatilityOptions = {},
): VolatilityAnalytics {
  assertFinite(returns);
  const realized21d = realizedVolatility(returns, 21);
  const realized63d = realizedVolatility(returns, 63);

  const har = fitHar(returns, options.harMinObservations ?? HAR_MIN_OBSERVATIONS);
  let expected: number | null = null;
  let method: ForecastMethod | null = null;
  if (har !== null) {
    expected = annualiseVariance(forecastHarVariance(har, returns, HAR_HORIZON));
    if (expected !== null) method = 'har';
  }
  if (expected === null && realized63d !== null) {
    expected = realized63d;
    method = 'realized_63d_fallback';
  }

  const rolling = rollingRealizedVolatility(returns, 21);
  return {
    observations: returns.length,
    realizedVolatility21d: realized21d,
    realizedVolatility63d: realized63d,
    expectedVolatility21d: expected,
    forecastMethod: method,
    har: method === 'har' ? har : null,
    volatilityTrend: volatilityTrend(realized21d, realized63d, options.trendBand ?? TREND_BAND),
    volatilityPercentile: volatilityPercentile(rolling),
    percentileWindows: rolling.length,
  };
}
