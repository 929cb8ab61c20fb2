/**
 * Writes the demo books (`data/demo/*.csv`) from the bundled sample closes, so they are
 * reproducible and their prices are real:
 *
 *   node bin/run-ts.mjs scripts/generate-demo-portfolios.ts
 *
 * - Public positions are sized by their weight of the book's NAV at the sample's last session
 *   (2026-07-31), so the planned cash is what is left over; the entry price is the sample close
 *   on the entry session, rounded to cents.
 * - A closed lot is sized by its weight at entry and exits at the exit session's close.
 * - Options are priced the way the pipeline models them (Black–Scholes on the underlying, its
 *   63-day realized volatility, 4% rate), strikes on a listed-strike grid, expiries on the
 *   monthly third Friday.
 * - Private assets carry their own quantity and price (they are held at entry value).
 * Dates that are not sessions move to the next session. Public entries stay inside the five years
 * of history the refresh computes back from the anchor (SPEC §4), so every lot's P&L is in the
 * history; private assets, which make no market P&L, keep their older vintages.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  loadSamplePrices,
  type SamplePriceSet,
} from '../src/market/providers/sample/load-sample-prices.ts';
import {
  modelOptionValue,
  realizedVolatilityFromCloses,
} from '../src/domain/options/option-pricing.ts';
import { parseOccSymbol } from '../src/domain/symbols.ts';
import { parsePositionsCsv } from '../src/domain/csv/parse-positions-csv.ts';
import { addDays } from '../src/domain/dates.ts';
import { MAX_HISTORY_YEARS } from '../src/pipeline/portfolio-refresh/build-pnl-inputs.ts';
import {
  DEMO_PORTFOLIOS,
  demoDataDir,
  type DemoPortfolio,
} from '../src/pipeline/demo/demo-portfolios.ts';

const ANCHOR = '2026-07-31';
/** The refresh's history starts on the session before max(earliest entry, this day). */
const HISTORY_FLOOR = addDays(ANCHOR, -Math.round(365.25 * MAX_HISTORY_YEARS));

type PublicSpec = {
  kind: 'public';
  symbol: string;
  subtype: 'STOCK' | 'ETF';
  /** Signed share of NAV at the anchor (negative = short). */
  weight: number;
  entry: string;
  /** A closed lot: sized by `weight` at entry, sold at the exit session's close. */
  exit?: string;
};
type OptionSpec = {
  kind: 'option';
  underlying: string;
  type: 'CALL' | 'PUT';
  /** Strike as a multiple of the underlying's close on the entry session (before the grid). */
  moneyness: number;
  expiry: string;
  /** Signed number of contracts. */
  contracts: number;
  entry: string;
};
type PrivateSpec = {
  kind: 'private';
  symbol: string;
  subtype: string;
  quantity: number;
  price: number;
  entry: string;
};
type Spec = PublicSpec | OptionSpec | PrivateSpec;

const stock = (symbol: string, weight: number, entry: string, exit?: string): PublicSpec => ({
  kind: 'public',
  symbol,
  subtype: 'STOCK',
  weight,
  entry,
  exit,
});
const etf = (symbol: string, weight: number, entry: string): PublicSpec => ({
  kind: 'public',
  symbol,
  subtype: 'ETF',
  weight,
  entry,
});
const option = (
  underlying: string,
  type: 'CALL' | 'PUT',
  moneyness: number,
  expiry: string,
  contracts: number,
  entry: string,
): OptionSpec => ({ kind: 'option', underlying, type, moneyness, expiry, contracts, entry });
const privateAsset = (
  symbol: string,
  subtype: string,
  quantity: number,
  price: number,
  entry: string,
): PrivateSpec => ({ kind: 'private', symbol, subtype, quantity, price, entry });

