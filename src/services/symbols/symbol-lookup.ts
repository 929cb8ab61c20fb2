import type { Db } from '../../db/database.ts';
import { FactorRepository } from '../../db/repositories/factor-repository.ts';
import { MarketDataRepository } from '../../db/repositories/market-data-repository.ts';
import {
  SymbolLookupRepository,
  type SymbolFootprint,
} from '../../db/repositories/symbol-lookup-repository.ts';
import {
  SymbolUniverseRepository,
  type UniverseEntry,
} from '../../db/repositories/symbol-universe-repository.ts';
import { addDays } from '../../domain/dates.ts';
import { FACTOR_DEFINITIONS, factorWindow } from '../../domain/factors/factor-definitions.ts';
import type { FactorCatalogEntry, SymbolDetails } from './schemas.ts';

/** The default window of `GET /symbols/{symbol}/prices`: a year back from the last close. */
export const DEFAULT_PRICE_WINDOW_DAYS = 365;

async function storedFacts(
  db: Db,
  symbol: string,
): Promise<{ footprint: SymbolFootprint; universe: UniverseEntry | null }> {
  const footprint = await new SymbolLookupRepository(db).footprint(symbol);
  const universe = (await new SymbolUniverseRepository(db).get([symbol])).get(symbol) ?? null;
  return { footprint, universe };
}

/** A symbol is known when any table holds something about it. */
function isKnown(footprint: SymbolFootprint, universe: UniverseEntry | null): boolean {
  return Boolean(
    footprint.profile || footprint.lastClose || footprint.latestFactorDate || universe,
  );
}

/**
 * Everything stored about one symbol: profile, the latest factor betas, the last close and
 * its place in the batch universe. Null when the database has nothing at all on it, so the
 * route can tell "unknown symbol" from "known, but e.g. no factors yet".
 */
export async function lookupSymbol(db: Db, symbol: string): Promise<SymbolDetails | null> {
  const { footprint, universe } = await storedFacts(db, symbol);
  if (!isKnown(footprint, universe)) return null;
  const betas = footprint.latestFactorDate
    ? await new FactorRepository(db).getSymbolExposures(symbol, footprint.latestFactorDate)
    : [];
  const p = footprint.profile;
  return {
    symbol,
    profile: p && {
      name: p.name,
      sector: p.sector,
      industry: p.industry,
      exchange: p.exchange,
      country: p.country,
      is_etf: p.isEtf,
      market_cap: p.marketCap,
      pe_ratio: p.peRatio,
      forward_pe: p.forwardPe,
      dividend_yield: p.dividendYield,
      beta: p.beta,
      beta_source: p.betaSource,
      week_52_high: p.week52High,
      week_52_low: p.week52Low,
      next_earnings_date: p.nextEarningsDate,
      data_source: p.dataSource,
      updated_at: p.updatedAt,
    },
    last_close: footprint.lastClose,
    price_history:
      footprint.firstCloseDate && footprint.lastClose
        ? { first_date: footprint.firstCloseDate, last_date: footprint.lastClose.date }
        : null,
    factors: {
      calculation_date: footprint.latestFactorDate,
      betas: betas.map((b) => ({
        name: b.factorName,
        display_order: b.displayOrder,
        beta: b.beta,
        r_squared: b.rSquared,
        std_error: b.stdError,
        observations: b.observations,
        calculation_method: b.calculationMethod,
        window_days: b.windowDays,
        quality_flag: b.qualityFlag,
      })),
    },
    universe: universe && {
      asset_type: universe.assetType,
      is_active: universe.isActive,
      last_processed_date: universe.lastProcessedDate,
      last_error: universe.lastError,
    },
  };
}

/**
 * Stored closes of a symbol in [from, to], oldest first. Without `to` the window ends at the
 * last stored close (not today, which may be a weekend or not loaded yet); without `from` it
 * reaches a year back from `to`. Null for a symbol the database knows nothing of.
 */
export async function symbolPrices(
  db: Db,
  symbol: string,
  range: { from?: string; to?: string; today: string },
): Promise<{ from: string; to: string; prices: { date: string; close: number }[] } | null> {
  const { footprint, universe } = await storedFacts(db, symbol);
  if (!isKnown(footprint, universe)) return null;
  const to = range.to ?? footprint.lastClose?.date ?? range.today;
  const from = range.from ?? addDays(to, -DEFAULT_PRICE_WINDOW_DAYS);
  const series = await new MarketDataRepository(db).getCloseSeries(symbol, from, to);
  return {
    from,
    to,
    prices: series.dates.map((date, i) => ({ date, close: series.closes[i]! })),
  };
}

/**
 * The 13 definitions of SPEC §3.1 in display order. The code's list is the source of truth
 * (the batch seeds the table from it); the table only contributes ids.
 */
export async function factorCatalog(db: Db): Promise<FactorCatalogEntry[]> {
  const ids = new Map(
    (await new FactorRepository(db).listDefinitions()).map((row) => [row.name, row.id]),
  );
  return [...FACTOR_DEFINITIONS]
    .sort((a, b) => a.displayOrder - b.displayOrder)
    .map((d) => {
      const window = d.calculationMethod === 'provider' ? null : factorWindow(d);
      return {
        id: ids.get(d.name) ?? null,
        name: d.name,
        description: d.description,
        display_order: d.displayOrder,
        factor_type: d.factorType,
        calculation_method: d.calculationMethod,
        etf_proxy: d.etfProxy,
        regressors: [...d.regressors],
        window_days: window?.window ?? null,
        min_observations: window?.minimum ?? null,
      };
    });
}
