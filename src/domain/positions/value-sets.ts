/**
 * The vocabulary of portfolios and positions (SPEC §1–§2), defined once: the CSV validator, the
 * P&L engine, the API's schemas and the database's CHECK constraints (src/db/schema/enums.ts)
 * all read these lists.
 */

/** The nine account types a portfolio can be. */
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
/** LONG/SHORT for stocks and private assets; Long/Short Call/Put for options. */
export const POSITION_TYPES = ['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP'] as const;
export const INVESTMENT_CLASSES = ['PUBLIC', 'OPTIONS', 'PRIVATE'] as const;
export const OPTION_TYPES = ['CALL', 'PUT'] as const;
export const EQUITY_CHANGE_TYPES = ['CONTRIBUTION', 'WITHDRAWAL'] as const;

export type AccountType = (typeof ACCOUNT_TYPES)[number];
export type Currency = (typeof CURRENCIES)[number];
export type PositionType = (typeof POSITION_TYPES)[number];
export type InvestmentClass = (typeof INVESTMENT_CLASSES)[number];
export type OptionType = (typeof OPTION_TYPES)[number];
export type EquityChangeType = (typeof EQUITY_CHANGE_TYPES)[number];