const BOOKS: Record<string, Spec[]> = {
  'individual-investor.csv': [
    etf('SPY', 0.36, '2021-08-16'),
    etf('QQQ', 0.08, '2021-11-12'),
    stock('AAPL', 0.13, '2021-10-04'),
    stock('MSFT', 0.13, '2022-01-10'),
    stock('AMZN', 0.06, '2022-06-13'),
    stock('GOOGL', 0.06, '2023-03-01'),
    stock('NVDA', 0.05, '2024-02-26'),
    stock('JNJ', 0.05, '2022-02-10'),
    etf('TLT', 0.05, '2023-10-19'),
  ],
  'high-net-worth-diversified.csv': [
    etf('SPY', 0.18, '2021-09-14'),
    etf('QQQ', 0.08, '2022-03-08'),
    etf('IWM', 0.04, '2022-10-03'),
    etf('EFA', 0.06, '2021-12-13'),
    etf('EEM', 0.03, '2022-03-15'),
    etf('VTV', 0.04, '2023-01-09'),
    etf('AGG', 0.12, '2021-12-01'),
    etf('TLT', 0.04, '2024-04-25'),
    etf('LQD', 0.04, '2022-11-01'),
    etf('SHY', 0.04, '2025-02-03'),
    etf('HYG', 0.02, '2023-05-22'),
    etf('GLD', 0.03, '2024-01-16'),
    stock('JPM', 0.03, '2021-09-20'),
    stock('BRK-B', 0.03, '2021-11-16'),
    stock('AAPL', 0.03, '2022-05-12'),
    stock('MSFT', 0.03, '2022-05-12'),
    stock('GOOGL', 0.02, '2022-09-26'),
    stock('JNJ', 0.02, '2021-09-20'),
    stock('PG', 0.02, '2022-05-09'),
    stock('XOM', 0.02, '2022-01-18'),
    stock('KO', 0.02, '2022-04-04'),
    stock('HD', 0.02, '2023-06-05'),
    stock('O', 0.02, '2023-08-14'),
    // Sold after the 2022 drawdown: a realized loss the P&L history shows.
    stock('INTC', 0.03, '2021-09-01', '2022-08-01'),
  ],
  'hedge-fund-long-short.csv': [
    stock('MSFT', 0.13, '2025-08-04'),
    stock('NVDA', 0.12, '2025-09-15'),
    stock('AMZN', 0.1, '2025-10-06'),
    stock('GOOGL', 0.1, '2025-11-03'),
    stock('AAPL', 0.09, '2025-08-18'),
    stock('META', 0.09, '2026-01-12'),
    stock('AVGO', 0.08, '2025-12-08'),
    stock('LLY', 0.08, '2026-02-02'),
    stock('V', 0.07, '2025-07-14'),
    stock('COST', 0.06, '2026-03-09'),
    stock('NOW', 0.05, '2026-01-20'),
    stock('ISRG', 0.05, '2025-10-20'),
    stock('GE', 0.05, '2026-04-06'),
    stock('AMD', 0.04, '2026-05-04'),
    stock('SPGI', 0.04, '2025-09-02'),
    etf('SPY', -0.2, '2026-02-17'),
    stock('XOM', -0.08, '2026-03-02'),
    stock('JPM', -0.05, '2026-03-02'),
    stock('INTC', -0.05, '2026-05-18'),
    stock('F', -0.03, '2025-11-10'),
    stock('PFE', -0.04, '2025-09-08'),
    stock('VZ', -0.03, '2026-03-02'),
    stock('NKE', -0.04, '2025-09-08'),
    stock('DIS', -0.04, '2025-11-10'),
    stock('BA', -0.03, '2025-09-08'),
    stock('KMB', -0.03, '2025-07-01'),
    // Live: upside on the largest long, and index protection into year-end.
    option('NVDA', 'CALL', 1.1, '2027-01-15', 150, '2026-05-18'),
    option('SPY', 'PUT', 0.93, '2027-01-15', 100, '2026-06-15'),
    // Expired: a long call into earnings, and a put sold for premium.
    option('TSLA', 'CALL', 1.05, '2026-03-20', 40, '2025-12-15'),
    option('AMZN', 'PUT', 0.9, '2026-05-15', -50, '2026-02-17'),
  ],
  'family-office-growth.csv': [
    etf('QQQ', 0.04, '2021-08-02'),
    etf('VUG', 0.03, '2021-08-02'),
    stock('AAPL', 0.07, '2021-08-16'),
    stock('MSFT', 0.07, '2021-08-16'),
    stock('V', 0.04, '2021-09-01'),
    stock('AMZN', 0.06, '2021-10-01'),
    stock('MA', 0.03, '2021-11-01'),
    stock('NVDA', 0.07, '2022-10-13'),
    stock('GOOGL', 0.06, '2021-12-01'),
    stock('COST', 0.04, '2021-12-15'),
    stock('AVGO', 0.05, '2022-03-01'),
    stock('TSLA', 0.03, '2022-06-01'),
    stock('NOW', 0.03, '2022-02-01'),
    stock('ISRG', 0.03, '2021-10-01'),
    stock('LLY', 0.05, '2022-01-03'),
    stock('NFLX', 0.03, '2022-06-01'),
    stock('INTU', 0.03, '2022-10-03'),
    stock('META', 0.05, '2022-11-04'),
    stock('CRM', 0.02, '2023-01-03'),
    stock('AMD', 0.03, '2023-05-01'),
    stock('ADBE', 0.02, '2023-06-01'),
    stock('LRCX', 0.02, '2023-09-01'),
    stock('BKNG', 0.02, '2024-03-01'),
    etf('MTUM', 0.02, '2024-06-03'),
    etf('SHY', 0.03, '2025-06-02'),
  ],
  'family-office-private.csv': [
    privateAsset('FO_REAL_ESTATE_NYC_OFFICE', 'REAL_ESTATE', 1, 12_000_000, '2018-11-15'),
    privateAsset('FO_PRIVATE_EQUITY_FUND_A', 'PRIVATE_EQUITY', 1, 18_000_000, '2019-09-30'),
    privateAsset('FO_ART_COLLECTION', 'ART', 1, 3_200_000, '2020-10-15'),
    privateAsset('FO_VENTURE_FUND_III', 'VENTURE_CAPITAL', 1, 7_000_000, '2021-06-30'),
    privateAsset('FO_PRIVATE_EQUITY_FUND_B', 'PRIVATE_EQUITY', 1, 9_500_000, '2022-03-31'),
    privateAsset('FO_PRIVATE_REIT_INDUSTRIAL', 'PRIVATE_REIT', 250_000, 24, '2022-09-30'),
    privateAsset('FO_MULTI_STRAT_HEDGE_FUND', 'HEDGE_FUND', 10_000, 1_000, '2023-01-03'),
    privateAsset('FO_PRIVATE_CREDIT_FUND', 'OTHER', 1, 5_000_000, '2024-03-28'),
    privateAsset('FO_BITCOIN', 'CRYPTOCURRENCY', 30, 65_000, '2024-04-22'),
    privateAsset('FO_GOLD_BULLION', 'COMMODITY', 800, 2_350, '2024-05-15'),
    privateAsset('FO_MONEY_MARKET', 'MONEY_MARKET', 3_000_000, 1, '2025-01-02'),
    privateAsset('FO_TREASURY_BILLS', 'TREASURY_BILLS', 50_000, 98.7, '2026-05-01'),
    etf('SPY', 0.07, '2021-08-02'),
    etf('EFA', 0.03, '2021-09-01'),
    etf('AGG', 0.03, '2022-11-01'),
    etf('VTV', 0.02, '2023-04-03'),
  ],
};

