import { z } from 'zod';

/**
 * The response shapes of the analytics endpoints (API.md "Risk analytics" and the aggregate
 * view). The services return `z.infer` of these, and the routes document them, so the OpenAPI
 * document and the code cannot drift apart. Every response carries `available`, `reason` (null
 * when available) and `calculation_date`; when unavailable the rest of the shape is still there
 * with nulls, empty arrays or empty objects.
 */

const maybe = z.number().nullable();
const date = z.string().describe('YYYY-MM-DD');

const reason = z
  .string()
  .nullable()
  .describe(
    'Why `available` is false: no_calculation_available, insufficient_data, no_portfolios; null when available',
  );

export const portfolioEnvelope = {
  available: z.boolean(),
  reason,
  portfolio_id: z.string(),
  calculation_date: date.nullable(),
};

export const aggregatePortfolioEntry = z.object({
  portfolio_id: z.string(),
  name: z.string(),
  /** The date of this portfolio's figures that went into the aggregate; null when left out. */
  calculation_date: date.nullable(),
  net_asset_value: maybe,
  /** Share of the included NAV (0–1); null when left out. */
  weight: maybe,
  included: z.boolean(),
});

export const aggregateEnvelope = {
  available: z.boolean(),
  reason,
  /** The most recent of the included portfolios' dates. */
  calculation_date: date.nullable(),
  portfolio_count: z.number().int(),
  portfolios: z.array(aggregatePortfolioEntry),
};

// Overview ------------------------------------------------------------------------------------

const overviewBody = {
  equity_balance: maybe,
  net_asset_value: maybe,
  total_value: maybe,
  cash_balance: maybe,
  leverage: maybe,
  exposures: z.object({
    long_exposure: maybe,
    short_exposure: maybe,
    gross_exposure: maybe,
    net_exposure: maybe,
    long_percentage: maybe,
    short_percentage: maybe,
    gross_percentage: maybe,
    net_percentage: maybe,
  }),
  pnl: z.object({
    total_pnl: maybe,
    unrealized_pnl: maybe,
    realized_pnl: maybe,
    ytd_pnl: maybe,
    mtd_pnl: maybe,
    daily_pnl: maybe,
  }),
  position_count: z.object({
    total_positions: z.number().int(),
    long_count: z.number().int(),
    short_count: z.number().int(),
    option_count: z.number().int(),
    private_count: z.number().int(),
  }),
  as_of: date.nullable(),
  last_updated: z.string().nullable().describe('ISO-8601 UTC'),
};
export type OverviewBody = z.infer<z.ZodObject<typeof overviewBody>>;

export const portfolioOverviewSchema = z.object({ ...portfolioEnvelope, ...overviewBody });
export const aggregateOverviewSchema = z.object({ ...aggregateEnvelope, ...overviewBody });

// Factors -------------------------------------------------------------------------------------

export const factorExposureSchema = z.object({
  name: z.string(),
  beta: maybe,
  exposure_dollar: maybe,
});

export const portfolioFactorExposuresSchema = z.object({
  ...portfolioEnvelope,
  factors: z.array(factorExposureSchema),
});

export const aggregateFactorExposuresSchema = z.object({
  ...aggregateEnvelope,
  factors: z.array(
    z.object({
      name: z.string(),
      aggregate_beta: maybe,
      aggregate_exposure_dollar: z.number(),
      /** Portfolios that have this factor (a portfolio without it is left out, not counted as 0). */
      portfolio_count: z.number().int(),
    }),
  ),
});

export const positionFactorExposuresSchema = z.object({
  ...portfolioEnvelope,
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  positions: z.array(
    z.object({
      position_id: z.string(),
      symbol: z.string(),
      /** Factor name → beta, every factor in display order (null when the position has none). */
      exposures: z.record(z.string(), maybe),
    }),
  ),
});

