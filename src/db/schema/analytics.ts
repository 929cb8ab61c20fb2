import {
  bigint,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, money, updatedAt } from './columns.ts';
import { portfolios, users } from './accounts.ts';

export const portfolioSnapshots = pgTable(
  'portfolio_snapshots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    portfolioId: uuid('portfolio_id')
      .notNull()
      .references(() => portfolios.id, { onDelete: 'cascade' }),
    snapshotDate: date('snapshot_date').notNull(),
    /** Equity (NAV) at the close of snapshot_date. */
    netAssetValue: money('net_asset_value').notNull(),
    cashValue: money('cash_value').notNull(),
    longValue: money('long_value').notNull(),
    /** Negative (or zero): the signed value of short positions. */
    shortValue: money('short_value').notNull(),
    grossExposure: money('gross_exposure').notNull(),
    netExposure: money('net_exposure').notNull(),
    dailyPnl: money('daily_pnl').notNull(),
    dailyReturn: doublePrecision('daily_return').notNull(),
    cumulativePnl: money('cumulative_pnl').notNull(),
    dailyRealizedPnl: money('daily_realized_pnl').notNull().default('0'),
    dailyCapitalFlow: money('daily_capital_flow').notNull().default('0'),
    numPositions: integer('num_positions').notNull().default(0),
    numLongPositions: integer('num_long_positions').notNull().default(0),
    numShortPositions: integer('num_short_positions').notNull().default(0),
    numOptionPositions: integer('num_option_positions').notNull().default(0),
    numPrivatePositions: integer('num_private_positions').notNull().default(0),
    portfolioDelta: doublePrecision('portfolio_delta'),
    portfolioGamma: doublePrecision('portfolio_gamma'),
    portfolioTheta: doublePrecision('portfolio_theta'),
    portfolioVega: doublePrecision('portfolio_vega'),
    realizedVolatility21d: doublePrecision('realized_volatility_21d'),
    realizedVolatility63d: doublePrecision('realized_volatility_63d'),
    expectedVolatility21d: doublePrecision('expected_volatility_21d'),
    volatilityTrend: text('volatility_trend'),
    volatilityPercentile: doublePrecision('volatility_percentile'),
    betaCalculated90d: doublePrecision('beta_calculated_90d'),
    betaProvider1y: doublePrecision('beta_provider_1y'),
    hhi: doublePrecision('hhi'),
    effectiveNumPositions: doublePrecision('effective_num_positions'),
    top3Concentration: doublePrecision('top_3_concentration'),
    top10Concentration: doublePrecision('top_10_concentration'),
    sectorExposure: jsonb('sector_exposure'),
    /** Positions carried at a stale price or missing one, with the reason (SPEC §4). */
    dataIssues: jsonb('data_issues').notNull().default([]),
    isComplete: boolean('is_complete').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('portfolio_snapshots_portfolio_date_key').on(t.portfolioId, t.snapshotDate),
    index('portfolio_snapshots_date_idx').on(t.snapshotDate),
  ],
);

