/** The 11 GICS sectors, in GICS code order (10 Energy … 60 Real Estate). */
export const GICS_SECTORS = [
  'Energy',
  'Materials',
  'Industrials',
  'Consumer Discretionary',
  'Consumer Staples',
  'Health Care',
  'Financials',
  'Information Technology',
  'Communication Services',
  'Utilities',
  'Real Estate',
] as const;

export type GicsSector = (typeof GICS_SECTORS)[number];

export interface SectorBenchmark {
  name: string;
  asOf: string;
  source: string;
  /** Decimal weights (0.346 = 34.6 %). */
  weights: Readonly<Record<GicsSector, number>>;
}

/**
 * S&P 500 GICS sector weights as of 2025-11-28, as published by S&P Dow Jones Indices and quoted
 * by the Schwab Center for Financial Research ("Schwab Sector Views", sector weighting table,
 * rounded to 0.1 %). The rounded figures sum to 100.2 %; they are kept as published rather than
 * rescaled, so each number can be checked against the source — the 0.2 pp is far below the
 * over/underweights anyone acts on. Index weights drift daily with prices: refresh this table
 * (and its date) periodically, or replace it with a provider feed.
 */
export const SP500_SECTOR_WEIGHTS: SectorBenchmark = {
  name: 'SP500',
  asOf: '2025-11-28',
  source: 'S&P Dow Jones Indices via Schwab Center for Financial Research, rounded to 0.1 %',
  weights: {
    Energy: 0.028,
    Materials: 0.017,
    Industrials: 0.08,
    'Consumer Discretionary': 0.103,
    'Consumer Staples': 0.049,
    'Health Care': 0.098,
    Financials: 0.131,
    'Information Technology': 0.346,
    'Communication Services': 0.107,
    Utilities: 0.024,
    'Real Estate': 0.019,
  },
};
