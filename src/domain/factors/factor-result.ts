import type { FactorCalculationMethod } from './factor-definitions.ts';

/** One stored row of `symbol_factor_exposures` (without its date and factor id). */
export interface FactorResult {
  symbol: string;
  factorName: string;
  /** Clamped to ±BETA_CLAMP; `qualityFlag` says when it was. */
  beta: number;
  rSquared: number | null;
  /** Standard error of the OLS slope; null for ridge (no closed form) and provider betas. */
  stdError: number | null;
  observations: number;
  calculationMethod: FactorCalculationMethod;
  regularizationAlpha: number | null;
  windowDays: number;
  qualityFlag: FactorQualityFlag;
}

/** 'clamped': the fitted beta was beyond ±5 and the stored one is the bound. */
export type FactorQualityFlag = 'ok' | 'clamped';

/** Too few observations in the window: no row is written, and the symbol is reported. */
export interface InsufficientHistory {
  symbol: string;
  factor: string;
  observations: number;
  required: number;
}

/** The regression ran but its result is not a number (e.g. a constant regressor). */
export interface FactorError {
  symbol: string;
  factor: string;
  reason: string;
}

export interface SymbolFactorsOutput {
  /** Per symbol (in input order, duplicates dropped), factors in display order. */
  results: FactorResult[];
  insufficient: InsufficientHistory[];
  errors: FactorError[];
}
