import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDemoCsvs } from '../../../../scripts/generate-demo-portfolios.ts';
import {
  parsePositionsCsv,
  type ParsedPosition,
} from '../../../../src/domain/csv/parse-positions-csv.ts';
import {
  loadSamplePrices,
  type SamplePriceSet,
} from '../../../../src/market/providers/sample/load-sample-prices.ts';
import { DEMO_PORTFOLIOS, demoDataDir } from '../../../../src/pipeline/demo/demo-portfolios.ts';

let prices: SamplePriceSet;
beforeAll(async () => {
  prices = await loadSamplePrices();
});

const ANCHOR = '2026-07-31';
const bookOf = (file: string): ParsedPosition[] => {
  const parsed = parsePositionsCsv({
    bytes: readFileSync(join(demoDataDir(), file)),
    today: ANCHOR,
    fileName: file,
  });
  expect(parsed.errors).toEqual([]);
  return parsed.positions;
};
const closeOn = (symbol: string, date: string) =>
  prices.closes.get(symbol)![prices.dates.indexOf(date)]!;

describe('the bundled demo portfolios', () => {
  it('are exactly what scripts/generate-demo-portfolios.ts writes from the sample data', () => {
    for (const csv of buildDemoCsvs(prices)) {
      expect(readFileSync(join(demoDataDir(), csv.book.file), 'utf8')).toBe(csv.text);
    }
  });

  it('parse without a single error and hold the planned number of positions', () => {
    expect(DEMO_PORTFOLIOS.map((b) => [b.file, bookOf(b.file).length])).toEqual([
      ['individual-investor.csv', 9],
      ['high-net-worth-diversified.csv', 24],
      ['hedge-fund-long-short.csv', 30],
      ['family-office-growth.csv', 25],
      ['family-office-private.csv', 16],
    ]);
  });

  it('use only sample symbols, entered on sample sessions at the sample close (to the cent)', () => {
    for (const book of DEMO_PORTFOLIOS) {
      for (const p of bookOf(book.file)) {
        if (p.investmentClass === 'PRIVATE') continue;
        const symbol = p.underlyingSymbol ?? p.symbol;
        expect(prices.symbols, `${book.file} ${symbol}`).toContain(symbol);
        expect(p.entryDate < ANCHOR && prices.dates.includes(p.entryDate)).toBe(true);
        if (p.investmentClass === 'PUBLIC')
          expect(Math.abs(p.entryPrice - closeOn(p.symbol, p.entryDate))).toBeLessThanOrEqual(
            0.005,
          );
        if (p.exitDate)
          expect(Math.abs(p.exitPrice! - closeOn(p.symbol, p.exitDate))).toBeLessThanOrEqual(0.005);
      }
    }
  });

  it('size each book to its equity: long-only books ~97% invested, the fund 115% long / 62% short in stock', () => {
    const exposure = (file: string) => {
      const book = DEMO_PORTFOLIOS.find((b) => b.file === file)!;
      let long = 0;
      let short = 0;
      for (const p of bookOf(file)) {
        if (p.exitDate || p.investmentClass === 'OPTIONS') continue;
        const value =
          p.quantity * (p.investmentClass === 'PRIVATE' ? p.entryPrice : closeOn(p.symbol, ANCHOR));
        if (value > 0) long += value;
        else short += value;
      }
      return [+(long / book.equityBalance).toFixed(2), +(short / book.equityBalance).toFixed(2)];
    };
    expect(exposure('individual-investor.csv')).toEqual([0.97, 0]);
    expect(exposure('high-net-worth-diversified.csv')).toEqual([0.98, 0]);
    expect(exposure('hedge-fund-long-short.csv')).toEqual([1.15, -0.62]);
    expect(exposure('family-office-growth.csv')).toEqual([0.97, 0]);
    expect(exposure('family-office-private.csv')).toEqual([0.97, 0]);
    expect(DEMO_PORTFOLIOS.map((b) => b.equityBalance)).toEqual([
      500_000, 5_000_000, 20_000_000, 50_000_000, 100_000_000,
    ]);
  });

  it('give the fund shorts, a live long call and put, and expired options; the HNW book a closed lot', () => {
    const fund = bookOf('hedge-fund-long-short.csv');
    expect(fund.filter((p) => p.positionType === 'SHORT').map((p) => p.symbol)).toEqual([
      'SPY',
      'XOM',
      'JPM',
      'INTC',
      'F',
      'PFE',
      'VZ',
      'NKE',
      'DIS',
      'BA',
      'KMB',
    ]);
    const options = fund.filter((p) => p.investmentClass === 'OPTIONS');
    expect(
      options.map((p) => [p.symbol, p.positionType, p.quantity, p.expirationDate! > ANCHOR]),
    ).toEqual([
      ['NVDA270115C00245000', 'LC', 150, true],
      ['SPY270115P00700000', 'LP', 100, true],
      ['TSLA260320C00500000', 'LC', 40, false],
      ['AMZN260515P00180000', 'SP', -50, false],
    ]);
    expect(options.map((p) => [p.underlyingSymbol, p.strikePrice, p.optionType])).toEqual([
      ['NVDA', 245, 'CALL'],
      ['SPY', 700, 'PUT'],
      ['TSLA', 500, 'CALL'],
      ['AMZN', 180, 'PUT'],
    ]);
    const closed = bookOf('high-net-worth-diversified.csv').filter((p) => p.exitDate);
    expect(closed.map((p) => [p.symbol, p.entryDate, p.exitDate, p.exitPrice])).toEqual([
      ['INTC', '2021-09-01', '2022-08-01', 34.81],
    ]);
  });

  it('give the private book private assets of many subtypes beside a public ETF sleeve', () => {
    const book = bookOf('family-office-private.csv');
    const privates = book.filter((p) => p.investmentClass === 'PRIVATE');
    expect(privates).toHaveLength(12);
    expect(privates.map((p) => p.symbol)).toContain('FO_PRIVATE_EQUITY_FUND_A');
    expect(new Set(privates.map((p) => p.investmentSubtype))).toEqual(
      new Set([
        'REAL_ESTATE',
        'PRIVATE_EQUITY',
        'ART',
        'VENTURE_CAPITAL',
        'PRIVATE_REIT',
        'HEDGE_FUND',
        'OTHER',
        'CRYPTOCURRENCY',
        'COMMODITY',
        'MONEY_MARKET',
        'TREASURY_BILLS',
      ]),
    );
    expect(
      book.filter((p) => p.investmentClass === 'PUBLIC').map((p) => p.investmentSubtype),
    ).toEqual(['ETF', 'ETF', 'ETF', 'ETF']);
  });
});