export const spreadFactorsSchema = z.object({
  ...portfolioEnvelope,
  factors: z.array(
    z.object({
      name: z.string(),
      beta: maybe,
      exposure_dollar: maybe,
      direction: z.string().nullable(),
      magnitude: z.enum(['negligible', 'weak', 'moderate', 'strong']).nullable(),
      explanation: z.string(),
    }),
  ),
});

export const betaComparisonSchema = z.object({
  ...portfolioEnvelope,
  positions: z.array(
    z.object({
      symbol: z.string(),
      position_id: z.string(),
      /** The symbol whose betas are shown: the position's own, or an option's underlying. */
      beta_symbol: z.string(),
      market_beta: maybe.describe('Provider beta (1Y)'),
      calculated_beta: maybe.describe('Market Beta (90D): OLS on SPY'),
      beta_r_squared: maybe,
      beta_difference: maybe.describe('calculated_beta − market_beta'),
      observations: z.number().int().nullable(),
    }),
  ),
});

// Stress --------------------------------------------------------------------------------------

export const stressFactorImpactSchema = z.object({
  factor: z.string(),
  etf: z.string().nullable(),
  series: z
    .string()
    .nullable()
    .describe('The factor series: Market = SPY; a style = its ETF − SPY; Rates = TLT'),
  shocked: z.boolean().describe('True when the scenario shocks this factor itself'),
  move_direct: maybe.describe('Move of the factor series in the direct result (decimal)'),
  move_correlated: maybe.describe(
    'Move of the factor series in the correlated result: the shock, or E[f | shocks]',
  ),
  yield_change_direct: maybe.describe('Rates only: the implied yield change −move / duration'),
  yield_change_correlated: maybe.describe('Rates only: the implied yield change −move / duration'),
  pnl_direct: z.number(),
  pnl_correlated: z.number(),
});

export const stressPositionImpactSchema = z.object({
  position_id: z.string(),
  symbol: z.string(),
  pnl_direct: z.number(),
  pnl_correlated: z.number(),
  return_direct: maybe,
  return_correlated: maybe,
  portfolio_id: z.string().optional().describe('Aggregate only'),
});

const stressWindowSchema = z.object({ start: date, end: date });

export const stressScenarioSchema = z.object({
  id: z.string().describe("A SPEC §6 id, or the UUID of the user's own scenario"),
  name: z.string(),
  description: z.string().nullable(),
  category: z.string().describe('market, rates, style, volatility, historical or custom'),
  severity: z.string().describe('mild, moderate, severe or extreme'),
  custom: z.boolean().describe("True for the user's own scenarios"),
  window: stressWindowSchema
    .nullable()
    .describe('Replays: the window whose realized factor moves are the shocks'),
  shocked_factors: z.array(z.string()).describe('The factors the scenario shocks itself'),
  impact: z.object({
    dollar_impact: z.number(),
    percentage_impact: maybe.describe('percentage points of NAV'),
    new_portfolio_value: maybe,
  }),
  direct_pnl: z.number(),
  correlated_pnl: z.number(),
  correlation_effect: z.number(),
  factor_impacts: z.array(stressFactorImpactSchema),
  position_impacts: z.array(stressPositionImpactSchema),
});

export const stressModelSchema = z
  .object({
    as_of: date,
    price_date: date.describe('The session the 252-return window ends at'),
    window: stressWindowSchema.describe('First and last day of the returns behind betas and Σ'),
    observations: z.number().int(),
    ridge_alpha: z.number(),
    tlt_duration: z.number().describe('D in TLT return = −D·Δy'),
    factors: z.array(z.object({ name: z.string(), series: z.string(), etf: z.string() })),
    covariance: z
      .array(z.array(z.number()))
      .describe('Σ: sample covariance (ddof 1) of the daily factor series, factors order'),
    positions: z.array(
      z.object({
        position_id: z.string(),
        symbol: z.string(),
        beta_symbol: z
          .string()
          .describe("The symbol whose betas are used (an option's underlying)"),
        kind: z.enum(['equity', 'option']),
        market_value: z.number(),
        exposure: z.number().describe('Dollar exposure: market value, or delta × units × spot'),
        betas: z.record(z.string(), z.number()),
        option: z
          .object({
            option_type: z.enum(['CALL', 'PUT']),
            strike: z.number(),
            years_to_expiry: z.number(),
            rate: z.number(),
            volatility: z.number(),
            underlying_price: z.number(),
            model_value: z.number(),
            units: z.number(),
          })
          .nullable(),
      }),
    ),
  })
  .describe('The stress model itself (include=model): enough to recompute every number');

