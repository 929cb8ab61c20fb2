export { computeVolatilityAnalytics } from './compute-volatility-analytics.ts';
export { computePositionVolatility } from './position-volatility.ts';
export type {
  ForecastMethod,
  VolatilityAnalytics,
  VolatilityOptions,
} from './compute-volatility-analytics.ts';
export {
  annualiseVariance,
  fitHar,
  forecastHarVariance,
  HAR_HORIZON,
  HAR_MIN_OBSERVATIONS,
  HAR_MONTH,
  HAR_WEEK,
  squaredReturns,
} from './har-model.ts';
export type { HarFit } from './har-model.ts';
export { leastSquares } from './least-squares.ts';
export {
  realizedVolatility,
  rollingRealizedVolatility,
  sampleStd,
  TRADING_DAYS_PER_YEAR,
} from './realized-volatility.ts';
export { symbolDailyReturns } from './symbol-returns.ts';
export { TREND_BAND, volatilityPercentile, volatilityTrend } from './volatility-trend.ts';
export type { VolatilityTrend } from './volatility-trend.ts';
