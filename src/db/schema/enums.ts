/**
 * Value sets of the data model. Stored as text with CHECK constraints rather than PostgreSQL
 * enums: adding a value is then a plain migration on both engines, with no ALTER TYPE dance.
 */
export const USER_ROLES = ['user', 'admin'] as const;
export const ACCOUNT_TYPES = [
  'taxable',
  'ira',
  'roth_ira',
  '401k',
  '403b',
  '529',
  'hsa',
  'trust',
  'other',
] as const;
export const CURRENCIES = ['USD'] as const;
export const POSITION_TYPES = ['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP'] as const;
export const INVESTMENT_CLASSES = ['PUBLIC', 'OPTIONS', 'PRIVATE'] as const;
export const OPTION_TYPES = ['CALL', 'PUT'] as const;
export const EQUITY_CHANGE_TYPES = ['CONTRIBUTION', 'WITHDRAWAL'] as const;
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
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export type PositionType = (typeof POSITION_TYPES)[number];
export type InvestmentClass = (typeof INVESTMENT_CLASSES)[number];
export type OptionType = (typeof OPTION_TYPES)[number];
export type EquityChangeType = (typeof EQUITY_CHANGE_TYPES)[number];
export type AssetType = (typeof ASSET_TYPES)[number];
export type JobType = (typeof JOB_TYPES)[number];
export type BatchStatus = (typeof BATCH_STATUSES)[number];
