export {
  BETA_CLAMP,
  FACTOR_DEFINITIONS,
  FACTOR_ETFS,
  OLS_MIN_OBSERVATIONS,
  OLS_WINDOW,
  PROVIDER_BETA_WINDOW_DAYS,
  RIDGE_ALPHA,
  RIDGE_REGRESSORS,
  SPREAD_MIN_OBSERVATIONS,
  SPREAD_WINDOW,
  factorWindow,
} from './factor-definitions.ts';
export type {
  FactorCalculationMethod,
  FactorDefinition,
  FactorType,
} from './factor-definitions.ts';
export { computeSymbolFactors, computeSymbolFactorsForDates } from './compute-symbol-factors.ts';
export type {
  ComputeSymbolFactorsForDatesInput,
  ComputeSymbolFactorsInput,
  ProviderBeta,
} from './compute-symbol-factors.ts';
export type {
  FactorError,
  FactorQualityFlag,
  FactorResult,
  InsufficientHistory,
  SymbolFactorsOutput,
} from './factor-result.ts';
export { MONTHLY_BETA_MIN_OBSERVATIONS, monthlyBetaVsBenchmark } from './provider-beta.ts';
export { createOlsBatchOutput, olsBatch, prepareOls } from './ols-batch.ts';
export type { OlsBatchOutput, OlsSetup } from './ols-batch.ts';
export { createRidgeBatchOutput, prepareRidge, ridgeBatch } from './ridge-batch.ts';
export type { RidgeBatchOutput, RidgeSetup } from './ridge-batch.ts';