export const stressTestScenarios = pgTable('stress_test_scenarios', {
  scenarioId: text('scenario_id').primaryKey(),
  name: text('name').notNull(),
  description: text('description'),
  category: text('category').notNull(),
  severity: text('severity').notNull(),
  /**
   * `{ "Market": -0.10, "Value": 0.1, "Rates": 0.01, … }`: factor → series move (style factors
   * relative to the market) or, for Rates, yield change (decimal). `{}` for a replay.
   */
  shocks: jsonb('shocks').notNull(),
  /** Replays: the window whose realized moves are the shocks (SPEC §6). */
  windowStart: date('window_start'),
  windowEnd: date('window_end'),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const stressTestResults = pgTable(
  'stress_test_results',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    portfolioId: uuid('portfolio_id')
      .notNull()
      .references(() => portfolios.id, { onDelete: 'cascade' }),
    scenarioId: text('scenario_id')
      .notNull()
      .references(() => stressTestScenarios.scenarioId),
    calculationDate: date('calculation_date').notNull(),
    portfolioValue: money('portfolio_value').notNull(),
    directPnl: money('direct_pnl').notNull(),
    correlatedPnl: money('correlated_pnl').notNull(),
    correlationEffect: money('correlation_effect').notNull(),
    // json, not jsonb: written whole every night (22 a portfolio, ~4 kB each), read whole, never
    // queried inside; building jsonb cost a third of the stress write on PGlite. Storage is
    // EXTERNAL (migration 0005, not expressible here): compression rarely succeeded on them and
    // every attempt was paid.
    factorImpacts: json('factor_impacts').notNull(),
    positionImpacts: json('position_impacts').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('stress_test_results_portfolio_scenario_date_key').on(
      t.portfolioId,
      t.scenarioId,
      t.calculationDate,
    ),
  ],
);

/**
 * The stress model a portfolio's latest stress results were computed with (SPEC §6): Σ, the
 * window, and each position's betas, exposure and option terms, as one document. It answers
 * `include=model` and evaluates a user's own scenarios later with exactly the model the built-in
 * ones used. One row per portfolio: only the latest is ever read.
 */
export const portfolioStressModels = pgTable('portfolio_stress_models', {
  portfolioId: uuid('portfolio_id')
    .primaryKey()
    .references(() => portfolios.id, { onDelete: 'cascade' }),
  calculationDate: date('calculation_date').notNull(),
  model: json('model').notNull(),
  updatedAt: updatedAt(),
});

/** A user's own stress scenario: factor shocks, or a window of history (SPEC §6). */
export const customStressScenarios = pgTable(
  'custom_stress_scenarios',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    /** As the user gave them (Rates as a yield change); null for a window. */
    shocks: jsonb('shocks').$type<Record<string, number>>(),
    windowStart: date('window_start'),
    windowEnd: date('window_end'),
    /** The factor-series moves the shocks or the window resolve to: `[{factor, value}]`. */
    moves: jsonb('moves').$type<{ factor: string; value: number }[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('custom_stress_scenarios_user_idx').on(t.userId)],
);

export const correlationCalculations = pgTable(
  'correlation_calculations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    portfolioId: uuid('portfolio_id')
      .notNull()
      .references(() => portfolios.id, { onDelete: 'cascade' }),
    calculationDate: date('calculation_date').notNull(),
    lookbackDays: integer('lookback_days').notNull(),
    minOverlap: integer('min_overlap').notNull(),
    overallCorrelation: doublePrecision('overall_correlation'),
    effectivePositions: doublePrecision('effective_positions'),
    dataQuality: text('data_quality').notNull(),
    positionsIncluded: integer('positions_included').notNull(),
    positionsExcluded: integer('positions_excluded').notNull(),
    /** `{ included: [symbol…], excluded: [{symbol, reason}…] }` */
    positionDetails: jsonb('position_details').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('correlation_calculations_portfolio_lookback_date_key').on(
      t.portfolioId,
      t.lookbackDays,
      t.calculationDate,
    ),
  ],
);

export const pairwiseCorrelations = pgTable(
  'pairwise_correlations',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    // No foreign key: its per-row check was a third of this table's insert cost (435 rows a
    // night per 30-position portfolio, all for a calculation inserted just before). The cascade
    // it carried is a trigger on correlation_calculations (migration 0005).
    correlationCalculationId: uuid('correlation_calculation_id').notNull(),
    symbol1: text('symbol_1').notNull(),
    symbol2: text('symbol_2').notNull(),
    correlation: doublePrecision('correlation').notNull(),
    dataPoints: integer('data_points').notNull(),
  },
  (t) => [
    uniqueIndex('pairwise_correlations_calc_pair_key').on(
      t.correlationCalculationId,
      t.symbol1,
      t.symbol2,
    ),
  ],
);