const HEADER = [
  'Symbol',
  'Quantity',
  'Entry Price Per Share',
  'Entry Date',
  'Investment Class',
  'Investment Subtype',
  'Underlying Symbol',
  'Strike Price',
  'Expiration Date',
  'Option Type',
  'Exit Date',
  'Exit Price Per Share',
];

const cents = (x: number) => x.toFixed(2);

/** Listed strikes are coarser for dearer underlyings. */
function strikeOnGrid(price: number): number {
  const step = price < 50 ? 1 : price < 200 ? 2.5 : price < 500 ? 5 : 10;
  return Math.round(price / step) * step;
}

function occSymbol(underlying: string, expiry: string, type: 'CALL' | 'PUT', strike: number) {
  const yymmdd = expiry.slice(2).replaceAll('-', '');
  return `${underlying}${yymmdd}${type[0]}${String(Math.round(strike * 1000)).padStart(8, '0')}`;
}

/** Shares rounded like an adviser would: whole shares, tens once a lot is large. */
function roundShares(shares: number): number {
  const lot = Math.abs(shares) >= 1000 ? 10 : 1;
  return Math.round(shares / lot) * lot;
}

const quote = (cell: string) => (/[",]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

interface Row {
  cells: string[];
  /** Signed market value at the anchor (0 for closed or expired lots). */
  anchorValue: number;
}

export interface DemoCsv {
  book: DemoPortfolio;
  text: string;
  /** Long and short market value at the anchor, for the planning summary. */
  long: number;
  short: number;
}

/** The demo CSVs' text, from the sample closes; pure apart from reading the price file. */
export function buildDemoCsvs(prices: SamplePriceSet): DemoCsv[] {
  const anchorIndex = prices.dates.indexOf(ANCHOR);
  if (anchorIndex < 0) throw new Error(`${ANCHOR} is not in the sample data`);

  /** Index of the first session on or after `date`. */
  const sessionIndex = (date: string): number => {
    const i = prices.dates.findIndex((d) => d >= date);
    if (i < 0 || i > anchorIndex) throw new Error(`no sample session on or after ${date}`);
    return i;
  };
  const close = (symbol: string, index: number): number => {
    const value = prices.closes.get(symbol)?.[index];
    if (value === undefined || !Number.isFinite(value))
      throw new Error(`no sample close for ${symbol} on ${prices.dates[index]}`);
    return value;
  };

  const rowOf = (spec: Spec, book: DemoPortfolio): Row => {
    const blank = ['', '', '', '', '', ''];
    if (spec.kind === 'private') {
      return {
        cells: [
          spec.symbol,
          String(spec.quantity),
          cents(spec.price),
          spec.entry,
          'PRIVATE',
          spec.subtype,
          ...blank,
        ],
        anchorValue: spec.quantity * spec.price,
      };
    }
    const entryIndex = sessionIndex(spec.entry);
    const entryDate = prices.dates[entryIndex]!;
    if (entryDate <= HISTORY_FLOOR)
      throw new Error(`${entryDate}: public entries must be after ${HISTORY_FLOOR}`);
    if (spec.kind === 'public') {
      const entryPrice = cents(close(spec.symbol, entryIndex));
      const start = [spec.symbol];
      if (spec.exit) {
        const exitIndex = sessionIndex(spec.exit);
        const quantity = roundShares((spec.weight * book.equityBalance) / Number(entryPrice));
        return {
          cells: [
            ...start,
            String(quantity),
            entryPrice,
            entryDate,
            'PUBLIC',
            spec.subtype,
            '',
            '',
            '',
            '',
            prices.dates[exitIndex]!,
            cents(close(spec.symbol, exitIndex)),
          ],
          anchorValue: 0,
        };
      }
      const anchorPrice = close(spec.symbol, anchorIndex);
      const quantity = roundShares((spec.weight * book.equityBalance) / anchorPrice);
      return {
        cells: [
          ...start,
          String(quantity),
          entryPrice,
          entryDate,
          'PUBLIC',
          spec.subtype,
          ...blank,
        ],
        anchorValue: quantity * anchorPrice,
      };
    }
    const closes = prices.closes.get(spec.underlying)!;
    const strike = strikeOnGrid(close(spec.underlying, entryIndex) * spec.moneyness);
    const terms = { kind: spec.type, strike, expiration: spec.expiry };
    const priceOn = (index: number) =>
      modelOptionValue(terms, {
        date: prices.dates[index]!,
        underlyingPrice: close(spec.underlying, index),
        volatility: realizedVolatilityFromCloses(closes, index),
        rate: null,
      }).price;
    const symbol = occSymbol(spec.underlying, spec.expiry, spec.type, strike);
    if (!parseOccSymbol(symbol)) throw new Error(`bad OCC symbol ${symbol}`);
    return {
      cells: [
        symbol,
        String(spec.contracts),
        cents(priceOn(entryIndex)),
        entryDate,
        'OPTIONS',
        spec.type,
        spec.underlying,
        String(strike),
        spec.expiry,
        spec.type,
        '',
        '',
      ],
      anchorValue: spec.expiry > ANCHOR ? spec.contracts * 100 * priceOn(anchorIndex) : 0,
    };
  };

  return DEMO_PORTFOLIOS.map((book) => {
    const specs = BOOKS[book.file];
    if (!specs) throw new Error(`no positions defined for ${book.file}`);
    const rows = specs.map((spec) => rowOf(spec, book));
    const text = [
      `# Betaboard demo book "${book.name}" (equity ${book.equityBalance} USD on ${ANCHOR}).`,
      '# Generated by scripts/generate-demo-portfolios.ts from the bundled sample closes; edit the script, not this file.',
      HEADER.join(','),
      ...rows.map((r) => r.cells.map(quote).join(',')),
      '',
    ].join('\n');
    const parsed = parsePositionsCsv({ text, today: ANCHOR, fileName: book.file });
    if (parsed.totalErrors > 0)
      throw new Error(`${book.file}: ${JSON.stringify(parsed.errors.slice(0, 5))}`);
    return {
      book,
      text,
      long: rows.reduce((s, r) => s + Math.max(r.anchorValue, 0), 0),
      short: rows.reduce((s, r) => s + Math.min(r.anchorValue, 0), 0),
    };
  });
}

async function main(): Promise<void> {
  mkdirSync(demoDataDir(), { recursive: true });
  for (const { book, text, long, short } of buildDemoCsvs(await loadSamplePrices())) {
    writeFileSync(join(demoDataDir(), book.file), text);
    const pct = (x: number) => `${((100 * x) / book.equityBalance).toFixed(1)}%`;
    console.log(
      `${book.file}: long ${pct(long)}, short ${pct(short)}, gross ${pct(long - short)}, ` +
        `cash ${pct(book.equityBalance - long - short)} of ${book.equityBalance}`,
    );
  }
}

// Imported by the test that checks the committed files are what this script writes.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
