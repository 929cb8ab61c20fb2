import {
  computeSectorExposure,
  GICS_SECTORS,
  SP500_SECTOR_WEIGHTS,
  type SectorHolding,
} from '../../domain/sector/index.ts';
import type { Db } from '../../db/database.ts';
import { AnalyticsReadRepository } from '../../db/repositories/analytics-read-repository.ts';
import {
  aggregateEnvelope,
  INSUFFICIENT_DATA,
  NO_CALCULATION,
  portfolioEnvelope,
  type AggregateMember,
} from './envelope.ts';
import type { AggregateSector, PortfolioSector, SectorData, SectorMetadata } from './schemas.ts';

const METADATA: SectorMetadata = {
  benchmark: 'SP500',
  benchmark_as_of: SP500_SECTOR_WEIGHTS.asOf,
  weights_unit: 'decimal',
  over_underweight_unit: 'percentage_points',
};

const emptyData = (): SectorData => ({
  portfolio_weights: {},
  benchmark_weights: { ...SP500_SECTOR_WEIGHTS.weights },
  over_underweight: {},
  largest_overweight: null,
  largest_underweight: null,
  unclassified_value: null,
});

/** Net dollars per GICS sector and unclassified, as the analytics phase stored them. */
interface SectorDollars {
  bySector: Map<string, number>;
  unclassified: number;
}

/**
 * Dollars per sector from a snapshot's stored `sector_exposure` (weights of NAV): weight × NAV.
 * Null when the snapshot has no sector figures.
 */
function storedSectorDollars(stored: unknown, nav: number): SectorDollars | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const s = stored as { portfolio_weights?: Record<string, unknown>; unclassified_value?: unknown };
  if (typeof s.portfolio_weights !== 'object' || s.portfolio_weights === null) return null;
  const bySector = new Map<string, number>();
  for (const sector of GICS_SECTORS) {
    const w = s.portfolio_weights[sector];
    bySector.set(sector, typeof w === 'number' ? w * nav : 0);
  }
  return {
    bySector,
    unclassified: typeof s.unclassified_value === 'number' ? s.unclassified_value : 0,
  };
}

/**
 * The answer through the domain's sector rules: one holding per sector carrying its net dollars
 * (and one unclassified), so weights, over/underweights and the largest of each come from
 * `computeSectorExposure` for a single portfolio and for the sum of several alike.
 */
function sectorData(dollars: SectorDollars, nav: number): SectorData {
  const holdings: SectorHolding[] = [...dollars.bySector].map(([sector, value]) => ({
    symbol: `sector:${sector}`,
    marketValue: value,
    sector,
  }));
  holdings.push({ symbol: 'unclassified', marketValue: dollars.unclassified, sector: null });
  const result = computeSectorExposure({ holdings, nav, benchmark: SP500_SECTOR_WEIGHTS });
  const difference = (d: typeof result.largestOverweight) =>
    d ? { sector: d.sector, difference_pp: d.differencePp } : null;
  return {
    portfolio_weights: result.portfolioWeights,
    benchmark_weights: result.benchmarkWeights,
    over_underweight: result.overUnderweightPp,
    largest_overweight: difference(result.largestOverweight),
    largest_underweight: difference(result.largestUnderweight),
    unclassified_value: result.unclassifiedValue,
  };
}

/**
 * GET /analytics/portfolio/{id}/sector-exposure: the sector figures of the latest analytics run
 * (net sector value / NAV, options delta-adjusted under their underlying) against the S&P 500.
 */
export async function portfolioSectorExposure(
  db: Db,
  portfolioId: string,
): Promise<PortfolioSector> {
  const snap = await new AnalyticsReadRepository(db).latestAnalyticsSnapshot(portfolioId);
  const dollars = snap ? storedSectorDollars(snap.sectorExposure, snap.netAssetValue) : null;
  if (!snap || !dollars) {
    return {
      ...portfolioEnvelope(portfolioId, snap?.snapshotDate ?? null, NO_CALCULATION),
      data: emptyData(),
      metadata: METADATA,
    };
  }
  if (!(snap.netAssetValue > 0)) {
    return {
      ...portfolioEnvelope(portfolioId, snap.snapshotDate, INSUFFICIENT_DATA),
      data: emptyData(),
      metadata: METADATA,
    };
  }
  return {
    ...portfolioEnvelope(portfolioId, snap.snapshotDate, null),
    data: sectorData(dollars, snap.netAssetValue),
    metadata: METADATA,
  };
}

/**
 * GET /analytics/aggregate/sector-exposure: sector dollars summed over the user's portfolios and
 * divided by their summed NAV — each portfolio's weights NAV-weighted.
 */
export async function aggregateSectorExposure(db: Db, userId: string): Promise<AggregateSector> {
  const read = new AnalyticsReadRepository(db);
  const all = await read.livePortfolios(userId);
  const members: AggregateMember[] = [];
  const total: SectorDollars = { bySector: new Map(), unclassified: 0 };
  for (const portfolio of all) {
    const snap = await read.latestAnalyticsSnapshot(portfolio.id);
    const dollars = snap ? storedSectorDollars(snap.sectorExposure, snap.netAssetValue) : null;
    if (!snap || !dollars) continue;
    members.push({ portfolio, date: snap.snapshotDate, nav: snap.netAssetValue });
    for (const [sector, value] of dollars.bySector) {
      total.bySector.set(sector, (total.bySector.get(sector) ?? 0) + value);
    }
    total.unclassified += dollars.unclassified;
  }
  const envelope = aggregateEnvelope(all, members);
  const nav = members.reduce((s, m) => s + m.nav, 0);
  if (!envelope.available) return { ...envelope, data: emptyData(), metadata: METADATA };
  if (!(nav > 0)) {
    return {
      ...envelope,
      available: false,
      reason: INSUFFICIENT_DATA,
      data: emptyData(),
      metadata: METADATA,
    };
  }
  return { ...envelope, data: sectorData(total, nav), metadata: METADATA };
}
