import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { createdAt, inList, updatedAt } from './columns.ts';
import { ASSET_TYPES, type AssetType } from './enums.ts';

/**
 * Daily bars per symbol. Closes are `numeric` without a fixed scale so a provider's adjusted
 * close (which can have many decimals for old, heavily split-adjusted prices) is kept exactly;
 * analytics read them as float8.
 */
export const marketDataCache = pgTable(
  'market_data_cache',
  {
    symbol: text('symbol').notNull(),
    date: date('date').notNull(),
    close: numeric('close').notNull(),
    open: numeric('open'),
    high: numeric('high'),
    low: numeric('low'),
    volume: bigint('volume', { mode: 'number' }),
    dataSource: text('data_source').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'market_data_cache_symbol_date_key', columns: [t.symbol, t.date] }),
    // Phase 3 and the refresh read one date window across many symbols.
    index('market_data_cache_date_idx').on(t.date),
    check('market_data_cache_close_check', sql`close > 0`),
  ],
);

export const companyProfiles = pgTable('company_profiles', {
  symbol: text('symbol').primaryKey(),
  name: text('name'),
  sector: text('sector'),
  industry: text('industry'),
  exchange: text('exchange'),
  country: text('country'),
  isEtf: boolean('is_etf').notNull().default(false),
  marketCap: numeric('market_cap', { precision: 24, scale: 2 }),
  peRatio: doublePrecision('pe_ratio'),
  forwardPe: doublePrecision('forward_pe'),
  dividendYield: doublePrecision('dividend_yield'),
  /** The "provider beta" (SPEC factor 1); its origin is recorded in beta_source. */
  beta: doublePrecision('beta'),
  betaSource: text('beta_source'),
  week52High: numeric('week_52_high'),
  week52Low: numeric('week_52_low'),
  nextEarningsDate: date('next_earnings_date'),
  dataSource: text('data_source').notNull(),
  updatedAt: updatedAt(),
});

export const symbolUniverse = pgTable(
  'symbol_universe',
  {
    symbol: text('symbol').primaryKey(),
    assetType: text('asset_type').$type<AssetType>().notNull().default('equity'),
    firstSeenDate: date('first_seen_date').notNull(),
    lastProcessedDate: date('last_processed_date'),
    isActive: boolean('is_active').notNull().default(true),
    lastError: text('last_error'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    /** Earliest date history was ever requested from: a young listing is not re-asked nightly. */
    historyRequestedFrom: date('history_requested_from'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('symbol_universe_active_idx').on(t.isActive),
    check('symbol_universe_asset_type_check', sql.raw(`asset_type IN (${inList(ASSET_TYPES)})`)),
  ],
);

/**
 * The 3-month Treasury bill quote per day, in percent (SPEC §5: the options' risk-free rate is
 * quote / 100; SPEC §7: the Sharpe and Sortino hurdle). Not a price: it can be zero or negative.
 */
export const treasuryBillRates = pgTable('treasury_bill_rates', {
  date: date('date').primaryKey(),
  ratePercent: doublePrecision('rate_percent').notNull(),
  dataSource: text('data_source').notNull(),
  updatedAt: updatedAt(),
});
