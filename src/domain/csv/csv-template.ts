/**
 * The positions CSV template served by `GET /onboarding/csv-template` (API.md): comment lines
 * explaining every column, the 12-column header and one example row per kind of position. A test
 * checks that it passes `parsePositionsCsv` as it is.
 *
 * Cash is a row `CASH_USD, <dollars>, 1, <date>, PRIVATE, CASH`: quantity = the amount, price 1.
 * PRIVATE (not PUBLIC/CASH) because the P&L engine carries private assets at their entry price
 * and never asks a market-data provider for them, so the balance stays exactly its amount; a
 * PUBLIC row would be priced from market closes that no provider has for a cash "symbol". The `_`
 * also keeps the symbol out of the nightly batch's universe (SPEC §8).
 */
import { POSITION_CSV_COLUMNS } from './position-csv-schema.ts';

const COMMENTS = [
  'Betaboard positions template. Lines starting with # are comments and are ignored;',
  'delete them or keep them. One row per position (lot). Save as "CSV UTF-8", at most 10 MB.',
  '',
  'Symbol (required): ticker such as AAPL or BRK.B; an OCC option symbol such as',
  '  AAPL270115C00200000 (root, expiry YYMMDD, C or P, strike x 1000 in 8 digits); or a name',
  '  for a private asset, by convention FO_ or EQ_ prefixed. Letters, digits, . _ - only.',
  'Quantity (required): shares, or contracts for options (1 contract = 100 shares). Negative',
  '  for a short position or a written option. Not zero; at most 6 decimals.',
  'Entry Price Per Share (required): price paid (received, for a short) per share; for',
  '  options the quoted premium per share, not per contract. Above 0; at most 4 decimals.',
  'Entry Date (required): trade date, YYYY-MM-DD. Not in the future.',
  'Investment Class: PUBLIC, OPTIONS or PRIVATE. If blank: OPTIONS when the symbol is an OCC',
  '  contract or option columns are filled in, otherwise PUBLIC.',
  'Investment Subtype: PUBLIC: STOCK, ETF, MUTUAL_FUND, BOND, CASH. OPTIONS: CALL, PUT.',
  '  PRIVATE: PRIVATE_EQUITY, VENTURE_CAPITAL, HEDGE_FUND, PRIVATE_REIT, REAL_ESTATE,',
  '  CRYPTOCURRENCY, ART, MONEY_MARKET, TREASURY_BILLS, CASH, COMMODITY, OTHER. May be blank.',
  'Underlying Symbol, Strike Price, Expiration Date (YYYY-MM-DD), Option Type (CALL or PUT):',
  '  options only. Taken from an OCC symbol when left blank; must agree with it when filled in.',
  'Exit Date and Exit Price Per Share: only for a closed position, and then both. The exit',
  '  date may not be before the entry date.',
  'Cash: symbol CASH_USD, quantity = the amount in dollars, price 1, class PRIVATE, subtype CASH.',
  'A (Symbol, Entry Date) pair may appear only once: combine lots bought the same day.',
  'Wrap a value containing a comma in double quotes, e.g. "1,000".',
];

// One row per kind of position API.md asks the template to show. Dates are in 2024-2025 and the
// option expiries in 2027, so the template stays valid for any upload date from 2026 on. Every
// public symbol is in the bundled sample data, so the template calculates to `completed` offline.
const EXAMPLES: readonly (readonly string[])[] = [
  // Long stock.
  ['AAPL', '100', '185.25', '2024-03-15', 'PUBLIC', 'STOCK', '', '', '', '', '', ''],
  // Long call: every option column filled in (they must agree with the OCC symbol).
  [
    'AAPL270115C00200000',
    '2',
    '18.50',
    '2025-02-03',
    'OPTIONS',
    'CALL',
    'AAPL',
    '200',
    '2027-01-15',
    'CALL',
    '',
    '',
  ],
  // Long put: class and option columns left blank, all taken from the OCC symbol.
  ['SPY270115P00500000', '1', '22.40', '2025-04-08', '', '', '', '', '', '', '', ''],
  // ETF.
  ['IWM', '50', '199.66', '2024-06-03', 'PUBLIC', 'ETF', '', '', '', '', '', ''],
  // Short stock: negative quantity.
  ['TSLA', '-25', '240.00', '2025-01-10', 'PUBLIC', 'STOCK', '', '', '', '', '', ''],
  // Cash (see the file comment for why PRIVATE).
  ['CASH_USD', '25000', '1', '2024-01-02', 'PRIVATE', 'CASH', '', '', '', '', '', ''],
  // Closed position: exit date and exit price.
  ['MSFT', '40', '375.50', '2024-01-08', 'PUBLIC', 'STOCK', '', '', '', '', '2025-07-15', '503.20'],
  // Private asset: carried at its entry price.
  [
    'FO_BLUE_RIDGE_FUND_II',
    '1',
    '250000',
    '2024-09-30',
    'PRIVATE',
    'PRIVATE_EQUITY',
    '',
    '',
    '',
    '',
    '',
    '',
  ],
];

export const POSITIONS_CSV_TEMPLATE: string =
  [
    ...COMMENTS.map((line) => (line === '' ? '#' : `# ${line}`)),
    POSITION_CSV_COLUMNS.map((c) => c.header).join(','),
    ...EXAMPLES.map((row) => row.join(',')),
  ].join('\n') + '\n';

/** File name for the attachment (the upload must end in `.csv` too). */
export const POSITIONS_CSV_TEMPLATE_FILE_NAME = 'betaboard-positions-template.csv';
