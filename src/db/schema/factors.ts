import {
  bigint,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, money, updatedAt } from './columns.ts';
import { portfolios } from './accounts.ts';

export const factorDefinitions = pgTable('factor_definitions', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull().unique('factor_definitions_name_key'),
  description: text('description'),
  factorType: text('factor_type').notNull(),
  calculationMethod: text('calculation_method').notNull(),
  etfProxy: text('etf_proxy'),
  displayOrder: integer('display_order').notNull(),
  isActive: boolean('is_active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const symbolFactorExposures = pgTable(
  'symbol_factor_exposures',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    symbol: text('symbol').notNull(),
    factorId: integer('factor_id')
      .notNull()
      .references(() => factorDefinitions.id),
    calculationDate: date('calculation_date').notNull(),
    beta: doublePrecision('beta').notNull(),
    rSquared: doublePrecision('r_squared'),
    stdError: doublePrecision('std_error'),
    observations: integer('observations').notNull(),
    calculationMethod: text('calculation_method').notNull(),
    regularizationAlpha: doublePrecision('regularization_alpha'),
    windowDays: integer('window_days').notNull(),
    /** e.g. `ok`, `clamped`, `low_r_squared` — why a consumer may want to discount a beta. */
    qualityFlag: text('quality_flag'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('symbol_factor_exposures_symbol_factor_date_key').on(
      t.symbol,
      t.factorId,
      t.calculationDate,
    ),
    // "Which symbols are known for date D" (onboarding classification) scans by date.
    index('symbol_factor_exposures_date_idx').on(t.calculationDate),
  ],
);

export const factorExposures = pgTable(
  'factor_exposures',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    portfolioId: uuid('portfolio_id')
      .notNull()
      .references(() => portfolios.id, { onDelete: 'cascade' }),
    factorId: integer('factor_id')
      .notNull()
      .references(() => factorDefinitions.id),
    calculationDate: date('calculation_date').notNull(),
    exposureValue: doublePrecision('exposure_value').notNull(),
    exposureDollar: money('exposure_dollar').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('factor_exposures_portfolio_factor_date_key').on(
      t.portfolioId,
      t.factorId,
      t.calculationDate,
    ),
  ],
);

export const positionFactorExposures = pgTable(
  'position_factor_exposures',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    // No foreign keys. To factor_definitions: the ids come from the seeded table, and the check
    // fired per row (13 per position per night) was a third of the nightly write cost. To
    // positions: its per-row check was a third of what was left (the refresh writes only ids it
    // has just read from positions); the cascade it carried is a trigger on positions instead
    // (migration 0005), which costs nothing until a position is deleted.
    positionId: uuid('position_id').notNull(),
    factorId: integer('factor_id').notNull(),
    calculationDate: date('calculation_date').notNull(),
    exposureValue: doublePrecision('exposure_value').notNull(),
    exposureDollar: money('exposure_dollar').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('position_factor_exposures_position_factor_date_key').on(
      t.positionId,
      t.factorId,
      t.calculationDate,
    ),
    // No date index: rows are read and replaced by position, and a second index on a table
    // that grows by positions × 13 rows a day doubled the nightly insert cost.
  ],
);
