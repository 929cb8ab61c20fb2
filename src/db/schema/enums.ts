/**
 * Value sets of the data model. Stored as text with CHECK constraints rather than PostgreSQL
 * enums: adding a value is then a plain migration on both engines, with no ALTER TYPE dance.
 * Those of portfolios and positions are the domain's (src/domain/positions/value-sets.ts).
 */
export const USER_ROLES = ['user', 'admin'] as const;
export {
  ACCOUNT_TYPES,
  CURRENCIES,
  EQUITY_CHANGE_TYPES,
  INVESTMENT_CLASSES,
  OPTION_TYPES,
  POSITION_TYPES,
} from '../../domain/positions/value-sets.ts';
export type {
  AccountType,
  EquityChangeType,
  InvestmentClass,
  OptionType,
  PositionType,
} from '../../domain/positions/value-sets.ts';
export const ASSET_TYPES = ['equity', 'etf', 'option_underlying'] as const;
export const JOB_TYPES = [
  'symbol_batch',
  'portfolio_refresh',
  'onboarding',
  'full_backfill',
  'admin_metrics',
] as const;
export const BATCH_STATUSES = ['queued', 'running', 'completed', 'partial', 'failed'] as const;

export type UserRole = (typeof USER_ROLES)[number];
export type AssetType = (typeof ASSET_TYPES)[number];
export type JobType = (typeof JOB_TYPES)[number];
export type BatchStatus = (typeof BATCH_STATUSES)[number];
