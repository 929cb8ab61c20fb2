import type { Db } from '../database.ts';
import { CompanyProfileRepository, type CompanyProfileRow } from './company-profile-repository.ts';
import { FactorRepository } from './factor-repository.ts';
import { MarketDataRepository } from './market-data-repository.ts';

export type { CompanyProfileRow } from './company-profile-repository.ts';

/** What the database holds about one symbol, for the symbol lookup endpoints. */
export interface SymbolFootprint {
  profile: CompanyProfileRow | null;
  latestFactorDate: string | null;
  lastClose: { date: string; close: number } | null;
  firstCloseDate: string | null;
}

/**
 * `GET /symbols/{symbol}`'s view of one symbol, gathered from the repositories that own each
 * table (a few indexed single-symbol lookups); it holds no SQL of its own.
 */
export class SymbolLookupRepository {
  constructor(private readonly db: Db) {}

  async footprint(symbol: string): Promise<SymbolFootprint> {
    return {
      profile: await new CompanyProfileRepository(this.db).profile(symbol),
      latestFactorDate: await new FactorRepository(this.db).latestExposureDate(symbol),
      lastClose: await new MarketDataRepository(this.db).lastClose(symbol),
      firstCloseDate: await new MarketDataRepository(this.db).firstCloseDate(symbol),
    };
  }
}
