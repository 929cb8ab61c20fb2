import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, deletedAt, inList, money, price, quantity, updatedAt } from './columns.ts';
import {
  ACCOUNT_TYPES,
  CURRENCIES,
  EQUITY_CHANGE_TYPES,
  INVESTMENT_CLASSES,
  OPTION_TYPES,
  POSITION_TYPES,
  USER_ROLES,
  type AccountType,
  type EquityChangeType,
  type InvestmentClass,
  type OptionType,
  type PositionType,
  type UserRole,
} from './enums.ts';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    fullName: text('full_name'),
    role: text('role').$type<UserRole>().notNull().default('user'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Case-insensitive uniqueness: Alice@x.com and alice@x.com are one account.
    uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
    check('users_role_check', sql.raw(`role IN (${inList(USER_ROLES)})`)),
  ],
);

export const portfolios = pgTable(
  'portfolios',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    accountName: text('account_name').notNull(),
    accountType: text('account_type').$type<AccountType>().notNull(),
    currency: text('currency').notNull().default('USD'),
    equityBalance: money('equity_balance').notNull(),
    anchorDate: date('anchor_date'),
    /**
     * Set when a change to the book arrived while a calculation was already queued or running:
     * that calculation may have read the book before the change, so another follows it.
     */
    recalculationRequestedAt: timestamp('recalculation_requested_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    // Unique among live portfolios only: a soft-deleted account name may be used again.
    uniqueIndex('portfolios_user_account_name_key')
      .on(t.userId, t.accountName)
      .where(sql`deleted_at IS NULL`),
    index('portfolios_user_id_idx').on(t.userId),
    check('portfolios_account_type_check', sql.raw(`account_type IN (${inList(ACCOUNT_TYPES)})`)),
    check('portfolios_currency_check', sql.raw(`currency IN (${inList(CURRENCIES)})`)),
    check('portfolios_equity_balance_check', sql`equity_balance > 0`),
  ],
);

export const positions = pgTable(
  'positions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    portfolioId: uuid('portfolio_id')
      .notNull()
      .references(() => portfolios.id, { onDelete: 'cascade' }),
    symbol: text('symbol').notNull(),
    positionType: text('position_type').$type<PositionType>().notNull(),
    quantity: quantity('quantity').notNull(),
    entryPrice: price('entry_price').notNull(),
    entryDate: date('entry_date').notNull(),
    exitDate: date('exit_date'),
    exitPrice: price('exit_price'),
    investmentClass: text('investment_class').$type<InvestmentClass>().notNull().default('PUBLIC'),
    investmentSubtype: text('investment_subtype'),
    underlyingSymbol: text('underlying_symbol'),
    strikePrice: price('strike_price'),
    expirationDate: date('expiration_date'),
    optionType: text('option_type').$type<OptionType>(),
    lastPrice: price('last_price'),
    marketValue: money('market_value'),
    unrealizedPnl: money('unrealized_pnl'),
    /** The user's own note on the lot. */
    notes: text('notes'),
    /** The sold part of a partial close points at the lot it was split from. */
    splitFromPositionId: uuid('split_from_position_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    // ERR_POS_023: one open lot per (symbol, entry date) in a portfolio. Closed lots are not
    // constrained: a partial close leaves the sold part beside the open rest, same symbol and
    // entry date (uploads and additions still refuse a duplicate of any live lot).
    uniqueIndex('positions_portfolio_symbol_entry_open_key')
      .on(t.portfolioId, t.symbol, t.entryDate)
      .where(sql`deleted_at IS NULL AND exit_date IS NULL`),
    index('positions_portfolio_id_idx').on(t.portfolioId),
    index('positions_symbol_idx').on(t.symbol),
    index('positions_underlying_symbol_idx').on(t.underlyingSymbol),
    check('positions_position_type_check', sql.raw(`position_type IN (${inList(POSITION_TYPES)})`)),
    check(
      'positions_investment_class_check',
      sql.raw(`investment_class IN (${inList(INVESTMENT_CLASSES)})`),
    ),
    check(
      'positions_option_type_check',
      sql.raw(`option_type IS NULL OR option_type IN (${inList(OPTION_TYPES)})`),
    ),
    check('positions_entry_price_check', sql`entry_price > 0`),
    check('positions_quantity_check', sql`quantity <> 0`),
    check('positions_exit_after_entry_check', sql`exit_date IS NULL OR exit_date >= entry_date`),
  ],
);

export const equityChanges = pgTable(
  'equity_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    portfolioId: uuid('portfolio_id')
      .notNull()
      .references(() => portfolios.id, { onDelete: 'cascade' }),
    changeType: text('change_type').$type<EquityChangeType>().notNull(),
    amount: money('amount').notNull(),
    changeDate: date('change_date').notNull(),
    note: text('note'),
    createdAt: createdAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    index('equity_changes_portfolio_date_idx').on(t.portfolioId, t.changeDate),
    check(
      'equity_changes_change_type_check',
      sql.raw(`change_type IN (${inList(EQUITY_CHANGE_TYPES)})`),
    ),
    check('equity_changes_amount_check', sql`amount > 0`),
  ],
);

/**
 * Login sessions. Only a SHA-256 of the bearer token is stored, so a database dump holds no
 * usable credentials; a row per session lets any instance check a token and lets logout
 * revoke it (a stateless signed token could not be revoked and would need a shared secret).
 */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('auth_sessions_token_hash_key').on(t.tokenHash),
    index('auth_sessions_user_id_idx').on(t.userId),
  ],
);

/**
 * Failed-login counters (keys `account:<e-mail>`, `address:<ip>`, `device:<hash>`): a fixed
 * window per key that starts at its first failure. In the database, so every process of a
 * deployment counts the same failures and a restart forgets none.
 */
export const loginThrottle = pgTable(
  'login_throttle',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('login_throttle_window_started_idx').on(t.windowStartedAt)],
);

/**
 * Browsers a user has logged in from (a device cookie; its hash here). A login from a known
 * browser is exempt from the account and address limits other people's failures raise.
 */
export const loginDevices = pgTable(
  'login_devices',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('login_devices_user_id_idx').on(t.userId)],
);

/**
 * The audit trail of a portfolio (API.md: GET /portfolios/{id}/activity): every change to its
 * positions and equity changes, who made it, when, and the entity before and after.
 * Calculations are not copied here; the trail reads them from `batch_runs`.
 */
export const portfolioActivity = pgTable(
  'portfolio_activity',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    portfolioId: uuid('portfolio_id')
      .notNull()
      .references(() => portfolios.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: uuid('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    createdAt: createdAt(),
  },
  (t) => [index('portfolio_activity_portfolio_created_idx').on(t.portfolioId, t.createdAt)],
);
