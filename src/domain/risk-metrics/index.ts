export { computeRiskMetrics, RISK_METRICS_MIN_OBSERVATIONS } from './compute-risk-metrics.ts';
export type { RiskMetrics, RiskMetricsInput } from './compute-risk-metrics.ts';
export { maxDrawdown, returnIndex } from './max-drawdown.ts';
export type { MaxDrawdown } from './max-drawdown.ts';