const stressData = z.object({
  portfolio_value: maybe,
  calculation_date: date.nullable(),
  scenarios: z.array(stressScenarioSchema),
  excluded_positions: z.array(
    z.object({ position_id: z.string(), symbol: z.string(), reason: z.string() }),
  ),
  unavailable_scenarios: z
    .array(z.object({ id: z.string(), name: z.string(), reason: z.string() }))
    .describe('Built-in replays not evaluated: no stored closes over their window'),
  model: stressModelSchema.nullable().optional(),
});

export const portfolioStressSchema = z.object({ ...portfolioEnvelope, data: stressData });
export const aggregateStressSchema = z.object({ ...aggregateEnvelope, data: stressData });

// Correlation ---------------------------------------------------------------------------------

const correlationData = z.object({
  matrix: z.record(z.string(), z.record(z.string(), maybe)),
  /** Mean |r| over the off-diagonal pairs shown; a number whenever available. */
  average_correlation: maybe,
  effective_positions: maybe,
  data_quality: z.string().nullable(),
  /** The matrix's symbols, largest |value| first. */
  symbols: z.array(z.string()),
});

const correlationMetadata = z.object({
  lookback_days: z.number().int(),
  min_overlap: z.number().int(),
  max_symbols: z.number().int(),
  positions_included: z.number().int(),
  positions_excluded: z.number().int(),
  excluded: z.array(z.object({ symbol: z.string(), reason: z.string() })),
  source: z.enum(['stored', 'computed']).nullable(),
  window_start: date.nullable(),
  window_end: date.nullable(),
});

export const portfolioCorrelationSchema = z.object({
  ...portfolioEnvelope,
  data: correlationData,
  metadata: correlationMetadata,
});
export const aggregateCorrelationSchema = z.object({
  ...aggregateEnvelope,
  data: correlationData,
  metadata: correlationMetadata,
});

// Volatility, sectors, concentration, risk metrics --------------------------------------------

const volatilityData = z.object({
  realized_volatility_21d: maybe,
  realized_volatility_63d: maybe,
  expected_volatility_21d: maybe,
  volatility_trend: z.string().nullable(),
  volatility_percentile: maybe,
});
export const portfolioVolatilitySchema = z.object({ ...portfolioEnvelope, data: volatilityData });
export const aggregateVolatilitySchema = z.object({
  ...aggregateEnvelope,
  data: volatilityData.extend({ observations: z.number().int() }),
});

const sectorDifference = z.object({ sector: z.string(), difference_pp: z.number() }).nullable();
const sectorData = z.object({
  /** Net sector value / NAV, decimals. */
  portfolio_weights: z.record(z.string(), z.number()),
  benchmark_weights: z.record(z.string(), z.number()),
  /** Portfolio − benchmark weight, percentage points. */
  over_underweight: z.record(z.string(), z.number()),
  largest_overweight: sectorDifference,
  largest_underweight: sectorDifference,
  unclassified_value: maybe,
});
const sectorMetadata = z.object({
  benchmark: z.literal('SP500'),
  benchmark_as_of: date,
  weights_unit: z.literal('decimal'),
  over_underweight_unit: z.literal('percentage_points'),
});
export const portfolioSectorSchema = z.object({
  ...portfolioEnvelope,
  data: sectorData,
  metadata: sectorMetadata,
});
export const aggregateSectorSchema = z.object({
  ...aggregateEnvelope,
  data: sectorData,
  metadata: sectorMetadata,
});

