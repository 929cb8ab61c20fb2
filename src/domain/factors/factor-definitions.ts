/**
 * The 13 factor definitions of SPEC §3.1 as data. The symbol batch seeds `factor_definitions`
 * from this list and the factor engine reads its regressors from it, so the table and the
 * regressions cannot drift apart.
 */

export type FactorCalculationMethod = 'ols' | 'ridge' | 'spread_ols' | 'provider';

export type FactorType = 'market' | 'interest_rate' | 'style' | 'spread';

export interface FactorDefinition {
  /** Unique; the contract with `factor_definitions.name` and every consumer of the exposures. */
  name: string;
  description: string;
  displayOrder: number;
  factorType: FactorType;
  calculationMethod: FactorCalculationMethod;
  /** The ETF (or `LONG-SHORT` pair) the factor stands for; null for the provider beta. */
  etfProxy: string | null;
  /**
   * Symbols whose daily returns must all exist on a date for it to count (the inner join).
   * ols: [x]; ridge: the 6 joint regressors in column order; spread_ols: [long, short], the
   * regressor being return(long) − return(short); provider: none.
   */
  regressors: readonly string[];
}

/** Trading-day returns in the OLS and ridge window, and the fewest that still give a result. */
export const OLS_WINDOW = 90;
export const OLS_MIN_OBSERVATIONS = 30;
/** Spreads are noisier (a difference of two returns), so they get a longer window. */
export const SPREAD_WINDOW = 180;
export const SPREAD_MIN_OBSERVATIONS = 60;
/** scikit-learn's `Ridge(alpha=1.0)` on standardised regressors. */
export const RIDGE_ALPHA = 1.0;
/** Any beta beyond ±5 is clamped and flagged: such values come from thin or broken data. */
export const BETA_CLAMP = 5;
/** The provider beta's nominal window (the "1Y" in its name) when the provider does not say. */
export const PROVIDER_BETA_WINDOW_DAYS = 252;

/** The joint ridge regressors, in column order = the order of factors 3–8. */
export const RIDGE_REGRESSORS = ['MTUM', 'VTV', 'VUG', 'IWM', 'QUAL', 'USMV'] as const;

const ridgeFactor = (
  name: string,
  displayOrder: number,
  etf: (typeof RIDGE_REGRESSORS)[number],
  description: string,
): FactorDefinition => ({
  name,
  description,
  displayOrder,
  factorType: 'style',
  calculationMethod: 'ridge',
  etfProxy: etf,
  regressors: RIDGE_REGRESSORS,
});

const spreadFactor = (
  name: string,
  displayOrder: number,
  long: string,
  short: string,
  description: string,
): FactorDefinition => ({
  name,
  description,
  displayOrder,
  factorType: 'spread',
  calculationMethod: 'spread_ols',
  etfProxy: `${long}-${short}`,
  regressors: [long, short],
});

export const FACTOR_DEFINITIONS: readonly FactorDefinition[] = Object.freeze([
  {
    name: 'Market Beta (90D)',
    description: 'OLS beta of daily returns on SPY over 90 trading days',
    displayOrder: 0,
    factorType: 'market',
    calculationMethod: 'ols',
    etfProxy: 'SPY',
    regressors: ['SPY'],
  },
  {
    name: 'Provider Beta (1Y)',
    description: "The market-data provider's published beta (company_profiles.beta)",
    displayOrder: 1,
    factorType: 'market',
    calculationMethod: 'provider',
    etfProxy: null,
    regressors: [],
  },
  {
    name: 'IR Beta',
    description: 'OLS beta of daily returns on TLT (long Treasuries) over 90 trading days',
    displayOrder: 2,
    factorType: 'interest_rate',
    calculationMethod: 'ols',
    etfProxy: 'TLT',
    regressors: ['TLT'],
  },
  ridgeFactor('Momentum', 3, 'MTUM', 'Joint ridge on the 6 style ETFs: MTUM coefficient'),
  ridgeFactor('Value', 4, 'VTV', 'Joint ridge on the 6 style ETFs: VTV coefficient'),
  ridgeFactor('Growth', 5, 'VUG', 'Joint ridge on the 6 style ETFs: VUG coefficient'),
  ridgeFactor('Size', 6, 'IWM', 'Joint ridge on the 6 style ETFs: IWM coefficient'),
  ridgeFactor('Quality', 7, 'QUAL', 'Joint ridge on the 6 style ETFs: QUAL coefficient'),
  ridgeFactor('Low Volatility', 8, 'USMV', 'Joint ridge on the 6 style ETFs: USMV coefficient'),
  spreadFactor('Growth-Value Spread', 9, 'VUG', 'VTV', 'OLS beta on VUG − VTV over 180 days'),
  spreadFactor('Momentum Spread', 10, 'MTUM', 'SPY', 'OLS beta on MTUM − SPY over 180 days'),
  spreadFactor('Size Spread', 11, 'IWM', 'SPY', 'OLS beta on IWM − SPY over 180 days'),
  spreadFactor('Quality Spread', 12, 'QUAL', 'SPY', 'OLS beta on QUAL − SPY over 180 days'),
]);

/** Every ETF any factor regresses on; the batch loads their prices even in a scoped run. */
export const FACTOR_ETFS: readonly string[] = Object.freeze([
  ...new Set(FACTOR_DEFINITIONS.flatMap((d) => d.regressors)),
]);

/** Window length and minimum observations of a regression-based factor. */
export function factorWindow(definition: FactorDefinition): { window: number; minimum: number } {
  return definition.calculationMethod === 'spread_ols'
    ? { window: SPREAD_WINDOW, minimum: SPREAD_MIN_OBSERVATIONS }
    : { window: OLS_WINDOW, minimum: OLS_MIN_OBSERVATIONS };
}