const concentrationData = z.object({
  hhi: maybe.describe('Σ w² × 10,000, weights by gross exposure'),
  effective_num_positions: maybe,
  top_3_concentration: maybe,
  top_10_concentration: maybe,
  top_positions: z.array(
    z.object({ symbol: z.string(), weight: z.number(), market_value: z.number().nullable() }),
  ),
});
export const portfolioConcentrationSchema = z.object({
  ...portfolioEnvelope,
  data: concentrationData,
});
export const aggregateConcentrationSchema = z.object({
  ...aggregateEnvelope,
  data: concentrationData,
});

export const riskMetricsSchema = z.object({
  ...portfolioEnvelope,
  data: z.object({
    annualized_volatility: maybe,
    max_drawdown: maybe.describe('negative decimal'),
    sharpe_ratio: maybe,
    sortino_ratio: maybe,
    observations: z.number().int(),
    risk_free_rate: z
      .number()
      .describe('Average annual risk-free rate over the window (decimal): the 3-month bill'),
    risk_free_rate_source: z
      .enum(['treasury_bill_3m', 'default', 'mixed'])
      .describe('Bill quotes every day, the 4% default every day, or some of each'),
    period_start: date.nullable(),
    period_end: date.nullable(),
  }),
});

export type PortfolioEnvelope = {
  available: boolean;
  reason: string | null;
  portfolio_id: string;
  calculation_date: string | null;
};
export type PortfolioOverview = z.infer<typeof portfolioOverviewSchema>;
export type AggregateOverview = z.infer<typeof aggregateOverviewSchema>;
export type PortfolioFactorExposures = z.infer<typeof portfolioFactorExposuresSchema>;
export type AggregateFactorExposures = z.infer<typeof aggregateFactorExposuresSchema>;
export type PositionFactorExposures = z.infer<typeof positionFactorExposuresSchema>;
export type SpreadFactors = z.infer<typeof spreadFactorsSchema>;
export type BetaComparison = z.infer<typeof betaComparisonSchema>;
export type StressScenarioResult = z.infer<typeof stressScenarioSchema>;
export type StressFactorImpact = z.infer<typeof stressFactorImpactSchema>;
export type StressPositionImpact = z.infer<typeof stressPositionImpactSchema>;
export type StressModel = z.infer<typeof stressModelSchema>;
export type PortfolioStress = z.infer<typeof portfolioStressSchema>;
export type AggregateStress = z.infer<typeof aggregateStressSchema>;
export type CorrelationData = z.infer<typeof correlationData>;
export type CorrelationMetadata = z.infer<typeof correlationMetadata>;
export type PortfolioCorrelation = z.infer<typeof portfolioCorrelationSchema>;
export type AggregateCorrelation = z.infer<typeof aggregateCorrelationSchema>;
export type VolatilityData = z.infer<typeof volatilityData>;
export type PortfolioVolatility = z.infer<typeof portfolioVolatilitySchema>;
export type AggregateVolatility = z.infer<typeof aggregateVolatilitySchema>;
export type SectorData = z.infer<typeof sectorData>;
export type SectorMetadata = z.infer<typeof sectorMetadata>;
export type PortfolioSector = z.infer<typeof portfolioSectorSchema>;
export type AggregateSector = z.infer<typeof aggregateSectorSchema>;
export type ConcentrationData = z.infer<typeof concentrationData>;
export type PortfolioConcentration = z.infer<typeof portfolioConcentrationSchema>;
export type AggregateConcentration = z.infer<typeof aggregateConcentrationSchema>;
export type RiskMetricsResponse = z.infer<typeof riskMetricsSchema>;
export type AggregatePortfolioEntry = z.infer<typeof aggregatePortfolioEntry>;
